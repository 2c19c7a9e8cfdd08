"use client";

import type { ContextReport } from "@/lib/tutor/types";

/**
 * How much of the model's context window the current reply uses: the prompt's parts (system,
 * lesson passages, earlier turns, the question), the reply so far, and the room kept for it —
 * with a note when earlier exchanges or passages were left out.
 */
export function ContextMeter({ context, replyTokens, live }: { context: ContextReport | null; replyTokens: number; live: boolean }) {
  if (!context) {
    return (
      <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="context-meter">
        Context window: nothing sent to the model yet.
      </p>
    );
  }
  const { limit, parts } = context;
  const total = context.used + replyTokens;
  const pct = (n: number) => `${Math.max(0, Math.min(100, (n / limit) * 100))}%`;
  const segments = [
    { key: "system", label: "system", n: parts.system, className: "bg-slate-400 dark:bg-slate-500" },
    { key: "history", label: "earlier turns", n: parts.history, className: "bg-sky-400 dark:bg-sky-600" },
    { key: "passages", label: "lesson passages", n: parts.passages, className: "bg-amber-400 dark:bg-amber-500" },
    { key: "question", label: "question", n: parts.question, className: "bg-brand-500" },
    { key: "reply", label: "reply", n: replyTokens, className: "bg-emerald-500" },
  ].filter((s) => s.n > 0);
  const notes: string[] = [];
  // Only the last exchange (for course-lm: its question) may go in at all; older ones stay out by design.
  if (context.droppedTurns > 0) notes.push(`${context.droppedTurns} earlier ${context.droppedTurns === 1 ? "exchange was" : "exchanges were"} left out: the prompt keeps only the last one`);
  if (context.trimmedPassages > 0) notes.push(`${context.trimmedPassages} ${context.trimmedPassages === 1 ? "passage was" : "passages were"} shortened`);
  if (context.droppedPassages > 0) notes.push(`${context.droppedPassages} more retrieved ${context.droppedPassages === 1 ? "passage was" : "passages were"} left out`);
  return (
    <div className="space-y-1" data-testid="context-meter" data-used={total} data-limit={limit} data-dropped-turns={context.droppedTurns}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-xs text-slate-600 dark:text-slate-400">
        <span>
          Context window: <strong className="tabular-nums text-slate-900 dark:text-slate-100">{context.estimated ? "≤ " : ""}{total}</strong> of {limit} tokens
          {live ? " (reply streaming)" : ""}
        </span>
        <span className="tabular-nums">{context.reserved} kept free for the reply</span>
      </div>
      <div
        role="meter"
        aria-label="Context window used"
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={total}
        aria-valuetext={`${total} of ${limit} tokens`}
        className="flex h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        {segments.map((s) => (
          <div key={s.key} className={s.className} style={{ width: pct(s.n) }} title={`${s.label}: ${s.n} tokens`} />
        ))}
      </div>
      <ul className="flex flex-wrap gap-x-3 text-[11px] text-slate-500 dark:text-slate-400">
        {segments.map((s) => (
          <li key={s.key} className="inline-flex items-center gap-1">
            <span aria-hidden className={`inline-block size-2 rounded-full ${s.className}`} /> {s.label} {s.n}
          </li>
        ))}
      </ul>
      {notes.length > 0 && (
        <p className="text-xs font-medium text-amber-700 dark:text-amber-400" data-testid="context-dropped">
          {notes.join(" · ")}.
        </p>
      )}
    </div>
  );
}
