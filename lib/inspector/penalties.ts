/**
 * View model of the penalties' effect at one step: which recorded candidates the repetition,
 * presence and frequency penalties changed, and by how much each rule did, computed with the
 * sampler's own functions (lib/llm/sampler.ts) on the context rebuilt from the trace.
 *
 * Isomorphic, no React.
 */
import { createSamplerContext, presenceFrequencyPenalty, repetitionPenalized } from "../llm/sampler.ts";
import type { Trace } from "../llm/trace.ts";
import { candidateRows, type CandidateRow } from "./candidates.ts";

export interface PenaltyChange {
  row: CandidateRow;
  /** The token appeared in the prompt or earlier in the reply (the repetition penalty's set). */
  seen: boolean;
  /** Times generated in this reply before this step (the presence/frequency penalties' count). */
  count: number;
  /** Change from the repetition penalty (divide a positive logit, multiply a negative one). */
  repetition: number;
  /** Change from the presence penalty (−presence once the token was generated). */
  presence: number;
  /** Change from the frequency penalty (−frequency × count). */
  frequency: number;
  /** The three parts reproduce the recorded logitAfterPenalty (else only the total is trustworthy). */
  attributed: boolean;
}

export interface PenaltyBreakdown {
  repetitionPenalty: number;
  presencePenalty: number;
  frequencyPenalty: number;
  /** Any of the three is on. */
  active: boolean;
  /** Recorded candidates whose logit changed, most changed first. */
  changes: PenaltyChange[];
}

/**
 * Which recorded candidates the penalties changed at `stepIndex`, and by which rule. The
 * context the sampler saw is rebuilt from the trace: the prompt's tokens and the reply's
 * tokens before this step (the repetition penalty's "seen" set), and how often each was
 * generated (presence/frequency). The parts are computed with the sampler's own formulas;
 * `attributed` says whether they add up to the recorded value.
 */
export function penaltyBreakdown(trace: Pick<Trace, "prompt" | "steps" | "settings">, stepIndex: number): PenaltyBreakdown {
  const { repetitionPenalty, presencePenalty, frequencyPenalty } = trace.settings;
  const step = trace.steps[stepIndex];
  const context = createSamplerContext(
    trace.prompt.tokens.map((t) => t.id),
    trace.steps.slice(0, stepIndex).map((s) => s.tokenId),
  );
  const changes: PenaltyChange[] = [];
  for (const row of candidateRows(step)) {
    if (row.logitAfterPenalty === row.logit) continue;
    const x = row.logit;
    const isSeen = context.seen.has(row.id);
    const count = context.generatedCounts.get(row.id) ?? 0;
    const afterRep = isSeen ? repetitionPenalized(x, repetitionPenalty) : x;
    const expected = afterRep - presenceFrequencyPenalty(count, presencePenalty, frequencyPenalty);
    changes.push({
      row,
      seen: isSeen,
      count,
      repetition: afterRep - x,
      presence: count > 0 ? -presencePenalty : 0,
      frequency: -frequencyPenalty * count,
      attributed: Math.abs(expected - row.logitAfterPenalty) <= 1e-6 * Math.max(1, Math.abs(x)),
    });
  }
  changes.sort((a, b) => Math.abs(b.row.penaltyDelta) - Math.abs(a.row.penaltyDelta) || a.row.rank - b.row.rank);
  return {
    repetitionPenalty,
    presencePenalty,
    frequencyPenalty,
    active: repetitionPenalty !== 1 || presencePenalty !== 0 || frequencyPenalty !== 0,
    changes,
  };
}
