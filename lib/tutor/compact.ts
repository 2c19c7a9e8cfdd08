/**
 * Traces as stored with each reply: the same object, its floating-point numbers rounded to 6
 * significant digits (timings to 0.1 ms). A trace of a 128-token reply holds ~2,700
 * candidates × 4 numbers; full doubles (17 digits each in JSON) make it ~40 % larger with no
 * digit the inspector shows. Token ids, texts, bytes, ranks and counts are untouched, so a
 * stored trace still replays and branches exactly.
 *
 * Isomorphic: pure functions.
 */
import type { Trace, TraceCandidate, TraceStep } from "../llm/trace.ts";

export const SIGNIFICANT_DIGITS = 6;

/** x rounded to `digits` significant digits (finite numbers; others unchanged). */
export function roundSignificant(x: number, digits = SIGNIFICANT_DIGITS): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}

const ms = (x: number) => Math.round(x * 10) / 10;

function compactCandidate(c: TraceCandidate): TraceCandidate {
  return {
    ...c,
    logit: roundSignificant(c.logit),
    logitAfterPenalty: roundSignificant(c.logitAfterPenalty),
    probAtTemperature: roundSignificant(c.probAtTemperature),
    probFinal: roundSignificant(c.probFinal),
  };
}

function compactStep(s: TraceStep): TraceStep {
  const step: TraceStep = {
    ...s,
    logprob: roundSignificant(s.logprob),
    entropy: roundSignificant(s.entropy),
    u: s.u === null ? null : roundSignificant(s.u),
    candidates: s.candidates.map(compactCandidate),
  };
  // Internals (attention, logit lens: up to ~100 KB a step) are not stored with a reply: the
  // inspector recomputes them on request from the reply's own prompt and tokens.
  delete step.attention;
  delete step.logitLens;
  return step;
}

/** The trace with its floats rounded and any internals left out, for storage (a new object; the input is not changed). */
export function compactTrace(trace: Trace): Trace {
  return {
    ...trace,
    steps: trace.steps.map(compactStep),
    timings: {
      prefillMs: ms(trace.timings.prefillMs),
      ttftMs: ms(trace.timings.ttftMs),
      tokensPerSecond: trace.timings.tokensPerSecond === null ? null : roundSignificant(trace.timings.tokensPerSecond, 4),
      totalMs: ms(trace.timings.totalMs),
    },
  };
}
