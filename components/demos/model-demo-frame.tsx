"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { formatProb } from "@/lib/inspector/format";
import { spokenText } from "@/lib/inspector/token-display";
import { describeRun } from "@/lib/playground/lab-engine";
import type { TokenText, Trace } from "@/lib/llm/trace";
import { TokenGlyphs } from "@/components/inspector/token";

/**
 * The frame of every model demo in a lesson: a title, the live content, and a footer that
 * says which model and backend ran and links to the lab in the same state.
 */
export function ModelDemoFrame({
  kind,
  title,
  children,
  trace,
  href,
  running,
  error,
}: {
  kind: string;
  title: string;
  children: ReactNode;
  trace: Pick<Trace, "model"> | null;
  href: string;
  running?: boolean;
  error?: string | null;
}) {
  return (
    <aside
      aria-label={`Live demo: ${title}`}
      data-demo-kind={kind}
      aria-busy={running}
      className="not-prose my-6 rounded-xl border border-brand-300/70 bg-white p-4 shadow-sm dark:border-brand-500/40 dark:bg-slate-900/60"
    >
      <p className="text-xs font-semibold uppercase tracking-wider text-brand-700 dark:text-brand-400">Live demo · {title}</p>
      <div className="mt-3">{children}</div>
      {error && (
        <p role="alert" className="mt-3 text-sm text-red-600 dark:text-red-400">
          The model could not run: {error}
        </p>
      )}
      <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1 border-t border-slate-100 pt-2 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
        <span data-testid="demo-ran-on">{trace ? describeRun(trace) : running ? "Running course-lm on the server…" : "course-lm on the server"}</span>
        <Link href={href} className="ml-auto font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-400">
          Open in the playground →
        </Link>
      </div>
    </aside>
  );
}

/** A token, drawn faithfully, with its spoken form for screen readers. */
export function Tok({ token, className = "" }: { token: TokenText; className?: string }) {
  return (
    <span className={`rounded bg-slate-100 px-1 font-mono dark:bg-slate-800 ${className}`}>
      <span className="sr-only">{spokenText(token)}</span>
      <span aria-hidden className="whitespace-pre">
        <TokenGlyphs token={token} />
      </span>
    </span>
  );
}

export interface BarRow {
  id: number;
  token: TokenText;
  /** A probability in [0, 1]. */
  p: number;
  detail?: string;
  highlight?: boolean;
}

/** Probabilities as labelled horizontal bars (a list, so every value is read out). */
export function ProbBars({ rows, label, max }: { rows: readonly BarRow[]; label: string; max?: number }) {
  const top = max ?? Math.max(0.01, ...rows.map((r) => r.p));
  return (
    <ul aria-label={label} className="grid grid-cols-1 gap-1 text-sm">
      {rows.map((r) => (
        <li key={r.id} className="grid grid-cols-[6.5rem_minmax(0,1fr)_4.5rem] items-center gap-2" data-testid="demo-bar" data-token-id={r.id}>
          <Tok token={r.token} className={"truncate " + (r.highlight ? "font-semibold ring-1 ring-amber-500" : "")} />
          <span aria-hidden className="h-3 rounded-sm bg-slate-100 dark:bg-slate-800">
            <span className={"block h-full rounded-sm " + (r.highlight ? "bg-amber-500" : "bg-brand-500")} style={{ width: `${Math.max(0.5, (r.p / top) * 100)}%` }} />
          </span>
          <span className="text-right tabular-nums text-xs">
            {formatProb(r.p)}
            {r.detail && <span className="block text-[11px] text-slate-500 dark:text-slate-400">{r.detail}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}
