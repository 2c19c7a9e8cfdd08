import type { FilterStage } from "@/lib/llm/trace";
import type { CandidateRow } from "@/lib/inspector/pipeline";
import { formatDelta, formatLogit, formatProb } from "@/lib/inspector/format";
import { spokenText } from "@/lib/inspector/token-display";
import { TokenGlyphs } from "./token";

export const REMOVED_BY_LABEL: Record<FilterStage, string> = {
  quote: "not a quotation",
  greedy: "not the argmax",
  topK: "removed by top-k",
  topP: "removed by top-p",
  minP: "removed by min-p",
};

/**
 * Every recorded candidate of a step: rank, token, id, raw logit, logit after the penalties
 * (with the change), and the three probabilities; the chosen row highlighted.
 */
export function CandidateTable({ rows, caption }: { rows: readonly CandidateRow[]; caption: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full min-w-[36rem] border-collapse text-left text-xs tabular-nums">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-[11px] uppercase tracking-wide text-slate-500 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-2 py-1.5 font-semibold">
              Rank
            </th>
            <th scope="col" className="px-2 py-1.5 font-semibold">
              Token
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-semibold">
              Id
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-semibold">
              Logit
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-semibold">
              After penalty
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-semibold">
              p (T = 1)
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-semibold">
              p at T
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-semibold">
              p final
            </th>
            <th scope="col" className="px-2 py-1.5 font-semibold">
              Status
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.id}
              data-candidate={r.id}
              aria-current={r.chosen ? "true" : undefined}
              className={
                "border-t border-slate-100 dark:border-slate-800 " +
                (r.chosen ? "bg-brand-50 font-semibold dark:bg-brand-500/15" : r.kept ? "" : "text-slate-500 dark:text-slate-500")
              }
            >
              <td className="px-2 py-1">{r.rank + 1}</td>
              <th scope="row" className="px-2 py-1 font-mono text-[13px] font-normal">
                <span className="sr-only">{spokenText(r.candidate)}</span>
                <span aria-hidden className="whitespace-pre">
                  <TokenGlyphs token={r.candidate} />
                </span>
              </th>
              <td className="px-2 py-1 text-right text-slate-500 dark:text-slate-400">{r.id}</td>
              <td className="px-2 py-1 text-right">{formatLogit(r.logit)}</td>
              <td className="px-2 py-1 text-right">
                {formatLogit(r.logitAfterPenalty)}
                {r.penaltyDelta !== 0 && (
                  <span className={"ml-1 text-[11px] " + (r.penaltyDelta < 0 ? "text-rose-600 dark:text-rose-400" : "text-emerald-600 dark:text-emerald-400")}>
                    ({formatDelta(r.penaltyDelta)})
                  </span>
                )}
                {r.candidate.copyBonus !== undefined && (
                  <span className="ml-1 text-[11px] text-teal-700 dark:text-teal-300" title="The copy stage favoured this token: it continues a run of the reply found in the prompt">
                    (copy {formatDelta(r.candidate.copyBonus)})
                  </span>
                )}
              </td>
              <td className="px-2 py-1 text-right">{formatProb(r.probModel)}</td>
              <td className="px-2 py-1 text-right">{formatProb(r.probAtTemperature)}</td>
              <td className="px-2 py-1 text-right">{formatProb(r.probFinal)}</td>
              <td className="px-2 py-1 font-sans whitespace-nowrap">
                {r.chosen ? (
                  <span className="rounded bg-brand-600 px-1.5 py-0.5 text-[11px] font-semibold text-white dark:bg-brand-500">chosen</span>
                ) : r.removedBy ? (
                  REMOVED_BY_LABEL[r.removedBy]
                ) : (
                  <span className="text-emerald-700 dark:text-emerald-400">kept</span>
                )}
                {r.chosen && r.removedBy ? <span className="ml-1 font-normal text-slate-500">({REMOVED_BY_LABEL[r.removedBy]}; forced)</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
