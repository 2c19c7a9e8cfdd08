import type { LessonState } from "@/lib/course/progress";

const LABEL: Record<LessonState, string> = {
  "not-started": "Not started",
  "in-progress": "In progress",
  completed: "Completed",
};

const STYLE: Record<LessonState, string> = {
  "not-started": "border-slate-300 text-slate-600 dark:border-slate-700 dark:text-slate-400",
  "in-progress": "border-amber-400 bg-amber-50 text-amber-800 dark:border-amber-500/60 dark:bg-amber-950/40 dark:text-amber-300",
  completed: "border-emerald-500 bg-emerald-50 text-emerald-800 dark:border-emerald-500/60 dark:bg-emerald-950/40 dark:text-emerald-300",
};

/** A lesson's state as a small label (text, not just colour). */
export function LessonStateBadge({ state }: { state: LessonState }) {
  return (
    <span data-state={state} className={`inline-flex shrink-0 items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${STYLE[state]}`}>
      {state === "completed" && <span aria-hidden>✓</span>}
      {LABEL[state]}
    </span>
  );
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** A labelled progress bar: "12 of 26 lessons completed". */
export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const percent = max ? Math.round((value / max) * 100) : 0;
  return (
    <div>
      <div className="flex items-baseline justify-between gap-4 text-sm">
        <span className="font-medium">{label}</span>
        <span className="tabular-nums text-slate-600 dark:text-slate-400">
          {value}/{max}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={`${value} of ${max}`}
        className="mt-2 h-2.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        <div className="h-full rounded-full bg-emerald-500 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
