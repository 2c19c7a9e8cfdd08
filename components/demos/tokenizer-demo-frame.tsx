"use client";

import type { ReactNode } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import { MAX_TOKENIZE_CHARS } from "@/lib/tokenizers/limits";

/** The box the tokenizer demos sit in (the look of ./model-demo-frame.tsx), with an optional footer link. */
export function TokenizerDemoFrame({ kind, title, children, footer }: { kind: string; title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <aside
      aria-label={`Live demo: ${title}`}
      data-demo-kind={kind}
      className="not-prose my-6 space-y-3 rounded-xl border border-brand-300/70 bg-white p-3 shadow-sm sm:p-4 dark:border-brand-500/40 dark:bg-slate-900/60"
    >
      <p className="text-xs font-semibold uppercase tracking-wider text-brand-700 dark:text-brand-400">Live demo · {title}</p>
      {children}
      {footer && <div className="border-t border-slate-100 pt-2 text-right dark:border-slate-800">{footer}</div>}
    </aside>
  );
}

/** The demos' labelled "Text" box (one line, or `rows` lines), capped at what /api/tokenize accepts. */
export function DemoTextInput({ value, onChange, rows }: { value: string; onChange: (value: string) => void; rows?: number }) {
  const hydrated = useHydrated();
  const field = {
    value,
    readOnly: !hydrated,
    maxLength: MAX_TOKENIZE_CHARS,
    className: "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 font-mono text-sm font-normal dark:border-slate-700 dark:bg-slate-950",
  };
  return (
    <label className="block text-sm font-medium">
      Text
      {rows ? <textarea {...field} rows={rows} onChange={(e) => onChange(e.target.value)} /> : <input type="text" {...field} onChange={(e) => onChange(e.target.value)} />}
    </label>
  );
}
