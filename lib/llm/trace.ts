/**
 * The trace: everything Glassbox records about one model reply, so the inspector can show
 * what the model saw (the prompt's tokens), what it computed (the logits at every step)
 * and how each token was chosen (every stage of the sampling pipeline).
 *
 * This is THE one trace type: the decode loop produces it, the server streams it, the
 * browser worker produces the same, the database stores it with each message, and the
 * inspector renders it (its runtime check for traces sent back by a browser: ./trace-schema.ts).
 *
 * Also here: the settings' limits and defaults (their zod schema, which validates them, is
 * ./settings.ts — kept apart so pages that only read traces do not download zod) and the
 * surprise / perplexity maths.
 *
 * Isomorphic, no dependencies.
 */
import type { LensEntry } from "./internals.ts";
import type { GenerationSettings, SamplingSettings } from "./settings.ts";

// ─── Settings ───────────────────────────────────────────────────────────────────────────

/** Most tokens one reply may generate. Keeps a request's cost bounded (256 steps of a
 *  small model is a few seconds on a CPU) and a stored trace small (~1.5 KB per step). */
export const MAX_NEW_TOKENS = 256;
/** Most candidates a request may ask to record per step (candidateCount; the default is
 *  20). 200 rows × 256 steps stays a few MB of trace; a lab's bar chart shows at most 50. */
export const MAX_CANDIDATES = 200;
/** Tokens a request may track at every step (decode's trackTokens). */
export const MAX_TRACKED_TOKENS = 8;
/** Upper bound accepted for topK. Any value at or above the vocabulary size keeps every
 *  token, so the exact cap does not matter; it only has to be larger than any vocabulary. */
export const MAX_TOP_K = 1 << 20;
/** The copy stage's largest bonus: at 10 nats a continuing token outweighs almost any other. */
export const MAX_COPY_BOOST = 10;

/** Defaults: a mild, commonly used setting. Penalties default to neutral so that a
 *  learner's first look at the pipeline shows only the stages that do something. */
export const DEFAULT_SETTINGS = {
  temperature: 0.7,
  topK: 50,
  topP: 0.95,
  minP: 0,
  repetitionPenalty: 1,
  presencePenalty: 0,
  frequencyPenalty: 0,
  copyBoost: 0,
  quote: false,
  greedy: false,
  maxNewTokens: 128,
  seed: 0,
} as const;

export type { GenerationSettings, GenerationSettingsInput, SamplingSettings, SettingsResult } from "./settings.ts";

/** True when the sampler takes the argmax instead of drawing: greedy, or temperature 0. */
export function isGreedy(s: Pick<SamplingSettings, "greedy" | "temperature">): boolean {
  return s.greedy || s.temperature === 0;
}

// ─── The trace ──────────────────────────────────────────────────────────────────────────

export type Backend = "node" | "webgpu" | "wasm";

export interface TraceModel {
  /** Registry id, e.g. "course-lm" or "SmolLM2-135M-Instruct". */
  id: string;
  /** Which weights: a hub revision (branch/commit) or a hash of a local model's files. */
  revision: string;
  /** Weight format: "fp32", "q8", … — cached and recomputed logits differ under int8, so a
   *  trace must say which one produced it. */
  dtype: string;
  backend: Backend;
}

/**
 * How a token reads, byte-faithful. `text` is readable (a special token is its own name,
 * e.g. "<|end|>"); when the token is not a whole number of UTF-8 characters (half an
 * emoji), `text` writes the stray bytes as `<0xF0>` and `bytes` carries its raw bytes.
 */
export interface TokenText {
  text: string;
  /** Raw bytes; present only when the token is a partial UTF-8 sequence. */
  bytes?: number[];
  /** Present (true) for the tokenizer's special tokens: chat markers, end of text. */
  special?: true;
}

/** A prompt token. */
export interface TraceToken extends TokenText {
  id: number;
}

/** Why a candidate got probability 0 in the final distribution (absent: it was kept). */
/** The stages that can remove a candidate, in the order the sampler applies them. */
export const FILTER_STAGES = ["quote", "greedy", "topK", "topP", "minP"] as const;
export type FilterStage = (typeof FILTER_STAGES)[number];

export interface TraceCandidate extends TraceToken {
  /** Raw logit from the model. */
  logit: number;
  /** After repetition, presence and frequency penalties. */
  logitAfterPenalty: number;
  /** Present when the copy stage favoured this token (it continues a run of the reply found in the prompt): the bonus added, = copyBoost. */
  copyBonus?: number;
  /** softmax((logitAfterPenalty + copyBonus) / T) over the whole vocabulary; one-hot at the argmax when greedy. */
  probAtTemperature: number;
  /** The distribution actually sampled from: after top-k, top-p, min-p and renormalising (0 if filtered). */
  probFinal: number;
  /** The first stage that removed this token; absent when it survived every filter. */
  removedBy?: FilterStage;
  /** Only when the request tracked tokens (an "any token" lookup): rank by raw logit, 0 = the model's top. */
  rank?: number;
}

/**
 * How many tokens survived each stage. Each filter keeps a prefix of the vocabulary sorted
 * by probability, so each count is the size of that prefix. A stage that is off keeps
 * everything the previous stage kept. Greedy (T = 0): 1 after every filter — the
 * distribution has collapsed onto the argmax before the filters run.
 */
export interface KeptCounts {
  /** Tokens with a finite logit after the penalties (the whole vocabulary unless the model masks some). */
  afterPenalties: number;
  afterTopK: number;
  afterTopP: number;
  afterMinP: number;
}

export interface TraceStep extends TokenText {
  /** 0 for the first generated token. */
  index: number;
  /** The chosen token. */
  tokenId: number;
  /** log p(chosen) under the model's own distribution: log softmax(raw logits) at T = 1, in nats. */
  logprob: number;
  /** Rank of the chosen token by raw logit: 0 = the model's top choice (ties: lower id first). */
  rank: number;
  /** Entropy of the final (sampled-from) distribution, in nats. 0 when greedy. */
  entropy: number;
  /** The uniform draw in [0, 1) that picked the token; null when greedy or forced. */
  u: number | null;
  kept: KeptCounts;
  /** The top `candidateCount` (default 20) by raw logit (ties: lower id first), plus the chosen token if not among them. */
  candidates: TraceCandidate[];
  /** Present (true) when the token was imposed (replay of a prefix, or a branch), not drawn. */
  forced?: true;
  /** The copy stage, when on: the length in tokens of the run of the reply found in the prompt
   *  (0: none), and every token that continues it there — each got copyBoost added. */
  copy?: CopyStep;
  /** The quote stage, when on: the tokens it allowed (every other token was removed). */
  quote?: QuoteStep;
  /**
   * Only when the request asked for internals (./internals.ts): attention[layer][head][j] of the
   * position that produced this step's logits over the P + index positions it can see (each row
   * sums to 1), rounded to INTERNALS_DECIMALS.
   */
  attention?: number[][][];
  /** Only with internals: per layer, the top LENS_TOP tokens of the logit lens, most probable first. */
  logitLens?: LensEntry[][];
}

export interface CopyStep {
  matched: number;
  boosted: number[];
}

export interface QuoteStep {
  /** Token ids allowed at this step, ascending: the next token of each sentence the reply may
   *  be quoting, the first token of each unused sentence after a finished one, and the end token
   *  once a sentence is complete. */
  allowed: number[];
  /** A sentence had just been finished: the reply could end here. */
  canStop: boolean;
  /** How many passage sentences the reply could be in the middle of (0: between sentences). */
  quoting: number;
}

/**
 * Why the reply ended:
 * - "eos": the model produced an end token (generation_config's eos_token_id, e.g. `<|end|>`);
 * - "length": maxNewTokens reached;
 * - "stop": a caller's stop string appeared in the reply;
 * - "aborted": the caller cancelled (client disconnected, deadline, user pressed stop);
 * - "context": the model's context window (max_position_embeddings) is full. Separate from
 *   "length" because the cause and the remedy differ: the user did not ask for fewer
 *   tokens; the prompt left too little room. transformers.js does not enforce this limit,
 *   and past it a model's outputs are meaningless (positions it was never trained on).
 */
export type FinishReason = "eos" | "length" | "stop" | "aborted" | "context";

export interface TraceTimings {
  /** The prompt's forward pass (all prompt tokens at once). */
  prefillMs: number;
  /** From the start of decode() (tokenizing included) to the first generated token. */
  ttftMs: number;
  /** Decode phase: (steps − 1) / time from the first step to the last; null with < 2 steps. */
  tokensPerSecond: number | null;
  /** Whole decode() call. */
  totalMs: number;
}

export interface Trace {
  /** Format version of this object, for stored traces. */
  version: 1;
  model: TraceModel;
  settings: GenerationSettings;
  prompt: { text: string; tokens: TraceToken[] };
  steps: TraceStep[];
  /** The reply as text: the generated tokens decoded, without a final end token, cut before a stop string. */
  reply: { text: string };
  timings: TraceTimings;
  finishReason: FinishReason;
  /** The stop string that ended the reply, when finishReason is "stop". */
  stopString?: string;
  /** Size of the model's output distribution (logits per step). */
  vocabSize: number;
  /** The model's context window in tokens (prompt + reply must fit). */
  contextLength: number;
}

/**
 * What a generation announces before its first step (the "prompt" event of every stream:
 * decode loop, browser worker, tutor): the parts of its trace that are known up front. With the
 * steps that followed it is enough to rebuild a trace when the stream stops early.
 */
export type TraceStart = Pick<Trace, "model" | "settings" | "prompt" | "vocabSize" | "contextLength">;

/** What a generation streams, in order: "prompt", one "step" per token, "done" with the whole trace. */
export type DecodeEvent = ({ type: "prompt" } & TraceStart) | { type: "step"; step: TraceStep } | { type: "done"; trace: Trace };

const utf8 = new TextEncoder();

/**
 * The reply so far, as text: the generated tokens' bytes decoded (a half character waits for
 * its other half), special tokens left out.
 */
export function stepsText(steps: readonly Pick<TraceStep, "text" | "bytes" | "special">[]): string {
  const bytes: number[] = [];
  for (const s of steps) {
    if (s.special) continue;
    if (s.bytes) bytes.push(...s.bytes);
    else bytes.push(...utf8.encode(s.text));
  }
  return new TextDecoder().decode(Uint8Array.from(bytes), { stream: true });
}

/**
 * The trace of a reply stopped before the decode loop wrote its own (a hung forward pass past its
 * grace period, a stream cut before "done"): what was streamed, finishReason "aborted". Timings
 * other than the total are unknown and read 0.
 */
export function partialTrace(start: TraceStart, steps: readonly TraceStep[], totalMs = 0): Trace {
  return {
    version: 1,
    model: start.model,
    settings: start.settings,
    prompt: start.prompt,
    steps: [...steps],
    reply: { text: stepsText(steps) },
    timings: { prefillMs: 0, ttftMs: 0, tokensPerSecond: null, totalMs },
    finishReason: "aborted",
    vocabSize: start.vocabSize,
    contextLength: start.contextLength,
  };
}

// ─── On the wire ────────────────────────────────────────────────────────────────────────

/**
 * A generation's events as NDJSON (/api/generate, /api/tutor) are the DecodeEvents, except that
 * "done" carries the trace without its steps: they are the "step" lines streamed before it, and
 * sending them twice doubled every reply's bytes (a 48-token reply: ~300 → ~150 KB) and the
 * server's JSON work. The server sends `wireEvent(event)`; a reader puts the steps back with
 * `createStreamedSteps()` (or `withStreamedSteps()` around an async stream of events).
 */
export type WireDoneEvent = { type: "done"; trace: Omit<Trace, "steps"> };

/** `event` as it goes on the wire: a "done" event without its trace's steps, others unchanged. */
export function wireEvent<E extends { type: string }>(event: E): E | WireDoneEvent {
  if (event.type !== "done") return event;
  const { steps: _streamed, ...trace } = (event as unknown as { trace: Trace }).trace;
  void _streamed;
  return { ...event, type: "done", trace };
}

/**
 * The reader's side: feed it every event of one stream in order; it returns each event, the
 * "done" event with its trace's steps put back from the "step" events before it.
 */
export function createStreamedSteps(): <E extends { type: string }>(event: E) => E {
  let steps: TraceStep[] = [];
  return <E extends { type: string }>(event: E): E => {
    if (event.type === "prompt") steps = [];
    else if (event.type === "step") steps.push((event as unknown as { step: TraceStep }).step);
    else if (event.type === "done") {
      const trace = (event as unknown as { trace: Partial<Trace> }).trace;
      if (trace && trace.steps === undefined) return { ...event, trace: { ...trace, steps } };
    }
    return event;
  };
}

/** An async stream of wire events, the "done" event's trace whole again. */
export async function* withStreamedSteps<E extends { type: string }>(events: AsyncIterable<E>): AsyncGenerator<E> {
  const restore = createStreamedSteps();
  for await (const event of events) yield restore(event);
}

// ─── Surprise and perplexity ────────────────────────────────────────────────────────────

/** Multiply nats by this to get bits (1 / ln 2). */
export const BITS_PER_NAT = 1 / Math.LN2;

type Scored = Pick<TraceStep, "logprob">;

/** Surprise of each generated token, −log p, in nats: 0 for a certain token, large for an unlikely one. */
export function surprisals(steps: readonly Scored[]): number[] {
  return steps.map((s) => -s.logprob);
}

/**
 * Mean cross-entropy of the reply under the model, in nats per token: the average surprise.
 * null for an empty reply. It uses the model's own probabilities (T = 1, no penalties or
 * filters), so it measures how natural the model finds the text, whatever the settings.
 */
export function meanCrossEntropy(steps: readonly Scored[]): number | null {
  if (steps.length === 0) return null;
  let sum = 0;
  for (const s of steps) sum -= s.logprob;
  return sum / steps.length;
}

/** Perplexity = exp(mean cross-entropy): the "effective number of choices" per token. null when empty. */
export function perplexity(steps: readonly Scored[]): number | null {
  const h = meanCrossEntropy(steps);
  return h === null ? null : Math.exp(h);
}

/** The same three numbers for a whole trace. */
export function traceStats(trace: Pick<Trace, "steps">): {
  surprisals: number[];
  meanCrossEntropy: number | null;
  perplexity: number | null;
} {
  return {
    surprisals: surprisals(trace.steps),
    meanCrossEntropy: meanCrossEntropy(trace.steps),
    perplexity: perplexity(trace.steps),
  };
}
