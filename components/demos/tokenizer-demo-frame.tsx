import type { ReactNode } from "react";

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
