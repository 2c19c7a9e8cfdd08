/**
 * The beam-search demo's link to the model: the one decode request that gives the next-token
 * distribution after a beam's tokens, and the conversion of its trace into the log-probability
 * list lib/llm/beam.ts works on, plus the greedy request it is compared with.
 *
 * A beam's tokens are replayed as forced tokens (never re-tokenized) and exactly one more step
 * is decided, greedily: that step's recorded candidates are the top tokens by raw logit, and
 * each one's log-probability is exact (log p = logit − log Z, with log Z recovered from the
 * step's own logprob, as in lib/inspector/candidates.ts). The argmax keeps the step's logprob
 * itself, bit for bit, so a width-1 beam adds up exactly what greedy decoding reports.
 *
 * Isomorphic, no React.
 */
import { rawLogPartition } from "../inspector/candidates.ts";
import type { NextToken } from "../llm/beam.ts";
import type { TokenText, Trace, TraceStep } from "../llm/trace.ts";
import { liveStep } from "./next-token.ts";
import type { LabRequest } from "./lab-engine.ts";

/** Beam widths the demo offers. */
export const MAX_BEAM_WIDTH = 4;
export const DEFAULT_BEAM_WIDTH = 3;
/** Steps the demo allows (each step of width 4 is up to four short decode requests). */
export const MAX_BEAM_STEPS = 16;

/** Greedy and nothing else: raw logits, no penalty or filter, so the candidates are the model's own ranking. */
const GREEDY = { greedy: true, temperature: 0 } as const;

/** A next token as the demo shows it: id, log-probability, and how it reads. */
export interface BeamToken extends NextToken {
  token: TokenText;
}

/** A beam width from a tag prop or a control: an integer in [1, MAX_BEAM_WIDTH], else the default. */
export function parseBeamWidth(raw: string | number | undefined): number {
  const n = typeof raw === "number" ? raw : Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= MAX_BEAM_WIDTH ? n : DEFAULT_BEAM_WIDTH;
}

/** The request for the distribution after `ids`: them forced, one greedy step, `k` candidates. */
export function beamRequest(prompt: string, ids: readonly number[], k = MAX_BEAM_WIDTH): LabRequest {
  return { prompt, settings: { ...GREEDY, maxNewTokens: ids.length + 1 }, forcedTokens: [...ids], candidateCount: k };
}

/** The greedy continuation of `steps` tokens (the comparison path). */
export function greedyRequest(prompt: string, steps: number): LabRequest {
  return { prompt, settings: { ...GREEDY, maxNewTokens: Math.max(1, steps) }, candidateCount: 1 };
}

/** A step's top `k` recorded candidates as next tokens with exact log-probabilities. */
export function stepNextTokens(step: TraceStep, k: number): BeamToken[] {
  const logZ = rawLogPartition(step);
  // Recorded by raw logit, best first; a chosen token appended after them is not in the top k.
  return step.candidates.slice(0, k).map((c) => ({
    id: c.id,
    logprob: c.id === step.tokenId ? step.logprob : c.logit - logZ,
    token: { text: c.text, ...(c.bytes ? { bytes: c.bytes } : {}), ...(c.special ? { special: c.special } : {}) },
  }));
}

/**
 * The next tokens after `forcedCount` forced tokens, from the trace of beamRequest(): none when
 * the text ended first (a forced token was an end token, or the context is full).
 */
export function traceNextTokens(trace: Pick<Trace, "steps">, forcedCount: number, k: number): BeamToken[] {
  const step = liveStep(trace.steps, forcedCount);
  return step ? stepNextTokens(step, k) : [];
}

/** The greedy path of a trace as beam tokens (each step's own token and logprob). */
export function greedyTokens(trace: Pick<Trace, "steps">): BeamToken[] {
  return trace.steps.map((s) => ({
    id: s.tokenId,
    logprob: s.logprob,
    token: { text: s.text, ...(s.bytes ? { bytes: s.bytes } : {}), ...(s.special ? { special: s.special } : {}) },
  }));
}
