import "server-only";
import { decode, preparePrompt, type DecodeEvent, type ForcedTokens, type PromptInput } from "../decode.ts";
import type { LoadedModel } from "../load.ts";
import { validateSettings } from "../settings.ts";
import { MAX_CANDIDATES, type GenerationSettings, type GenerationSettingsInput, type Trace, type TraceModel } from "../trace.ts";
import { serverLlmConfig } from "./config.ts";
import {
  GenerationAbortedError,
  GenerationError,
  GenerationFailedError,
  GenerationTimeoutError,
  InvalidGenerationRequestError,
  PromptExceedsContextError,
  ServerShuttingDownError,
} from "./errors.ts";
import { batcherFor, getServerModel, queueFor, resolveServerModel } from "./models.ts";
import { onShutdown } from "../../ops/shutdown.ts";
import { drainGenerations } from "./drain.ts";
import type { QueueSlot } from "./queue.ts";
import { serverState } from "./state.ts";

/**
 * Server-side generation: the shared model, its FIFO queue, a deadline and cancellation,
 * around the one decode loop (lib/llm/decode.ts).
 *
 *   const generation = await startGeneration({ prompt, settings, signal: request.signal });
 *   for await (const event of generation) …   // "prompt", "step"…, "done"
 *
 * startGeneration() does everything that can fail *before* a response is sent — resolve
 * the model id, validate settings, load the model (once per process), tokenize the prompt
 * and check it fits the context window, wait for a turn in the queue — and throws a typed
 * GenerationError with an HTTP status for each. Once it returns, the caller holds a slot
 * and iterates the events; the slot is released when the generation ends, fails, is
 * cancelled, or runs past its deadline, whichever comes first.
 *
 * Stopping:
 * - `signal` (e.g. request.signal: the client disconnected) or `cancel()`: the decode loop
 *   notices after the forward pass in flight, so no further pass starts; iterating on
 *   yields the partial trace with finishReason "aborted".
 * - the deadline (GLASSBOX_GENERATION_TIMEOUT_MS, from the moment the slot is granted):
 *   the next event is a GenerationTimeoutError.
 * - a pass that never returns (a stuck engine): after `abortGraceMs` the slot is given to
 *   the next request anyway and the pending `next()` rejects; the stuck pass is abandoned.
 * - an engine error: GenerationFailedError (the cause is logged, never sent to the client).
 */

export type GenerationRequest = PromptInput & {
  /** Registry id (default course-lm). Unknown or path-like ⇒ UnknownServerModelError (400). */
  model?: string;
  /** Validated here too (invalid ⇒ InvalidGenerationRequestError naming settings.<field>). */
  settings?: GenerationSettingsInput;
  /** Replay / branch: token ids imposed instead of sampled (see decode.ts). */
  forcedTokens?: ForcedTokens;
  stopStrings?: readonly string[];
  /** The client's signal: aborting it leaves the queue or stops the generation within one step. */
  signal?: AbortSignal;
  /** Deadline for this generation (default: GLASSBOX_GENERATION_TIMEOUT_MS). Also bounds the wait in the queue. */
  timeoutMs?: number;
  /** For a raw prompt: let the tokenizer add its special tokens (decode.ts's default: true). */
  addSpecialTokens?: boolean;
  /** Candidates recorded per step (top N by raw logit; decode.ts's default: 20). */
  candidateCount?: number;
  /** Do not stop at end-of-sequence tokens (text scoring: an end token inside the text is scored like any other). */
  ignoreEos?: boolean;
  /** Token ids reported at every step wherever they rank (decode's trackTokens). */
  trackTokens?: readonly number[];
  /** Record each step's attention and logit lens (lib/llm/internals.ts); models with an internals graph only. */
  internals?: boolean;
};

// On SIGTERM: refuse new generations, let those in flight run until the deadline (./drain.ts).
onShutdown("generations", "drain", ({ deadline }) => drainGenerations(deadline));

/** Start a generation: validated, loaded, tokenized, and holding a queue slot. */
export async function startGeneration(request: GenerationRequest): Promise<ActiveGeneration> {
  const { signal } = request;
  if (signal?.aborted) throw new GenerationAbortedError("the request was cancelled before it started");
  refuseWhileDraining();
  const entry = resolveServerModel(request.model);

  const checked = validateSettings(request.settings);
  if (!checked.ok) {
    const first = checked.issues[0];
    throw new InvalidGenerationRequestError(`settings.${first?.field ?? ""}`.replace(/\.$/, ""), checked.error);
  }
  const settings = checked.settings;
  const { candidateCount } = request;
  if (candidateCount !== undefined && !(Number.isInteger(candidateCount) && candidateCount >= 1 && candidateCount <= MAX_CANDIDATES)) {
    throw new InvalidGenerationRequestError("candidateCount", `candidateCount must be an integer in [1, ${MAX_CANDIDATES}]; got ${candidateCount}`);
  }

  if (request.internals && !entry.internals) {
    throw new InvalidGenerationRequestError("internals", `internals: ${entry.id} has no internals graph, so its attention and logit lens cannot be recorded (course-lm has one)`);
  }
  const model = await getServerModel(entry, { internals: request.internals === true });

  const field = request.messages !== undefined ? "messages" : request.promptIds !== undefined ? "promptIds" : "prompt";
  let promptTokens: number;
  try {
    promptTokens = preparePrompt(model, request, request.addSpecialTokens).ids.length;
  } catch (error) {
    // The chat template refusing a role, or a prompt with no tokens.
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidGenerationRequestError(
      field,
      field === "messages" ? `messages: ${model.id}'s chat template refused them: ${reason}` : field === "promptIds" ? reason : `prompt: ${reason}`,
    );
  }
  if (promptTokens >= model.contextLength) throw new PromptExceedsContextError(field, promptTokens, model.contextLength, model.id);
  if (request.forcedTokens) checkForcedTokens(request.forcedTokens, model);
  request.trackTokens?.forEach((id, i) => {
    if (id >= model.vocabSize) throw new InvalidGenerationRequestError(`trackTokens.${i}`, `trackTokens.${i}: token id ${id} is not in ${model.id}'s vocabulary (ids 0–${model.vocabSize - 1})`);
  });

  const config = serverLlmConfig();
  const timeoutMs = request.timeoutMs ?? config.timeoutMs;
  const slot = await queueFor(entry.id).acquire({ signal, timeoutMs });
  // Shutdown began while this request was loading the model or tokenizing.
  if (serverState().draining) {
    slot.release();
    refuseWhileDraining();
  }
  return new ActiveGeneration({ model, request, settings, slot, timeoutMs, graceMs: config.abortGraceMs, promptTokens, batchSize: config.batchSize });
}

/** Once shutdown has begun (./drain.ts): 503 + Retry-After instead of a new generation. */
function refuseWhileDraining(): void {
  const draining = serverState().draining;
  if (draining) throw new ServerShuttingDownError(draining.retryAfter);
}

/** Start, run to the end, return the trace (for callers that do not stream). */
export async function runGeneration(request: GenerationRequest): Promise<Trace> {
  const generation = await startGeneration(request);
  for await (const event of generation) if (event.type === "done") return event.trace;
  throw new GenerationAbortedError();
}

function checkForcedTokens(forced: ForcedTokens, model: LoadedModel): void {
  const pairs: [number, number][] = Array.isArray(forced)
    ? (forced as readonly number[]).map((id, step) => [step, id])
    : forced instanceof Map
      ? [...(forced as ReadonlyMap<number, number>)]
      : Object.keys(forced).map((step) => [Number(step), (forced as Readonly<Record<number, number>>)[Number(step)]]);
  for (const [step, id] of pairs) {
    if (!Number.isInteger(id) || id < 0 || id >= model.vocabSize) {
      throw new InvalidGenerationRequestError(
        `forcedTokens.${step}`,
        `forcedTokens.${step}: token id ${id} is not in ${model.id}'s vocabulary (ids 0–${model.vocabSize - 1})`,
      );
    }
  }
}

interface ActiveGenerationInit {
  model: LoadedModel;
  request: GenerationRequest;
  settings: GenerationSettings;
  slot: QueueSlot;
  timeoutMs: number;
  graceMs: number;
  promptTokens: number;
  /** Sequences per shared forward pass (1: this generation runs its own passes). */
  batchSize: number;
}

type Step = IteratorResult<DecodeEvent, Trace>;

/**
 * A running generation holding a queue slot: an async iterator of decode events with a
 * deadline, cancellation, and a guarantee that its slot is released exactly once.
 * Iterate it from one consumer; `next()` must not be called again before it settles.
 */
export class ActiveGeneration implements AsyncIterableIterator<DecodeEvent, undefined> {
  readonly model: TraceModel;
  /** Prompt length in tokens, and the model's window. */
  readonly promptTokens: number;
  readonly contextLength: number;
  /** Time spent waiting in the queue. */
  readonly waitedMs: number;
  /** Aborts on the client's signal, cancel() or the deadline: pass it on to work tied to this generation. */
  readonly signal: AbortSignal;

  private readonly controller = new AbortController();
  private readonly inner: AsyncGenerator<DecodeEvent, Trace, void>;
  private readonly slot: QueueSlot;
  private readonly timeoutMs: number;
  private readonly graceMs: number;
  private readonly deadline: ReturnType<typeof setTimeout>;
  private grace: ReturnType<typeof setTimeout> | undefined;
  /** The step in flight (a forward pass may be running), raced against the abort grace. */
  private current: Promise<Step> | null = null;
  private rejectCurrent: ((error: Error) => void) | null = null;
  private finished = false;
  private timedOut = false;
  private steps = 0;

  constructor(init: ActiveGenerationInit) {
    const { model, request } = init;
    this.model = { id: model.id, revision: model.revision, dtype: model.dtype, backend: model.backend };
    this.promptTokens = init.promptTokens;
    this.contextLength = model.contextLength;
    this.waitedMs = init.slot.waitedMs;
    this.slot = init.slot;
    this.timeoutMs = init.timeoutMs;
    this.graceMs = init.graceMs;
    this.signal = request.signal ? AbortSignal.any([request.signal, this.controller.signal]) : this.controller.signal;
    this.deadline = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new GenerationTimeoutError(this.timeoutMs, this.steps));
    }, this.timeoutMs);
    this.deadline.unref?.();
    this.signal.addEventListener("abort", this.onAbort, { once: true });
    serverState().active.add(this);
    // The client left between getting the slot and now: no event will fire, and decode()
    // will start no pass, so the slot goes back at once.
    if (this.signal.aborted) this.releaseResources();
    const prompt: PromptInput =
      request.messages !== undefined
        ? { messages: request.messages }
        : request.promptIds !== undefined
          ? { promptIds: request.promptIds }
          : { prompt: request.prompt };
    this.inner = decode({
      ...prompt,
      // Scoring: the model without end tokens, so the loop runs through every forced token.
      model: request.ignoreEos ? { ...model, eosTokenIds: [] } : model,
      candidateCount: request.candidateCount,
      settings: init.settings,
      signal: this.signal,
      forcedTokens: request.forcedTokens,
      stopStrings: request.stopStrings,
      addSpecialTokens: request.addSpecialTokens,
      // An internals request runs its own passes (decode ignores the batcher for it).
      batcher: init.batchSize > 1 && !request.internals ? batcherFor(model.id, model) : undefined,
      internals: request.internals,
      trackTokens: request.trackTokens,
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Stop within one step; iterating on yields the partial trace (finishReason "aborted"). */
  cancel(message?: string): void {
    this.controller.abort(new GenerationAbortedError(message));
  }

  async next(): Promise<IteratorResult<DecodeEvent, undefined>> {
    if (this.finished) return { done: true, value: undefined };
    if (this.current) throw new Error("ActiveGeneration.next() called again before the previous call settled");
    let result: Step;
    try {
      result = await this.race(this.inner.next());
    } catch (error) {
      this.finish();
      throw this.toPublicError(error);
    } finally {
      this.current = null;
      this.rejectCurrent = null;
      if (this.grace !== undefined) clearTimeout(this.grace);
      this.grace = undefined;
    }
    if (result.done) {
      this.finish();
      return { done: true, value: undefined };
    }
    // Stopped while this step was computing: decode() checks the signal before every
    // forward pass, so no pass will start again — the slot can go now, even if the
    // consumer never asks for the rest.
    if (this.signal.aborted) this.releaseResources();
    const event = result.value;
    if (event.type === "step") this.steps++;
    if (event.type === "done") {
      this.finish();
      if (event.trace.finishReason === "aborted" && this.timedOut) throw new GenerationTimeoutError(this.timeoutMs, this.steps);
    }
    return { done: false, value: event };
  }

  /** The consumer is done (e.g. `break`, or the response stream was cancelled): stop and release. */
  async return(): Promise<IteratorResult<DecodeEvent, undefined>> {
    if (!this.finished) {
      this.controller.abort(new GenerationAbortedError());
      // Let the pass in flight finish (bounded by the grace period) before giving the slot away.
      if (this.current) await this.current.catch(() => undefined);
      this.finish();
    }
    return { done: true, value: undefined };
  }

  private race(step: Promise<Step>): Promise<Step> {
    const raced = new Promise<Step>((resolve, reject) => {
      this.rejectCurrent = reject;
      step.then(resolve, reject);
    });
    this.current = raced;
    if (this.signal.aborted) this.startGrace();
    return raced;
  }

  private onAbort = (): void => {
    if (this.finished) return;
    if (this.current) {
      this.startGrace();
    } else {
      // Between events: no pass is running, and decode() checks the signal before starting
      // another, so the slot can go to the next request now.
      this.releaseResources();
    }
  };

  private startGrace(): void {
    if (this.grace !== undefined) return;
    this.grace = setTimeout(() => {
      // The pass in flight did not come back: abandon it (it may never settle) and free the slot.
      console.error(`[llm] a forward pass of ${this.model.id} did not finish within ${this.graceMs} ms of being stopped; abandoning it`);
      this.rejectCurrent?.(this.abortError());
    }, this.graceMs);
    this.grace.unref?.();
  }

  private abortError(): GenerationError {
    return this.timedOut ? new GenerationTimeoutError(this.timeoutMs, this.steps) : new GenerationAbortedError();
  }

  private toPublicError(error: unknown): GenerationError {
    if (error instanceof GenerationError) return error;
    console.error(`[llm] generation with ${this.model.id} failed after ${this.steps} steps:`, error);
    return this.signal.aborted ? this.abortError() : new GenerationFailedError(this.steps);
  }

  private releaseResources(): void {
    clearTimeout(this.deadline);
    this.slot.release();
    serverState().active.delete(this);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.releaseResources();
    if (this.grace !== undefined) clearTimeout(this.grace);
    this.signal.removeEventListener("abort", this.onAbort);
    // Ends decode() (its finally frees the KV cache) — after the pass in flight, if any.
    void this.inner.return(undefined as unknown as Trace).catch(() => undefined);
  }
}
