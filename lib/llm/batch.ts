/**
 * Continuous batching for one model: concurrent decode loops share forward passes.
 *
 * Each decode loop (./decode.ts) keeps its own sequence — KV cache, positions, sampler state,
 * seed, stop rules, trace — and asks the batcher for its passes instead of calling forward()
 * itself. The batcher runs one pass through the model at a time:
 *
 *   - a decode step: every loop waiting for its next step (up to `maxBatch`) goes into one
 *     pass of shape [B, 1]. Sequences of different lengths are left-padded to the longest:
 *     each row's cache is copied into a [B, heads, Lmax, dim] block behind zeros, the attention
 *     mask hides the padding, and position ids are each row's own, so every row computes what
 *     it would alone (equal within float rounding of the batched matrix products; tested).
 *     The pass's new cache is split back into the rows' own caches. Sequences join (their first
 *     step after the prefill) and leave (end, stop, abort) between any two passes.
 *   - a prefill: the newcomers waiting for their prompt's pass (up to `maxBatch`, and up to
 *     PREFILL_TOKEN_BUDGET padded tokens) go into one pass of shape [B, longest prompt], left-
 *     padded the same way, each row's positions starting at 0 at its first real token. When
 *     both are waiting, prefill and step passes alternate, so newcomers never stall the
 *     sequences already decoding for more than one prefill pass at a time, and each newcomer
 *     waits at most one step pass.
 *
 * A lone step or prompt goes through forward() exactly as without the batcher (bit-identical). Why batch
 * at all on a CPU: at a short context a step of a small model is mostly fixed cost (one ONNX
 * run, matrix products too small to keep the cores busy), so eight rows cost little more than
 * one; at a long context (the tutor's ~400-token prompts) moving the KV cache dominates and the
 * gain shrinks to ~1.1× (`npm run bench:load -- --compare` measures both). Only CPU tensors are batched: a model whose cache
 * lives on the GPU (WebGPU, one learner per page) gets its passes one by one.
 *
 * A pass that never returns (a stuck engine) must not stop every other generation: once every
 * sequence in it has been aborted (their deadlines fired) and `abandonAfterMs` more have passed
 * (the server's abort grace: a pass that is merely slow finishes first, so the next one does not
 * compete with it for the CPU), the pass is abandoned — its requests reject with
 * PassAbandonedError — and the batcher moves on.
 */
import { DynamicCache, Tensor } from "@huggingface/transformers";
import { forward } from "./forward.ts";
import type { LoadedModel } from "./load.ts";

export interface PassResult {
  /** The logits of the sequence's last position (a view: valid until the sequence's next pass). */
  logits: Float32Array;
  cache: DynamicCache;
}

/** Rejects the requests of a pass abandoned because every sequence in it was aborted. */
export class PassAbandonedError extends Error {
  constructor() {
    super("the forward pass did not return before every generation in it was stopped");
    this.name = "PassAbandonedError";
  }
}

interface StepRequest {
  token: number;
  past: number;
  cache: DynamicCache;
  signal?: AbortSignal;
  resolve: (result: PassResult) => void;
  reject: (error: unknown) => void;
}

interface PrefillRequest {
  ids: readonly number[];
  signal?: AbortSignal;
  resolve: (result: PassResult) => void;
  reject: (error: unknown) => void;
}

/** What the batcher has done so far (for tests and the load benchmark). */
export interface BatchStats {
  /** Step passes run, and the rows they held in all. */
  stepPasses: number;
  stepRows: number;
  /** Prompts prefilled, and the passes that took them (several newcomers share one). */
  prefills: number;
  prefillPasses: number;
  /** The largest batch so far. */
  maxRows: number;
}

/**
 * Padded prompt tokens one prefill pass may hold (rows × the longest prompt in it). Bounds the
 * pass's memory (its attention scores grow with rows × length²) and how long it holds up the
 * sequences already decoding: five of the tutor's ~400-token prompts, or 32 short ones.
 */
export const PREFILL_TOKEN_BUDGET = 2048;

/** How many of the waiting prompts, in arrival order, the next prefill pass takes (at least one). */
export function prefillsThatFit(waiting: readonly { ids: readonly number[] }[], maxBatch: number, budget = PREFILL_TOKEN_BUDGET): number {
  let longest = 0;
  let count = 0;
  for (const request of waiting) {
    const next = Math.max(longest, request.ids.length);
    if (count > 0 && (count + 1 > maxBatch || (count + 1) * next > budget)) break;
    longest = next;
    count++;
  }
  return count;
}

const yieldToLoops: () => Promise<void> =
  typeof setImmediate === "function" ? () => new Promise((resolve) => setImmediate(resolve)) : () => new Promise((resolve) => setTimeout(resolve, 0));

export class StepBatcher {
  private readonly steps: StepRequest[] = [];
  private readonly prefills: PrefillRequest[] = [];
  private running = false;
  private lastWasPrefill = false;
  readonly stats: BatchStats = { stepPasses: 0, stepRows: 0, prefills: 0, prefillPasses: 0, maxRows: 0 };

  private readonly maxBatch: () => number;
  private readonly abandonAfterMs: () => number;
  private readonly onPass: ((pass: { kind: "prefill" | "step"; rows: number }) => void) | undefined;

  constructor(
    readonly model: LoadedModel,
    options: {
      /** Rows per step pass at most; read at every pass. */
      maxBatch: () => number;
      /** How long a pass whose sequences were all aborted may still run before it is abandoned; read at every pass. Default 0. */
      abandonAfterMs?: () => number;
      /** Told of every pass as it starts (tests, benchmarks). */
      onPass?: (pass: { kind: "prefill" | "step"; rows: number }) => void;
    },
  ) {
    this.maxBatch = options.maxBatch;
    this.abandonAfterMs = options.abandonAfterMs ?? (() => 0);
    this.onPass = options.onPass;
  }

  /** The prompt's pass (alone, in turn with the step passes). Same contract as forward(model, ids, 0, null). */
  prefill(ids: readonly number[], signal?: AbortSignal): Promise<PassResult> {
    return new Promise((resolve, reject) => {
      this.prefills.push({ ids, signal, resolve, reject });
      this.kick();
    });
  }

  /** One decode step for one sequence. Same contract as forward(model, [token], past, cache). */
  step(token: number, past: number, cache: DynamicCache, signal?: AbortSignal): Promise<PassResult> {
    return new Promise((resolve, reject) => {
      this.steps.push({ token, past, cache, signal, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    // After this turn of the event loop, so that loops submitting at the same time share a pass.
    void yieldToLoops().then(() => this.loop());
  }

  private async loop(): Promise<void> {
    try {
      while (this.steps.length > 0 || this.prefills.length > 0) {
        if (this.steps.length > 0 && (this.prefills.length === 0 || this.lastWasPrefill)) {
          await this.runSteps(this.steps.splice(0, Math.max(1, this.maxBatch())));
          this.lastWasPrefill = false;
        } else {
          await this.runPrefills(this.prefills.splice(0, prefillsThatFit(this.prefills, this.maxBatch())));
          this.lastWasPrefill = true;
        }
        // The loops whose pass just ended sample and submit their next step: let them join the next pass.
        await yieldToLoops();
      }
    } finally {
      this.running = false;
    }
  }

  private async runPrefills(requests: PrefillRequest[]): Promise<void> {
    this.stats.prefills += requests.length;
    this.stats.prefillPasses++;
    this.onPass?.({ kind: "prefill", rows: requests.length });
    try {
      if (requests.length === 1 || this.model.device !== "cpu") {
        // One at a time (exactly the unbatched pass); a GPU-resident cache is never split here.
        for (const request of requests)
          request.resolve(await untilAbandoned(forward(this.model, request.ids, 0, null), [request.signal], this.abandonAfterMs()));
        return;
      }
      const results = await untilAbandoned(batchedPrefill(this.model, requests), requests.map((r) => r.signal), this.abandonAfterMs());
      requests.forEach((r, i) => r.resolve(results[i]!));
    } catch (error) {
      for (const r of requests) r.reject(error);
    }
  }

  private async runSteps(rows: StepRequest[]): Promise<void> {
    this.stats.stepPasses++;
    this.stats.stepRows += rows.length;
    this.stats.maxRows = Math.max(this.stats.maxRows, rows.length);
    this.onPass?.({ kind: "step", rows: rows.length });
    try {
      if (rows.length === 1 || !rows.every((r) => onCpu(r.cache))) {
        // One at a time: exactly the unbatched pass.
        for (const r of rows) r.resolve(await untilAbandoned(forward(this.model, [r.token], r.past, r.cache), [r.signal], this.abandonAfterMs()));
        return;
      }
      const results = await untilAbandoned(batchedStep(this.model, rows), rows.map((r) => r.signal), this.abandonAfterMs());
      rows.forEach((r, i) => r.resolve(results[i]!));
    } catch (error) {
      for (const r of rows) r.reject(error);
    }
  }
}

function onCpu(cache: DynamicCache): boolean {
  return Object.values(cacheEntries(cache)).every((t) => t.location === "cpu");
}

/** The cache's tensors by input name (past_key_values.<layer>.key|value). */
function cacheEntries(cache: DynamicCache): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const name of Object.keys(cache)) if (name.startsWith("past_key_values.")) out[name] = (cache as unknown as Record<string, Tensor>)[name]!;
  return out;
}

/**
 * `pass`, unless every one of `signals` aborts and `graceMs` more pass first (then
 * PassAbandonedError; the pass is left to finish on its own).
 */
function untilAbandoned<T>(pass: Promise<T>, signals: readonly (AbortSignal | undefined)[], graceMs: number): Promise<T> {
  if (signals.some((s) => s === undefined)) return pass; // someone cannot be stopped: wait for the pass
  const all = signals as AbortSignal[];
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      if (timer === undefined && all.every((s) => s.aborted)) {
        timer = setTimeout(() => {
          cleanup();
          reject(new PassAbandonedError());
        }, graceMs);
      }
    };
    const cleanup = () => {
      if (timer !== undefined) clearTimeout(timer);
      all.forEach((s) => s.removeEventListener("abort", check));
    };
    all.forEach((s) => s.addEventListener("abort", check));
    check();
    pass.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error) => {
        cleanup();
        reject(error);
      },
    );
  });
}

type FloatArray = Float32Array | Uint16Array;

/**
 * Several prompts in one pass: left-padded to the longest with the padding masked out, each
 * row's positions its own (0 at its first real token), so each row computes what it would
 * alone. Returns each prompt's last-position logits and its own cache, padding dropped.
 */
async function batchedPrefill(model: LoadedModel, requests: readonly PrefillRequest[]): Promise<PassResult[]> {
  const B = requests.length;
  const longest = Math.max(...requests.map((r) => r.ids.length));
  const ids = new BigInt64Array(B * longest); // padding: token 0, masked
  const mask = new BigInt64Array(B * longest);
  const positions = new BigInt64Array(B * longest);
  requests.forEach((r, b) => {
    const pad = longest - r.ids.length;
    r.ids.forEach((id, i) => {
      ids[b * longest + pad + i] = BigInt(id);
      mask[b * longest + pad + i] = 1n;
      positions[b * longest + pad + i] = BigInt(i);
    });
  });
  const outputs = (await model.model.forward({
    input_ids: new Tensor("int64", ids, [B, longest]),
    attention_mask: new Tensor("int64", mask, [B, longest]),
    position_ids: new Tensor("int64", positions, [B, longest]),
    num_logits_to_keep: new Tensor("int64", BigInt64Array.of(1n), []),
  })) as Record<string, Tensor>;
  return splitRows(outputs, requests.map((r) => r.ids.length), B).map(({ logits, entries }) => ({ logits, cache: new DynamicCache(entries) }));
}

/**
 * A batched pass's outputs, row by row: the last position's logits (a view) and the row's own
 * cache entries — its last `lengths[b]` positions of each present tensor (the rest is padding).
 */
function splitRows(outputs: Record<string, Tensor>, lengths: readonly number[], B: number): { logits: Float32Array; entries: Record<string, Tensor> }[] {
  const entries: Record<string, Tensor>[] = lengths.map(() => ({}));
  for (const name in outputs) {
    if (!name.startsWith("present")) continue;
    const present = outputs[name]!;
    const [, heads, total, dim] = present.dims as [number, number, number, number];
    const source = present.data as FloatArray;
    const Array_ = source.constructor as new (n: number) => FloatArray;
    lengths.forEach((length, b) => {
      const data = new Array_(heads * length * dim);
      for (let h = 0; h < heads; h++) {
        const from = ((b * heads + h) * total + (total - length)) * dim;
        data.set(source.subarray(from, from + length * dim), h * length * dim);
      }
      entries[b]![name.replace("present", "past_key_values")] = new Tensor(present.type, data, [1, heads, length, dim]);
    });
  }
  let logits = outputs.logits!;
  if (logits.type !== "float32") logits = logits.to("float32");
  const vocab = logits.dims[logits.dims.length - 1]!;
  const perRow = logits.data.length / vocab / B; // positions kept per row (1 with num_logits_to_keep)
  const all = logits.data as Float32Array;
  return entries.map((rowEntries, b) => {
    const end = (b + 1) * perRow * vocab;
    return { logits: all.subarray(end - vocab, end), entries: rowEntries };
  });
}

/**
 * One pass for several sequences, each one new token after its own cache: left-pad the caches
 * to the longest, mask the padding, run [B, 1], split the new cache back per row.
 */
async function batchedStep(model: LoadedModel, rows: readonly StepRequest[]): Promise<PassResult[]> {
  const B = rows.length;
  const longest = Math.max(...rows.map((r) => r.past));
  const mask = new BigInt64Array(B * (longest + 1));
  rows.forEach((r, b) => mask.fill(1n, b * (longest + 1) + (longest - r.past), (b + 1) * (longest + 1)));

  const perRow = rows.map((r) => cacheEntries(r.cache));
  const padded: Record<string, Tensor> = {};
  for (const name of Object.keys(perRow[0]!)) {
    const first = perRow[0]![name]!;
    const [, heads, , dim] = first.dims as [number, number, number, number];
    const Array_ = (first.data as FloatArray).constructor as new (n: number) => FloatArray;
    const data = new Array_(B * heads * longest * dim); // zeros: the padding
    perRow.forEach((entries, b) => {
      const source = entries[name]!.data as FloatArray;
      const length = rows[b]!.past;
      for (let h = 0; h < heads; h++) {
        data.set(source.subarray(h * length * dim, (h + 1) * length * dim), ((b * heads + h) * longest + (longest - length)) * dim);
      }
    });
    padded[name] = new Tensor(first.type, data, [B, heads, longest, dim]);
  }

  const outputs = (await model.model.forward({
    input_ids: new Tensor("int64", BigInt64Array.from(rows, (r) => BigInt(r.token)), [B, 1]),
    attention_mask: new Tensor("int64", mask, [B, longest + 1]),
    position_ids: new Tensor("int64", BigInt64Array.from(rows, (r) => BigInt(r.past)), [B, 1]),
    num_logits_to_keep: new Tensor("int64", BigInt64Array.of(1n), []),
    past_key_values: new DynamicCache(padded),
  })) as Record<string, Tensor>;

  // Each row's cache: its own positions of the pass's new cache, padding dropped.
  return splitRows(outputs, rows.map((r) => r.past + 1), B).map(({ logits, entries }, b) => {
    rows[b]!.cache.update(entries);
    return { logits, cache: rows[b]!.cache };
  });
}
