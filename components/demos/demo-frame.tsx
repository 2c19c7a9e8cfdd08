import type { ReactNode } from "react";

/**
 * The frame of a data / arithmetic demo in a lesson: a title and the live content, in the
 * same look as the model demos' frame (./model-demo-frame.tsx). A server component.
 */
export function DemoFrame({ kind, title, children }: { kind: string; title: string; children: ReactNode }) {
  return (
    <aside
      aria-label={`Live demo: ${title}`}
      data-demo-kind={kind}
      className="not-prose my-6 rounded-xl border border-brand-300/70 bg-white p-4 shadow-sm dark:border-brand-500/40 dark:bg-slate-900/60"
    >
      <p className="text-xs font-semibold uppercase tracking-wider text-brand-700 dark:text-brand-400">Live demo · {title}</p>
      <div className="mt-3">{children}</div>
    </aside>
  );
}

/** What a demo shows when its data cannot be read: said plainly, announced to screen readers. */
export function DemoError({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="text-sm text-red-600 dark:text-red-400">
      {children}
    </p>
  );
}
