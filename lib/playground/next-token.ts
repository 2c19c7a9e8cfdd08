/**
 * The next-token lab's state and maths: what lives in the URL, the one decode request it
 * makes, and the summary of the distribution beyond the charted tokens.
 *
 * State = the prompt, the tokens chosen so far (as ids: replayed through forcedTokens, so a
 * re-tokenization of prompt + text can never shift them), the sampler's settings and the
 * chart size. One request answers everything the lab shows: the chosen tokens are forced and
 * exactly one more step is decided by the sampler — that last step's candidates are the live
 * distribution, its pipeline the stages, and its draw the token Step appends.
 *
 * Isomorphic, no React.
 */
import { MAX_SEED } from "../llm/prng.ts";
import { MAX_NEW_TOKENS, type GenerationSettings, type TraceStep } from "../llm/trace.ts";
import type { CandidateRow } from "../inspector/pipeline.ts";
import { labTargetFields, nextTokenSettings, type LabRequest } from "./lab-engine.ts";
import { booleanField, choiceField, decodeState, encodeState, idListField, numberField, textField, type Spec } from "./url-state.ts";

/** Candidates recorded per step: the chart shows up to this many. */
export const NEXT_TOKEN_CANDIDATES = 50;
/** Chosen tokens at most: each is a forced step, and one more step must fit in MAX_NEW_TOKENS. */
export const MAX_CHOSEN = MAX_NEW_TOKENS - 1;
export const MAX_PROMPT_CHARS = 2000;

export const CHART_SIZES = ["10", "20", "50"] as const;
export type ChartSize = (typeof CHART_SIZES)[number];

export interface NextTokenState {
  prompt: string;
  chosen: number[];
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
  repetitionPenalty: number;
  presencePenalty: number;
  frequencyPenalty: number;
  copyBoost: number;
  /** The quote stage: the next token must continue (or start) a whole sentence of the prompt. */
  quote: boolean;
  seed: number;
  show: ChartSize;
  backend: "server" | "browser";
  model: string;
}

export const DEFAULT_PROMPT = "The capital of France is";

/**
 * Defaults show the model's own distribution: T = 1 and every filter and penalty off, so
 * each slider the learner moves has a visible effect of its own.
 */
export const nextTokenSpec: Spec<NextTokenState> = {
  prompt: textField(DEFAULT_PROMPT, MAX_PROMPT_CHARS),
  chosen: idListField(MAX_CHOSEN),
  temperature: numberField(1, { min: 0, max: 2 }),
  topK: numberField(0, { min: 0, max: 100_000, integer: true }),
  topP: numberField(1, { min: 0.01, max: 1 }),
  minP: numberField(0, { min: 0, max: 0.99 }),
  repetitionPenalty: numberField(1, { min: 1, max: 2 }),
  presencePenalty: numberField(0, { min: -2, max: 2 }),
  frequencyPenalty: numberField(0, { min: -2, max: 2 }),
  copyBoost: numberField(0, { min: 0, max: 10 }),
  quote: booleanField(false),
  seed: numberField(0, { min: 0, max: MAX_SEED, integer: true }),
  show: choiceField<ChartSize>("20", CHART_SIZES),
  ...labTargetFields,
};

/** The sampler settings of a state (without maxNewTokens). */
export function samplingSettings(s: NextTokenState): Partial<GenerationSettings> {
  return {
    temperature: s.temperature,
    topK: s.topK,
    topP: s.topP,
    minP: s.minP,
    repetitionPenalty: s.repetitionPenalty,
    presencePenalty: s.presencePenalty,
    frequencyPenalty: s.frequencyPenalty,
    copyBoost: s.copyBoost,
    quote: s.quote,
    seed: s.seed,
  };
}

/** The one request of the lab: the chosen tokens forced, one more step sampled, 50 candidates. */
export function nextTokenRequest(s: Pick<NextTokenState, keyof NextTokenState>): LabRequest {
  return {
    prompt: s.prompt,
    settings: nextTokenSettings(samplingSettings(s), s.chosen.length),
    forcedTokens: s.chosen,
    candidateCount: NEXT_TOKEN_CANDIDATES,
  };
}

/**
 * The live step of a trace for `chosenCount` forced tokens: the step after them, or null
 * when the text ended before it (a chosen token was an end token, or the context is full).
 */
export function liveStep<S extends Pick<TraceStep, "index" | "forced">>(steps: readonly S[], chosenCount: number): S | null {
  const step = steps[chosenCount];
  return step && step.index === chosenCount && !step.forced ? step : null;
}

/** The probability outside the charted rows: how many tokens, and their share before/after sampling. */
export interface RestShare {
  /** Tokens not in the chart: the vocabulary minus the charted ones. */
  count: number;
  /** Their share of the model's own distribution (T = 1). */
  model: number;
  /** Their share of the distribution sampled from. */
  final: number;
}

/** What the tokens beyond the first `shown` rows (ranked by raw logit) hold together. */
export function restShare(rows: readonly Pick<CandidateRow, "probModel" | "probFinal">[], shown: number, vocabSize: number): RestShare {
  const top = rows.slice(0, Math.max(0, shown));
  const sum = (key: "probModel" | "probFinal") => top.reduce((s, r) => s + r[key], 0);
  // Clamped: the charted probabilities can add up to a hair over 1 in floating point.
  return { count: Math.max(0, vocabSize - top.length), model: Math.max(0, 1 - sum("probModel")), final: Math.max(0, 1 - sum("probFinal")) };
}

/** A link to the lab in a given state (lesson demos' "open in the playground"). */
export function nextTokenHref(patch: Partial<NextTokenState>): string {
  const state = { ...decodeState(nextTokenSpec, new URLSearchParams()), ...patch };
  const query = encodeState(nextTokenSpec, state).toString();
  return `/playground/next-token${query ? `?${query}` : ""}`;
}
