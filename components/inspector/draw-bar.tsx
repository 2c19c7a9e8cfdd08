import type { DrawLayout } from "@/lib/inspector/pipeline";
import { formatCount, formatProb, formatU } from "@/lib/inspector/format";
import { visibleText } from "@/lib/inspector/token-display";

/**
 * The draw as inverse CDF: the kept tokens' final probabilities laid end to end on [0, 1),
 * most likely first, and a marker where u landed. The token whose interval holds u is the
 * one chosen. Without u (a forced token) the bar shows the distribution only.
 */
export function DrawBar({ layout }: { layout: DrawLayout }) {
  const { segments, u } = layout;
  const chosen = segments.find((s) => s.chosen);
  const label =
    u === null
      ? `The final distribution over ${segments.length} recorded kept tokens; the chosen token was imposed, not drawn.`
      : `Cumulative distribution of the kept tokens from 0 to 1, most likely first. The draw u = ${formatU(u)}${
          chosen ? ` lands in “${visibleText(chosen.candidate!)}”, whose interval is ${formatU(chosen.start)} to ${formatU(chosen.end)}` : ""
        }.`;
  return (
    <div className="space-y-1.5">
      <div role="img" aria-label={label} className="relative pt-6">
        {u !== null && (
          <div aria-hidden className="pointer-events-none absolute top-0 z-10 h-full" style={{ left: `${u * 100}%` }}>
            <span
              className={
                "absolute top-0 whitespace-nowrap rounded bg-slate-900 px-1.5 py-0.5 text-[11px] leading-4 font-semibold text-white tabular-nums dark:bg-white dark:text-slate-900 " +
                (u > 0.85 ? "right-0 translate-x-1" : u < 0.15 ? "left-0 -translate-x-1" : "-translate-x-1/2")
              }
            >
              u = {formatU(u)}
            </span>
            <span className="absolute top-5 h-11 w-0.5 -translate-x-1/2 bg-slate-900 dark:bg-white" />
          </div>
        )}
        <div className="relative flex h-9 w-full overflow-hidden rounded-md ring-1 ring-slate-300 dark:ring-slate-700">
          {segments.map((s, i) => {
            const width = Math.max(0, (s.end - s.start) * 100);
            const text = s.id === null ? "others" : visibleText(s.candidate!);
            return (
              <div
                key={s.id ?? `hidden-${i}`}
                title={
                  s.id === null
                    ? `Kept tokens outside the recorded candidates: ${formatProb(s.end - s.start)}${layout.exact ? "" : " (position approximate)"}`
                    : `${text}: ${formatProb(s.end - s.start)} · [${formatU(s.start)}, ${formatU(s.end)})`
                }
                data-chosen={s.chosen || undefined}
                className={
                  "flex h-full shrink-0 items-center justify-center overflow-hidden border-r border-white/70 font-mono text-[11px] last:border-r-0 dark:border-slate-950/70 " +
                  (s.chosen
                    ? "bg-amber-400 font-bold text-amber-950 dark:bg-amber-400"
                    : s.id === null
                      ? "bg-[repeating-linear-gradient(135deg,#e2e8f0_0_4px,#f8fafc_4px_8px)] text-slate-500 dark:bg-[repeating-linear-gradient(135deg,#1e293b_0_4px,#0f172a_4px_8px)] dark:text-slate-400"
                      : i % 2 === 0
                        ? "bg-brand-400/40 text-slate-900 dark:bg-brand-500/45 dark:text-white"
                        : "bg-brand-400/20 text-slate-900 dark:bg-brand-500/25 dark:text-white")
                }
                style={{ width: `${width}%` }}
              >
                {width >= 7 ? <span className="truncate px-0.5 whitespace-pre">{text}</span> : null}
              </div>
            );
          })}
        </div>
        <div aria-hidden className="mt-0.5 flex justify-between text-[10px] text-slate-500 tabular-nums dark:text-slate-400">
          <span>0</span>
          <span>0.25</span>
          <span>0.5</span>
          <span>0.75</span>
          <span>1</span>
        </div>
      </div>
      {chosen && (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          <span className="mr-1 inline-block size-2.5 rounded-sm bg-amber-400 align-middle" aria-hidden />
          “<span className="font-mono">{visibleText(chosen.candidate!)}</span>” owns [{formatU(chosen.start)}, {formatU(chosen.end)})
          {u !== null ? (layout.uInChosen ? `, and u = ${formatU(u)} falls inside it.` : `; u = ${formatU(u)}.`) : "."}
        </p>
      )}
      {layout.hiddenCount > 0 && (
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Striped: {formatCount(layout.hiddenCount)} kept tokens outside the recorded top candidates ({formatProb(layout.hiddenMass)} together).
          {layout.exact
            ? " They all come after the recorded ones, so every boundary shown is exact."
            : u !== null
              ? " Some of them come before the chosen token in the real order; how much probability they hold there is pinned down by u to within the chosen token's width, so the boundaries are approximate and u is exact."
              : " Where they sit among the recorded ones is not recorded, so the boundaries after the first of them are approximate."}
        </p>
      )}
    </div>
  );
}
