/**
 * Continuous batching for one model: concurrent decode loops share forward passes.
 *
 * Each decode loop (./decode.ts) keeps its own sequence — KV cache, positions, sampler state,
 * seed, stop rules, trace — and asks the batcher for its passes instead of calling forward()
 * itself. The batcher runs one pass through the model at a time:
 *
 *   - a decode step: every loop waiting for its next step (up to `maxBatch`) goes into one
 *     pass of shape [B, 1]. The sequences that stepped together stay together in a *resident
 *     group*: their caches live in one padded block, [B, heads, T, dim] — the last pass's
 *     present.* tensors, fed back as the next pass's past_key_values with no copy — with a
 *     mask row per sequence saying which of the T positions are its own (left padding, and the
 *     column of any pass it sat out, are 0). Position ids are each row's own, so every row
 *     computes what it would alone (equal within float rounding of the batched matrix
 *     products; tested). A member that is late for a pass gets a masked dummy column; one that
 *     ends is released and its row idles until the group is compacted (when half its rows are
 *     idle, or its padding has grown past its longest sequence). Newcomers (their first step
 *     after the prefill) join a group with room, which is rebuilt then: only joins and
 *     compactions copy caches, not every step — before groups, gathering the caches into a
 *     block and splitting them back every step was a third of the CPU at the tutor's ~400-token
 *     contexts. A sequence that ends up alone leaves its group with its own cache.
 *   - a prefill: the newcomers waiting for their prompt's pass (up to `maxBatch`, and up to
 *     PREFILL_TOKEN_BUDGET padded tokens) go into one pass of shape [B, longest prompt], left-
 *     padded the same way, each row's positions starting at 0 at its first real token. When
 *     both are waiting, prefill and step passes alternate, so newcomers never stall the
 *     sequences already decoding for more than one prefill pass at a time, and each newcomer
 *     waits at most one step pass.
 *
 * A lone step or prompt goes through forward() exactly as without the batcher (bit-identical). Why batch
 * at all on a CPU: a step of a small model is mostly fixed cost (one ONNX run, matrix products
 * too small to keep the cores busy), so 32 rows cost about 3× one (`npm run bench:load` measures
 * it). Only CPU tensors are batched: a model whose cache lives on the GPU (WebGPU, one learner
 * per page) gets its passes one by one.
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
  /** Resident groups built or rebuilt (a join or a compaction: the only passes that copy caches). */
  groupBuilds: number;
  /** Rows of step passes that had no token to step: a member late for the pass, or one that ended. */
  idleRows: number;
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
  /** The resident groups, and which group holds each sequence (by its cache handle). */
  private readonly groups = new Set<ResidentGroup>();
  private readonly groupOf = new Map<DynamicCache, ResidentGroup>();
  readonly stats: BatchStats = { stepPasses: 0, stepRows: 0, prefills: 0, prefillPasses: 0, maxRows: 0, groupBuilds: 0, idleRows: 0 };

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

  /**
   * The sequence of `cache` has ended (decode() calls this when it stops, for any reason): its
   * row in a resident group idles from now on instead of being kept for a next step.
   */
  release(cache: DynamicCache): void {
    const group = this.groupOf.get(cache);
    if (!group) return;
    this.groupOf.delete(cache);
    group.members[group.members.indexOf(cache)] = null;
    if (group.members.every((m) => m === null)) this.groups.delete(group);
  }

  /**
   * The next step pass's rows, in queue order: the waiting members of the first waiting
   * sequence's group (or of the group with the most room, for a newcomer), then newcomers while
   * the group has room; at most maxBatch.
   */
  private takeStepRows(): StepRequest[] {
    const max = Math.max(1, this.maxBatch());
    let group = this.groupOf.get(this.steps[0]!.cache);
    if (!group) for (const g of this.groups) if (liveMembers(g) < max && (!group || liveMembers(g) < liveMembers(group))) group = g;
    let room = max - (group ? liveMembers(group) : 0);
    const taken: StepRequest[] = [];
    const rest: StepRequest[] = [];
    for (const request of this.steps) {
      const own = this.groupOf.get(request.cache);
      if (own === undefined ? room > 0 : own === group) {
        taken.push(request);
        if (own === undefined) room--;
      } else rest.push(request);
    }
    this.steps.splice(0, this.steps.length, ...rest);
    return taken;
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
          await this.runSteps(this.takeStepRows());
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
      const group = this.groupFor(rows);
      if (!group) {
        // One at a time: exactly the unbatched pass.
        for (const r of rows) r.resolve(await untilAbandoned(forward(this.model, [r.token], r.past, r.cache), [r.signal], this.abandonAfterMs()));
        return;
      }
      this.stats.idleRows += group.members.length - rows.length;
      let results: PassResult[];
      try {
        results = await untilAbandoned(residentStep(this.model, group, rows), rows.map((r) => r.signal), this.abandonAfterMs());
      } catch (error) {
        this.dissolve(group);
        throw error;
      }
      rows.forEach((r, i) => r.resolve(results[i]!));
    } catch (error) {
      for (const r of rows) r.reject(error);
    }
  }

  /**
   * Give a group up: every live member takes its own cache out of it. Before a rebuild, and
   * after a failed or abandoned pass — then the group's cache is still the one before the pass
   * (a pass changes it only once it returns, and a dissolved group's late result is dropped).
   */
  private dissolve(group: ResidentGroup): void {
    group.dissolved = true;
    group.members.forEach((cache, b) => {
      if (cache === null) return;
      materialize(group, b);
      this.groupOf.delete(cache);
    });
    this.groups.delete(group);
  }

  /**
   * The resident group these rows step in — rebuilt first when newcomers join it or it has
   * too many idle rows or too much padding — or undefined when they go one by one: a single
   * sequence (taken out of its group with its own cache), or caches that live on a GPU.
   */
  private groupFor(rows: readonly StepRequest[]): ResidentGroup | undefined {
    const held = this.groupOf.get(rows[0]!.cache) ?? rows.map((r) => this.groupOf.get(r.cache)).find((g) => g !== undefined);
    const joining = rows.filter((r) => !this.groupOf.has(r.cache));
    if (held && joining.length === 0 && !needsCompaction(held)) return held;

    // (Re)build: every live member of the old group (each takes its own cache out), then the newcomers.
    const members = held ? held.members.filter((cache): cache is DynamicCache => cache !== null) : [];
    if (held) this.dissolve(held);
    members.push(...joining.map((r) => r.cache));
    if (members.length === 1 || !members.every(onCpu)) return undefined;
    const group = buildGroup(members);
    this.stats.groupBuilds++;
    this.groups.add(group);
    for (const cache of members) this.groupOf.set(cache, group);
    return group;
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
 * Sequences whose caches live in one padded block between step passes: the last pass's
 * present.* tensors as past_key_values.*, [B, heads, width, dim]. Row b's own positions are
 * those where mask[b * width + t] is 1, in order; the others are left padding or the columns of
 * passes the row sat out, hidden from its attention.
 */
interface ResidentGroup {
  /** Row b's sequence (the cache handle its decode loop holds), or null once it ended. */
  members: (DynamicCache | null)[];
  cache: Record<string, Tensor>;
  mask: Uint8Array;
  width: number;
  /** Row b's own positions (its `past` at its next step). */
  lengths: number[];
  /** Given up after a failed pass (StepBatcher.dissolve): a late result of that pass is dropped. */
  dissolved?: boolean;
}

const liveMembers = (group: ResidentGroup) => group.members.reduce((n, m) => n + (m === null ? 0 : 1), 0);

/** Idle rows cost a row of compute every pass, padding costs memory and attention: rebuild when either outweighs one copy. */
function needsCompaction(group: ResidentGroup): boolean {
  const longestLive = Math.max(...group.lengths.filter((_, b) => group.members[b] !== null));
  return liveMembers(group) * 2 < group.members.length || group.width > 2 * longestLive + 64;
}

/** Copy row b's own positions out of the group into its sequence's cache (before it leaves the group). */
function materialize(group: ResidentGroup, b: number): void {
  const cache = group.members[b]!;
  const { width, mask } = group;
  const runs: [number, number][] = [];
  for (let t = 0; t < width; t++) {
    if (mask[b * width + t] === 0) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === t) last[1] = t + 1;
    else runs.push([t, t + 1]);
  }
  const length = group.lengths[b]!;
  const entries: Record<string, Tensor> = {};
  for (const name in group.cache) {
    const block = group.cache[name]!;
    const [, heads, , dim] = block.dims as [number, number, number, number];
    const source = block.data as FloatArray;
    const data = new (source.constructor as new (n: number) => FloatArray)(heads * length * dim);
    for (let h = 0; h < heads; h++) {
      let at = h * length * dim;
      for (const [from, to] of runs) {
        const offset = ((b * heads + h) * width + from) * dim;
        data.set(source.subarray(offset, offset + (to - from) * dim), at);
        at += (to - from) * dim;
      }
    }
    entries[name] = new Tensor(block.type, data, [1, heads, length, dim]);
  }
  cache.update(entries);
}

/** A new group of sequences that each hold their own cache: left-padded to the longest. */
function buildGroup(members: DynamicCache[]): ResidentGroup {
  const perRow = members.map(cacheEntries);
  const lengths = perRow.map((entries) => Object.values(entries)[0]!.dims[2]!);
  const width = Math.max(...lengths);
  const B = members.length;
  const mask = new Uint8Array(B * width);
  lengths.forEach((length, b) => mask.fill(1, b * width + (width - length), (b + 1) * width));
  const cache: Record<string, Tensor> = {};
  for (const name of Object.keys(perRow[0]!)) {
    const first = perRow[0]![name]!;
    const [, heads, , dim] = first.dims as [number, number, number, number];
    const data = new ((first.data as FloatArray).constructor as new (n: number) => FloatArray)(B * heads * width * dim); // zeros: the padding
    perRow.forEach((entries, b) => {
      const source = entries[name]!.data as FloatArray;
      const length = lengths[b]!;
      for (let h = 0; h < heads; h++) data.set(source.subarray(h * length * dim, (h + 1) * length * dim), ((b * heads + h) * width + (width - length)) * dim);
    });
    cache[name] = new Tensor(first.type, data, [B, heads, width, dim]);
  }
  return { members, cache, mask, width, lengths };
}

/**
 * One step pass for a resident group: each row that came with a token steps at its own
 * position; the others (late, or ended) get a dummy token in a column masked out of their
 * future. The pass's present.* become the group's cache as they are.
 */
async function residentStep(model: LoadedModel, group: ResidentGroup, rows: readonly StepRequest[]): Promise<PassResult[]> {
  const B = group.members.length;
  const { width } = group;
  const rowOf = rows.map((r) => group.members.indexOf(r.cache));
  rows.forEach((r, i) => {
    if (group.lengths[rowOf[i]!] !== r.past) throw new Error(`batch: a sequence stepped at ${r.past} but its group holds ${group.lengths[rowOf[i]!]} positions`);
  });
  const ids = new BigInt64Array(B);
  const positions = new BigInt64Array(B); // 0 for the dummy rows: always a valid position
  const stepping = new Uint8Array(B);
  rows.forEach((r, i) => {
    ids[rowOf[i]!] = BigInt(r.token);
    positions[rowOf[i]!] = BigInt(r.past);
    stepping[rowOf[i]!] = 1;
  });
  const mask = new Uint8Array(B * (width + 1));
  const maskInput = new BigInt64Array(B * (width + 1));
  for (let b = 0; b < B; b++) {
    mask.set(group.mask.subarray(b * width, (b + 1) * width), b * (width + 1));
    mask[b * (width + 1) + width] = stepping[b]!;
  }
  for (let i = 0; i < mask.length; i++) if (mask[i]) maskInput[i] = 1n;

  const outputs = (await model.model.forward({
    input_ids: new Tensor("int64", ids, [B, 1]),
    attention_mask: new Tensor("int64", maskInput, [B, width + 1]),
    position_ids: new Tensor("int64", positions, [B, 1]),
    num_logits_to_keep: new Tensor("int64", BigInt64Array.of(1n), []),
    past_key_values: new DynamicCache(group.cache),
  })) as Record<string, Tensor>;
  if (group.dissolved) throw new PassAbandonedError(); // given up while it ran: its rows have moved on

  const cache: Record<string, Tensor> = {};
  for (const name in outputs) if (name.startsWith("present")) cache[name.replace("present", "past_key_values")] = outputs[name]!;
  group.cache = cache;
  group.mask = mask;
  group.width = width + 1;
  rowOf.forEach((b) => group.lengths[b]!++);

  let logits = outputs.logits!;
  if (logits.type !== "float32") logits = logits.to("float32");
  const vocab = logits.dims[logits.dims.length - 1]!;
  const all = logits.data as Float32Array;
  return rows.map((r, i) => ({ logits: all.subarray(rowOf[i]! * vocab, (rowOf[i]! + 1) * vocab), cache: r.cache }));
}
