/**
 * View model of one step's candidates (the candidates table and chart, the step summary):
 * every recorded candidate as a row, with the model's own probability recovered exactly from
 * the trace — the step's logprob is logit(chosen) − log Z, so log Z = logit(chosen) − logprob
 * and p = exp(logit − log Z). The penalties, stages and draw view models build on these rows
 * (lib/inspector/pipeline.ts re-exports all four).
 *
 * Isomorphic, no React.
 */
import { isGreedy, type FilterStage, type Trace, type TraceCandidate, type TraceStep } from "../llm/trace.ts";
import { formatLogit } from "./format.ts";

export interface CandidateRow {
  candidate: TraceCandidate;
  id: number;
  /** Rank by raw logit (0 = the model's top choice). */
  rank: number;
  logit: number;
  logitAfterPenalty: number;
  /** logitAfterPenalty − logit (0 when no penalty touched it). */
  penaltyDelta: number;
  /** softmax(raw logits) at T = 1: the model's own probability. */
  probModel: number;
  probAtTemperature: number;
  probFinal: number;
  removedBy?: FilterStage;
  chosen: boolean;
  /** Survived every filter (probFinal > 0, or the argmax when greedy). */
  kept: boolean;
}

/** log Z of the raw logits, recovered from the chosen token: logit(chosen) − logprob. */
export function rawLogPartition(step: Pick<TraceStep, "tokenId" | "logprob" | "candidates">): number {
  const chosen = step.candidates.find((c) => c.id === step.tokenId);
  if (!chosen) throw new Error(`step's candidates do not include the chosen token ${step.tokenId}`);
  return chosen.logit - step.logprob;
}

/** Is the chosen token appended after the top-N list (it was not among the top N by raw logit)? Its index, or −1. */
export function appendedChosenIndex(step: Pick<TraceStep, "tokenId" | "rank" | "candidates">): number {
  const i = step.candidates.findIndex((c) => c.id === step.tokenId);
  // In the top-N list the candidates are sorted by raw logit with the same tie rule as the
  // rank, so the chosen token sits at index = rank. Appended, it sits at N ≤ rank.
  return i >= 0 && i !== step.rank ? i : -1;
}

/** Every recorded candidate of a step, in recorded order (by raw logit; an appended chosen token last). */
export function candidateRows(step: TraceStep): CandidateRow[] {
  const logZ = rawLogPartition(step);
  const appended = appendedChosenIndex(step);
  return step.candidates.map((c, i) => ({
    candidate: c,
    id: c.id,
    rank: i === appended ? step.rank : i,
    logit: c.logit,
    logitAfterPenalty: c.logitAfterPenalty,
    penaltyDelta: c.logitAfterPenalty - c.logit,
    probModel: Math.exp(c.logit - logZ),
    probAtTemperature: c.probAtTemperature,
    probFinal: c.probFinal,
    ...(c.removedBy ? { removedBy: c.removedBy } : {}),
    chosen: c.id === step.tokenId,
    kept: c.removedBy === undefined,
  }));
}

/** The rows for the chart: the first `limit` by raw logit, plus the chosen token if it is further down. */
export function chartRows(rows: readonly CandidateRow[], limit: number): CandidateRow[] {
  const top = rows.slice(0, limit);
  const chosen = rows.find((r) => r.chosen);
  if (chosen && !top.includes(chosen)) top.push(chosen);
  return top;
}

// ─── Summary of a step ──────────────────────────────────────────────────────────────────

export interface StepSummary {
  index: number;
  chosen: CandidateRow;
  greedy: boolean;
  forced: boolean;
  /** The model's probability of the chosen token (T = 1). */
  probModel: number;
  /** Its probability in the distribution sampled (1 when greedy). */
  probFinal: number;
  entropy: number;
  u: number | null;
}

export function stepSummary(trace: Pick<Trace, "steps" | "settings">, stepIndex: number): StepSummary {
  const step = trace.steps[stepIndex];
  const chosen = candidateRows(step).find((r) => r.chosen)!;
  return {
    index: step.index,
    chosen,
    greedy: isGreedy(trace.settings),
    forced: step.forced === true,
    probModel: chosen.probModel,
    probFinal: chosen.probFinal,
    entropy: step.entropy,
    u: step.u,
  };
}

/** "logit 2.31 → 1.78" for a penalised candidate; just the logit when unchanged. */
export function describeLogitChange(row: Pick<CandidateRow, "logit" | "logitAfterPenalty">): string {
  return row.logit === row.logitAfterPenalty ? formatLogit(row.logit) : `${formatLogit(row.logit)} → ${formatLogit(row.logitAfterPenalty)}`;
}
