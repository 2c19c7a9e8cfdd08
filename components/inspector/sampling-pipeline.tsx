import type { DrawLayout, PenaltyBreakdown, PipelineStage } from "@/lib/inspector/pipeline";
import { formatBits, formatCount, formatDelta, formatLogit, formatNats, formatProb } from "@/lib/inspector/format";
import { spokenText } from "@/lib/inspector/token-display";
import { DrawBar } from "./draw-bar";
import { TokenGlyphs } from "./token";

export interface SamplingPipelineProps {
  stages: readonly PipelineStage[];
  penalties: PenaltyBreakdown;
  /** The draw's layout; null when greedy. */
  draw: DrawLayout | null;
  vocabSize: number;
}

/**
 * The sampling pipeline of one step, stage by stage in the order the sampler applies it,
 * with how many tokens are still in play after each stage (a log-scale bar: 2,048 → 40 → 28
 * must both be visible), the probability mass and entropy where the trace records them,
 * the penalties' changes and the draw.
 */
export function SamplingPipeline({ stages, penalties, draw, vocabSize }: SamplingPipelineProps) {
  const logV = Math.log(Math.max(2, vocabSize));
  return (
    <ol className="relative space-y-2" aria-label="Sampling pipeline, in the order applied">
      {stages.map((stage, i) => {
        const width = stage.survivors <= 1 ? 2 : Math.max(2, (Math.log(stage.survivors) / logV) * 100);
        return (
          <li
            key={stage.id}
            data-stage={stage.id}
            className={
              "relative rounded-lg border p-3 " +
              (stage.id === "chosen"
                ? "border-brand-400/50 bg-brand-50/70 dark:border-brand-500/40 dark:bg-brand-500/10"
                : stage.active
                  ? "border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900/60"
                  : "border-dashed border-slate-200 bg-slate-50/60 dark:border-slate-800 dark:bg-slate-900/20")
            }
          >
            <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
              <span aria-hidden className="inline-flex size-5 shrink-0 items-center justify-center rounded-full bg-slate-200 text-[11px] font-semibold text-slate-700 tabular-nums dark:bg-slate-700 dark:text-slate-200">
                {i + 1}
              </span>
              <h4 className="text-sm font-semibold">{stage.title}</h4>
              <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-700 dark:bg-slate-800 dark:text-slate-300">{stage.setting}</span>
              <span className="ml-auto text-xs text-slate-600 tabular-nums dark:text-slate-400">
                <strong className="font-semibold text-slate-900 dark:text-slate-100">{formatCount(stage.survivors)}</strong> {stage.survivors === 1 ? "token" : "tokens"} left
                {stage.removed > 0 && <span className="text-rose-600 dark:text-rose-400"> (−{formatCount(stage.removed)})</span>}
              </span>
            </div>
            <div aria-hidden className="mt-2 h-1 w-full rounded-full bg-slate-100 dark:bg-slate-800">
              <div
                className={"h-full rounded-full " + (stage.id === "chosen" ? "bg-amber-500" : stage.active ? "bg-brand-500" : "bg-slate-300 dark:bg-slate-600")}
                style={{ width: `${width}%` }}
              />
            </div>
            <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{stage.note}</p>
            {stage.active && (stage.mass !== null || stage.entropy !== null) && stage.id !== "raw" && stage.id !== "chosen" && (
              <p className="mt-1 text-xs text-slate-500 tabular-nums dark:text-slate-400">
                {stage.mass !== null && stage.id !== "temperature" && stage.id !== "renormalise" && stage.id !== "draw" && (
                  <>Kept {formatProb(stage.mass)} of the probability at temperature. </>
                )}
                {stage.entropy !== null ? (
                  <>
                    Entropy {stage.id === "renormalise" || stage.id === "draw" ? "of the final distribution " : ""}
                    {formatNats(stage.entropy)} ({formatBits(stage.entropy)}).
                  </>
                ) : null}
              </p>
            )}
            {stage.id === "penalties" && penalties.changes.length > 0 && <PenaltyChanges penalties={penalties} />}
            {stage.id === "draw" && draw && (
              <div className="mt-3">
                <DrawBar layout={draw} />
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** The recorded candidates whose logits the penalties changed, split by rule. */
export function PenaltyChanges({ penalties }: { penalties: PenaltyBreakdown }) {
  const shown = penalties.changes.slice(0, 8);
  return (
    <div className="mt-3 overflow-x-auto">
      <table className="w-full min-w-[30rem] border-collapse text-left text-xs tabular-nums">
        <caption className="sr-only">Candidates whose logits the penalties changed</caption>
        <thead className="text-[11px] uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" className="py-1 pr-2 font-semibold">
              Token
            </th>
            <th scope="col" className="py-1 pr-2 font-semibold">
              Why
            </th>
            <th scope="col" className="py-1 pr-2 text-right font-semibold">
              Logit
            </th>
            <th scope="col" className="py-1 pr-2 text-right font-semibold">
              Repetition
            </th>
            <th scope="col" className="py-1 pr-2 text-right font-semibold">
              Presence
            </th>
            <th scope="col" className="py-1 pr-2 text-right font-semibold">
              Frequency
            </th>
            <th scope="col" className="py-1 text-right font-semibold">
              After
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => (
            <tr key={c.row.id} className="border-t border-slate-100 dark:border-slate-800">
              <th scope="row" className="py-1 pr-2 font-mono text-[13px] font-normal">
                <span className="sr-only">{spokenText(c.row.candidate)}</span>
                <span aria-hidden className="whitespace-pre">
                  <TokenGlyphs token={c.row.candidate} />
                </span>
              </th>
              <td className="py-1 pr-2 text-slate-600 dark:text-slate-400">
                {[c.seen ? "seen before" : null, c.count > 0 ? `generated ${c.count}×` : null].filter(Boolean).join(", ") || "—"}
              </td>
              <td className="py-1 pr-2 text-right">{formatLogit(c.row.logit)}</td>
              <td className="py-1 pr-2 text-right">{c.attributed ? formatDelta(c.repetition) : "—"}</td>
              <td className="py-1 pr-2 text-right">{c.attributed ? formatDelta(c.presence) : "—"}</td>
              <td className="py-1 pr-2 text-right">{c.attributed ? formatDelta(c.frequency) : "—"}</td>
              <td className="py-1 text-right font-semibold">
                {formatLogit(c.row.logitAfterPenalty)}{" "}
                <span className={c.row.penaltyDelta < 0 ? "text-rose-600 dark:text-rose-400" : "text-emerald-600 dark:text-emerald-400"}>({formatDelta(c.row.penaltyDelta)})</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {penalties.changes.length > shown.length && (
        <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">…and {penalties.changes.length - shown.length} more among the recorded candidates.</p>
      )}
    </div>
  );
}
