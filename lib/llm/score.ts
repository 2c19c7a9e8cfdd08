/**
 * Scoring a text: how surprised the model is by each of its tokens, for the perplexity lab,
 * the cross-entropy demo and /api/score — computed by the one decode loop, not a second one.
 *
 * The text is tokenized once (with the special tokens the tokenizer itself adds, e.g. a BOS
 * for tokenizers that add one; course-lm's adds none). The first token becomes the prompt
 * and every later token is *forced*: decode() runs its forward pass, records the chosen
 * (forced) token's logprob, rank, entropy and the top candidates, and moves on — exactly
 * what a perplexity needs. The first token has no context and so gets no score.
 *
 * The prompt is passed as ids (PromptInput's `promptIds`), never as text: decoding the first
 * token back to text and tokenizing it again could merge or split differently at the cut.
 *
 * Settings are neutral — T = 1, no filters, no penalties — rather than greedy, so that each
 * step's entropy and candidates' probabilities are the model's own distribution (greedy would
 * record an entropy of 0). The draw never decides anything: every token is forced.
 *
 * Isomorphic (decode.ts runs in Node and in the browser worker). UI code imports its types only.
 */
import { decode, type DecodeRequest } from "./decode.ts";
import type { LoadedModel } from "./load.ts";
import { MAX_NEW_TOKENS, type GenerationSettingsInput, type Trace } from "./trace.ts";

/** The model's own distribution: temperature 1, every filter and penalty off. */
export const SCORE_SETTINGS = {
  temperature: 1,
  topK: 0,
  topP: 1,
  minP: 0,
  repetitionPenalty: 1,
  presencePenalty: 0,
  frequencyPenalty: 0,
  greedy: false,
  seed: 0,
} as const satisfies GenerationSettingsInput;

/** What the scoring of one text covered. */
export interface ScoreCoverage {
  /** Tokens of the whole text (special tokens the tokenizer adds included). */
  totalTokens: number;
  /** Tokens kept: the first one (context only) plus every scored one. */
  keptTokens: number;
  /** Tokens that got a surprise: keptTokens − 1. */
  scoredTokens: number;
  /** The text was longer than the limit and was cut (from the end). */
  truncated: boolean;
  /** Most tokens one scoring keeps: min(MAX_NEW_TOKENS + 1, the model's context window). */
  maxTokens: number;
}

/** A scored text: the trace (prompt = the first token, steps = every later token) and its coverage. */
export interface ScoreResult extends ScoreCoverage {
  trace: Trace;
}

/** The plan: ids split into the prompt (first token) and the forced rest, with coverage. */
export interface ScorePlan extends ScoreCoverage {
  promptIds: number[];
  forcedTokens: number[];
}

/** The text has fewer than two tokens: nothing can be scored. */
export class TextTooShortError extends RangeError {
  constructor(readonly tokens: number) {
    super(
      tokens === 0
        ? "the text is empty: give at least two tokens to score"
        : "the text is a single token: the first token only gives context, so give at least two tokens to score",
    );
    this.name = "TextTooShortError";
  }
}

/** Most tokens a scoring can keep for a model with this context window. */
export function maxScoreTokens(contextLength: number): number {
  // Prompt (1) + forced tokens (at most MAX_NEW_TOKENS per decode) must fit in the window.
  return Math.max(0, Math.min(MAX_NEW_TOKENS + 1, contextLength));
}

/** Split token ids into the scoring plan, cutting to the limit. Pure: tested without a model. */
export function planScore(ids: readonly number[], contextLength: number): ScorePlan {
  const maxTokens = maxScoreTokens(contextLength);
  if (ids.length < 2) throw new TextTooShortError(ids.length);
  const kept = ids.slice(0, maxTokens);
  return {
    promptIds: kept.slice(0, 1),
    forcedTokens: kept.slice(1),
    totalTokens: ids.length,
    keptTokens: kept.length,
    scoredTokens: kept.length - 1,
    truncated: ids.length > kept.length,
    maxTokens,
  };
}

/** Tokenize a text as scoring does: the tokenizer's own special tokens, nothing else. */
export function scoreTokenIds(model: Pick<LoadedModel, "tokenizer">, text: string): number[] {
  return model.tokenizer.encode(text, { add_special_tokens: true });
}

/**
 * The decode request that scores `text` (plus the plan, for the coverage report). The model
 * in the request is the given one without end-of-sequence ids, so an end token inside the
 * text is scored like any other instead of stopping the loop.
 */
export function buildScoreRequest(
  model: LoadedModel,
  text: string,
  options: { candidateCount?: number; signal?: AbortSignal } = {},
): { request: DecodeRequest; plan: ScorePlan } {
  const plan = planScore(scoreTokenIds(model, text), model.contextLength);
  const request: DecodeRequest = {
    promptIds: plan.promptIds,
    model: { ...model, eosTokenIds: [] },
    forcedTokens: plan.forcedTokens,
    settings: { ...SCORE_SETTINGS, maxNewTokens: plan.forcedTokens.length },
    ...(options.candidateCount !== undefined ? { candidateCount: options.candidateCount } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return { request, plan };
}

/**
 * What a server generation that scores a plan is given (POST /api/score, the inspector
 * challenges): its prompt and forced tokens, the model's own distribution, and no stop at end
 * tokens, so an end token inside the text is scored like any other.
 */
export function scoreGenerationInput(plan: ScorePlan) {
  return {
    promptIds: plan.promptIds,
    forcedTokens: plan.forcedTokens,
    settings: { ...SCORE_SETTINGS, maxNewTokens: plan.forcedTokens.length },
    ignoreEos: true as const,
  };
}

/** Coverage fields of a plan (what a ScoreResult carries beside the trace). */
export function coverageOf(plan: ScoreCoverage): ScoreCoverage {
  const { totalTokens, keptTokens, scoredTokens, truncated, maxTokens } = plan;
  return { totalTokens, keptTokens, scoredTokens, truncated, maxTokens };
}

/**
 * Score a text with a loaded model (Node or the browser worker): the trace and its coverage.
 *
 * `betweenSteps` runs after each scored token. The browser worker passes a yield to its event
 * loop there, so an "abort" message can arrive while a long text is being scored (a worker
 * that never yields only reads it at the end). An aborted score returns the tokens scored so
 * far, with finishReason "aborted".
 */
export async function scoreText(
  model: LoadedModel,
  text: string,
  options: { candidateCount?: number; signal?: AbortSignal; betweenSteps?: () => Promise<void> } = {},
): Promise<ScoreResult> {
  const { request, plan } = buildScoreRequest(model, text, options);
  for await (const event of decode(request)) {
    if (event.type === "done") return { trace: event.trace, ...coverageOf(plan) };
    if (event.type === "step") await options.betweenSteps?.();
  }
  throw new Error("decode() ended without a trace");
}
