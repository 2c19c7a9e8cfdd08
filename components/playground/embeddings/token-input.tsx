"use client";

import { useId, useMemo } from "react";
import { displayText, lookupToken, suggestTokens, type EmbeddingVocab } from "@/lib/embeddings/vocab";
import { useHydrated } from "@/components/ui/use-hydrated";

/**
 * A text box for one token, with the vocabulary as native autocomplete (a <datalist>:
 * keyboard and screen-reader support come from the browser) and a line saying which token
 * the text resolved to.
 */
export function TokenInput({
  label,
  value,
  onChange,
  vocab,
  name,
  className = "",
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  vocab: EmbeddingVocab | null;
  name: string;
  className?: string;
}) {
  const listId = useId();
  const hydrated = useHydrated();
  const suggestions = useMemo(() => (vocab ? suggestTokens(vocab, value, 30) : []), [vocab, value]);
  const match = vocab ? lookupToken(vocab, value) : null;
  return (
    <label className={`flex min-w-0 flex-col gap-1.5 text-sm font-medium ${className}`}>
      {label}
      <input
        name={name}
        className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 dark:border-slate-700 dark:bg-slate-900"
        value={value}
        readOnly={!hydrated}
        onChange={(e) => onChange(e.target.value)}
        list={listId}
        autoComplete="off"
        spellCheck={false}
      />
      <datalist id={listId}>
        {suggestions.map((s) => (
          <option key={s.id} value={displayText(s.text)}>
            id {s.id}
          </option>
        ))}
      </datalist>
      <span className="min-h-4 text-xs font-normal text-slate-600 dark:text-slate-400" aria-live="polite" data-testid={`${name}-match`}>
        {vocab && value.trim() !== "" && !match && "not a token in course-lm's vocabulary"}
        {match && (
          <>
            token <span className="font-mono">{displayText(vocab!.entries[match.id].text)}</span> · id {match.id}
            {match.match === "added-space" && " (with a leading space)"}
            {match.match === "removed-space" && " (without the leading space)"}
          </>
        )}
      </span>
    </label>
  );
}
