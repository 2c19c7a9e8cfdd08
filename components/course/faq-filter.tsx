"use client";
import { useId, useState } from "react";

/** Words of a query, lower-cased; every one must appear in a question or its answer. */
const queryTerms = (query: string): string[] => query.toLowerCase().split(/\s+/).filter(Boolean);

/**
 * A filter box over a lesson's common questions (a lesson has up to ~35): hides the `<details>`
 * inside `#${listId}` whose question and answer do not hold every typed word, and says how many
 * are left. The list itself is rendered on the server (KaTeX included); this only toggles `hidden`.
 */
export function FaqFilter({ listId, total }: { listId: string; total: number }) {
  const inputId = useId();
  const [query, setQuery] = useState("");
  const [shown, setShown] = useState(total);

  const apply = (value: string) => {
    setQuery(value);
    const terms = queryTerms(value);
    let count = 0;
    for (const entry of document.querySelectorAll<HTMLDetailsElement>(`#${CSS.escape(listId)} > details`)) {
      const text = (entry.textContent ?? "").toLowerCase();
      const match = terms.every((t) => text.includes(t));
      entry.hidden = !match;
      if (match) count++;
    }
    setShown(count);
  };

  return (
    <div className="mt-3 flex flex-wrap items-center gap-3">
      <label htmlFor={inputId} className="sr-only">
        Filter common questions
      </label>
      <input
        id={inputId}
        type="search"
        value={query}
        onChange={(e) => apply(e.target.value)}
        placeholder="Filter questions…"
        className="w-full max-w-xs rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
      />
      <span role="status" className="text-sm text-slate-600 dark:text-slate-400">
        {query ? (shown === 0 ? `No common question mentions “${query}”: ask the tutor instead.` : `${shown} of ${total}`) : `${total} questions`}
      </span>
    </div>
  );
}
