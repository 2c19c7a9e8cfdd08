/**
 * The decode loop: Glassbox's own replacement for transformers.js `generate()`, which
 * returns no scores and ignores top_p. One loop for everything — tutor, playground,
 * lesson demos, CLI, server and browser — so every reply can be inspected the same way.
 *
 *   text ──tokenize──▶ prompt ids ──prefill──▶ logits for the next token ─┐
 *          (chat template                   (one forward pass over the    │
 *           for messages)                    whole prompt; fills the      │
 *                                            KV cache)                    ▼
 *                        ┌──────── forward(one token, KV cache) ◀── sampleStep() ──▶ trace step
 *                        └──────────────────────────────────────────────┘
 *
 * The KV cache: attention at each position needs the keys and values of every earlier
 * position. Recomputing them for the whole sequence at every step would cost O(n²);
 * instead each forward pass returns them (`present.*`) and the next pass receives them as
 * `past_key_values.*`, so a step processes just one new token.
 *
 * decode() is an async generator: it yields a "prompt" event (the tokens the model sees),
 * one "step" event per generated token, and a "done" event with the full trace. A caller
 * that stops iterating (e.g. the HTTP client went away) ends the loop at the next step;
 * an AbortSignal does the same and still yields "done" with finishReason "aborted".
 *
 * Determinism: the same model, prompt, settings and seed give the same reply and the same
 * trace (apart from `timings`), because the sampler is pure and its only randomness is the
 * seeded PRNG, drawn once per step.
 *
 * Isomorphic: transformers.js runs in Node and in browsers/workers alike.
 */
import type { DynamicCache, Tensor } from "@huggingface/transformers";
import type { StepBatcher } from "./batch.ts";
import { forward } from "./forward.ts";
import { INTERNALS_MAX_STEPS, readStepInternals } from "./internals.ts";
import type { LoadedModel } from "./load.ts";
import { createRng } from "./prng.ts";
import { createCopySource, endsSentenceText } from "./copy.ts";
import { createQuoteSource, createQuoteState, quotableSentences } from "./quote.ts";
import { createSamplerContext, recordGenerated, sampleStep } from "./sampler.ts";
import { parseSettings } from "./settings.ts";
import {
  type FinishReason,
  type GenerationSettingsInput,
  type DecodeEvent,
  type Trace,
  type TraceCandidate,
  type TraceModel,
  type TraceStep,
  type TraceToken,
  MAX_TRACKED_TOKENS,
} from "./trace.ts";

/** A chat turn; the model's chat template decides which roles it accepts. */
export interface ChatMessage {
  role: string;
  content: string;
}

/**
 * A raw prompt (continued as is), chat messages (rendered by the chat template), or token
 * ids already tokenized. The ids form exists for callers that must not re-tokenize: text
 * scoring (lib/llm/score.ts) splits one tokenization into a prompt and forced tokens, and
 * decoding the first part back to text and encoding it again could merge or split tokens
 * differently at the cut.
 */
export type PromptInput =
  | { prompt: string; messages?: undefined; promptIds?: undefined }
  | { messages: readonly ChatMessage[]; prompt?: undefined; promptIds?: undefined }
  | { promptIds: readonly number[]; prompt?: undefined; messages?: undefined };

/**
 * Tokens to impose instead of sampling, for replay and branching:
 * - an array: the reply's first tokens, in order (replay a prefix, then sample on);
 * - a Map or object: step index → token id (e.g. { 7: 1234 } to branch at step 7 —
 *   together with the original tokens of steps 0–6 it reproduces the reply up to there).
 * A forced step is computed exactly like a sampled one (same logits, same candidates) and
 * still consumes its random draw, so the steps after it see the same draws as before.
 */
export type ForcedTokens = readonly number[] | ReadonlyMap<number, number> | Readonly<Record<number, number>>;

export type DecodeRequest = PromptInput & {
  model: LoadedModel;
  /** Validated and completed with defaults here (invalid ⇒ RangeError naming the field). */
  settings?: GenerationSettingsInput;
  signal?: AbortSignal;
  /** End the reply when its text contains one of these (finishReason "stop"). */
  stopStrings?: readonly string[];
  forcedTokens?: ForcedTokens;
  /** Called after the prompt's forward pass. */
  onPrefill?: (info: { promptTokens: number; prefillMs: number }) => void;
  /** For a raw prompt: let the tokenizer add its special tokens (e.g. a BOS). Default true;
   *  chat templates place their special tokens themselves. */
  addSpecialTokens?: boolean;
  /** Candidates per step (top N by raw logit); default 20. */
  candidateCount?: number;
  /**
   * Tokens to report at every step wherever they rank, each candidate with its rank (an "any
   * token" lookup; at most MAX_TRACKED_TOKENS). Changes nothing else: the same reply and draws.
   */
  trackTokens?: readonly number[];
  /**
   * Share forward passes with other generations of the same model (./batch.ts; the server's
   * continuous batching). The reply and trace are those of the same request run alone.
   */
  batcher?: StepBatcher;
  /**
   * Record each step's attention and logit lens (./internals.ts), for the first INTERNALS_MAX_STEPS
   * steps (the size cap). Needs a model loaded from its internals graph (LoadedModel.internals);
   * such a request runs alone, never batched.
   */
  internals?: boolean;
};

export type { DecodeEvent } from "./trace.ts";

/** The prompt does not leave room for even one generated token. */
export class PromptTooLongError extends Error {
  constructor(
    readonly promptTokens: number,
    readonly contextLength: number,
  ) {
    super(
      `the prompt is ${promptTokens} tokens; the model's context window is ${contextLength} tokens, ` +
        `so the prompt must be at most ${contextLength - 1}`,
    );
    this.name = "PromptTooLongError";
  }
}

/**
 * Render and tokenize the prompt exactly as decode() will. Exposed so an API route can
 * check the length against `model.contextLength` before it starts streaming.
 */
export function preparePrompt(
  model: LoadedModel,
  input: PromptInput,
  addSpecialTokens = true,
): { text: string; ids: number[] } {
  const { tokenizer } = model;
  if (input.promptIds !== undefined) {
    const ids = [...input.promptIds];
    if (ids.length === 0) throw new RangeError("promptIds is empty: the model needs at least one token to continue");
    ids.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= model.vocabSize) {
        throw new RangeError(`promptIds[${i}]: token id ${id} is not in ${model.id}'s vocabulary (ids 0–${model.vocabSize - 1})`);
      }
    });
    // The ids are used as given; the text is only for display (special tokens kept visible).
    return { text: model.tokens.decode(ids), ids };
  }
  if (input.messages !== undefined) {
    if (input.messages.length === 0) throw new RangeError("messages must not be empty");
    const text = tokenizer.apply_chat_template(input.messages as { role: string; content: string }[], {
      add_generation_prompt: true,
      tokenize: false,
    }) as string;
    // The template already wrote the special tokens: add none around it (as
    // apply_chat_template itself does when it tokenizes).
    return { text, ids: tokenizer.encode(text, { add_special_tokens: false }) };
  }
  if (typeof input.prompt !== "string") throw new RangeError("give either prompt or messages");
  const ids = tokenizer.encode(input.prompt, { add_special_tokens: addSpecialTokens });
  if (ids.length === 0) throw new RangeError("the prompt is empty: the model needs at least one token to continue");
  return { text: input.prompt, ids };
}

function forcedLookup(forced: ForcedTokens | undefined): (step: number) => number | undefined {
  if (!forced) return () => undefined;
  if (Array.isArray(forced)) return (i) => (forced as readonly number[])[i];
  if (forced instanceof Map) return (i) => forced.get(i);
  const record = forced as Readonly<Record<number, number>>;
  return (i) => (Object.prototype.hasOwnProperty.call(record, i) ? record[i] : undefined);
}

const now = () => performance.now();

export { forward } from "./forward.ts";

/** Run the model: yields "prompt", then "step" per token, then "done" (also the return value). */
export async function* decode(request: DecodeRequest): AsyncGenerator<DecodeEvent, Trace, void> {
  const started = now();
  let suspendedMs = 0; // time the caller spent between our events: not ours to report
  const { model, signal } = request;
  const settings = parseSettings(request.settings ?? {});
  if (request.internals && !model.internals) throw new RangeError(`internals: ${model.id} was not loaded from its internals graph, so its passes say nothing about attention`);
  const batcher = request.internals ? undefined : request.batcher;
  const { text: promptText, ids: promptIds } = preparePrompt(model, request as PromptInput, request.addSpecialTokens);
  if (promptIds.length >= model.contextLength) throw new PromptTooLongError(promptIds.length, model.contextLength);

  const { tokens } = model;
  const traceModel: TraceModel = { id: model.id, revision: model.revision, dtype: model.dtype, backend: model.backend };
  const prompt = {
    text: promptText,
    tokens: promptIds.map((id): TraceToken => ({ id, ...tokens.text(id) })),
  };
  let t = now();
  yield { type: "prompt", model: traceModel, settings, prompt, vocabSize: model.vocabSize, contextLength: model.contextLength };
  suspendedMs += now() - t;

  const eos = new Set(model.eosTokenIds);
  const stops = (request.stopStrings ?? []).filter((s) => s.length > 0);
  const forcedAt = forcedLookup(request.forcedTokens);
  const candidateCount = request.candidateCount;
  const trackTokenIds = request.trackTokens;
  if (trackTokenIds) {
    if (trackTokenIds.length > MAX_TRACKED_TOKENS) throw new RangeError(`trackTokens: at most ${MAX_TRACKED_TOKENS} tokens; got ${trackTokenIds.length}`);
    trackTokenIds.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= model.vocabSize) throw new RangeError(`trackTokens[${i}]: token id ${id} is not in ${model.id}'s vocabulary (ids 0–${model.vocabSize - 1})`);
    });
  }
  const steps: TraceStep[] = [];
  const generated: number[] = [];
  let finishReason: FinishReason = "length";
  let stopString: string | undefined;
  let prefillMs = 0;
  let ttftMs = 0;
  let decodeMs = 0; // forward + sampling time of steps 1..n-1
  let cache: DynamicCache | null = null;

  try {
    if (signal?.aborted) {
      finishReason = "aborted";
    } else {
      t = now();
      const prefill: { logits: Float32Array; cache: DynamicCache; outputs?: Record<string, Tensor> } = batcher
        ? await batcher.prefill(promptIds, signal)
        : await forward(model, promptIds, 0, null);
      cache = prefill.cache;
      let logits = prefill.logits;
      // The outputs of the pass that produced `logits` (read for internals before the next pass).
      let outputs = prefill.outputs;
      prefillMs = now() - t;
      request.onPrefill?.({ promptTokens: promptIds.length, prefillMs });

      // The copy stage's index of the prompt, only when the stage is on.
      const endsSentence = (id: number) => endsSentenceText(tokens.text(id).text);
      // The quote stage's sentences (from the prompt text, so replay finds the same ones).
      const quote = settings.quote
        ? {
            source: createQuoteSource(quotableSentences(promptText), (text) => model.tokenizer.encode(text, { add_special_tokens: false }), model.eosTokenIds),
            state: createQuoteState(),
          }
        : undefined;
      const ctx = createSamplerContext(promptIds, [], settings.copyBoost > 0 ? createCopySource(promptIds, endsSentence) : undefined, quote);
      const rng = createRng(settings.seed);
      for (let index = 0; ; index++) {
        const stepStart = now();
        const s = sampleStep(logits, ctx, settings, rng, { forcedTokenId: forcedAt(index), candidateCount, trackTokenIds });
        const candidates = s.candidates.map(
          (c): TraceCandidate => ({
            id: c.id,
            ...tokens.text(c.id),
            logit: c.logit,
            logitAfterPenalty: c.logitAfterPenalty,
            ...(c.copyBonus !== undefined ? { copyBonus: c.copyBonus } : {}),
            probAtTemperature: c.probAtTemperature,
            probFinal: c.probFinal,
            ...(c.removedBy ? { removedBy: c.removedBy } : {}),
            ...(c.rank !== undefined ? { rank: c.rank } : {}),
          }),
        );
        const step: TraceStep = {
          index,
          tokenId: s.tokenId,
          ...tokens.text(s.tokenId),
          logprob: s.logprob,
          rank: s.rank,
          entropy: s.entropy,
          u: s.u,
          kept: s.kept,
          candidates,
          ...(s.forced ? { forced: true as const } : {}),
          ...(s.copy ? { copy: s.copy } : {}),
          ...(s.quote ? { quote: s.quote } : {}),
          ...(request.internals && index < INTERNALS_MAX_STEPS ? readStepInternals(outputs!, tokens) : {}),
        };
        steps.push(step);
        generated.push(s.tokenId);
        recordGenerated(ctx, s.tokenId);
        if (index === 0) ttftMs = now() - started - suspendedMs;
        else decodeMs += now() - stepStart;

        t = now();
        yield { type: "step", step };
        suspendedMs += now() - t;

        if (eos.has(s.tokenId)) {
          finishReason = "eos";
          break;
        }
        if (stops.length > 0) {
          const text = tokens.decode(generated);
          stopString = stops.find((x) => text.includes(x));
          if (stopString !== undefined) {
            finishReason = "stop";
            break;
          }
        }
        if (steps.length >= settings.maxNewTokens) {
          finishReason = "length";
          break;
        }
        if (promptIds.length + steps.length >= model.contextLength) {
          finishReason = "context";
          break;
        }
        if (signal?.aborted) {
          finishReason = "aborted";
          break;
        }
        const forwardStart = now();
        const past = promptIds.length + index;
        const next: { logits: Float32Array; cache: DynamicCache; outputs?: Record<string, Tensor> } = batcher
          ? await batcher.step(s.tokenId, past, cache!, signal)
          : await forward(model, [s.tokenId], past, cache);
        cache = next.cache;
        logits = next.logits;
        outputs = next.outputs;
        // The forward pass belongs to the next step's time.
        decodeMs += now() - forwardStart;
        if (signal?.aborted) {
          finishReason = "aborted";
          break;
        }
      }
    }
  } finally {
    // Runs also when the caller stops iterating early (generator return()).
    if (cache) batcher?.release(cache);
    await cache?.dispose();
  }

  const replyIds = finishReason === "eos" ? generated.slice(0, -1) : generated;
  let replyText = tokens.decode(replyIds);
  if (stopString !== undefined) replyText = replyText.slice(0, replyText.indexOf(stopString));
  const trace: Trace = {
    version: 1,
    model: traceModel,
    settings,
    prompt,
    steps,
    reply: { text: replyText },
    timings: {
      prefillMs,
      ttftMs,
      tokensPerSecond: steps.length >= 2 && decodeMs > 0 ? ((steps.length - 1) * 1000) / decodeMs : null,
      totalMs: now() - started - suspendedMs,
    },
    finishReason,
    ...(stopString !== undefined ? { stopString } : {}),
    vocabSize: model.vocabSize,
    contextLength: model.contextLength,
  };
  yield { type: "done", trace };
  return trace;
}

/** Run decode() to the end and return the trace (for callers that do not stream). */
export async function generateTrace(request: DecodeRequest): Promise<Trace> {
  for await (const event of decode(request)) if (event.type === "done") return event.trace;
  throw new Error("decode() ended without a trace");
}
