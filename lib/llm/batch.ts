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
 * Where a group's passes run is the batcher's `passes` (GroupPasses): by default on this thread,
 * through the model's own session (InThreadPasses); on the server, in a worker thread that holds
 * the groups' cache blocks (./server/pass-runner.ts). Then up to two groups' passes are in flight
 * at once: the worker runs one group's pass while this thread samples, traces and streams the
 * other's results — the only way to keep both cores of a small server busy, as onnxruntime-node
 * runs a pass synchronously on the thread that asks for it.
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

/**
 * Runs resident groups' step passes and keeps their cache blocks between passes (a group is
 * named by a number that is never reused). A pass replaces its group's block only once it has
 * returned: after a failed one, `take` hands back the block from before it.
 */
export interface GroupPasses {
  /**
   * One step pass of `group`: `inputs` are input_ids [B, 1], attention_mask [B, width + 1] and
   * position_ids [B, 1]; `block` (the group's cache, just built) moves in with its first pass.
   * Resolves to the logits, B rows of the vocabulary's width.
   */
  step(group: number, inputs: Record<string, Tensor>, block?: Record<string, Tensor>): Promise<Float32Array>;
  /** Moves the group's block out (to split it into its members' own caches); undefined if it was lost with a stuck pass. */
  take(group: number): Promise<Record<string, Tensor> | undefined>;
  /** Drops the group's block (every member has ended). */
  forget(group: number): void;
  /** A pass of `group` was abandoned (it may never return). */
  abandoned(group: number): void;
  /** Passes run off this thread, so two groups' passes may be in flight at once. */
  readonly concurrent: boolean;
  /** Groups whose blocks are held now (0 once every sequence has ended: nothing leaks). */
  readonly heldBlocks: number;
}

/** The groups' passes on this thread, through the model's own session. */
export class InThreadPasses implements GroupPasses {
  readonly concurrent = false;
  private readonly blocks = new Map<number, Record<string, Tensor>>();
  constructor(private readonly model: LoadedModel) {}

  get heldBlocks(): number {
    return this.blocks.size;
  }

  async step(group: number, inputs: Record<string, Tensor>, block?: Record<string, Tensor>): Promise<Float32Array> {
    if (block) this.blocks.set(group, block);
    const past = this.blocks.get(group);
    if (!past) throw new PassAbandonedError();
    const outputs = (await this.model.model.forward({
      ...inputs,
      num_logits_to_keep: new Tensor("int64", BigInt64Array.of(1n), []),
      past_key_values: new DynamicCache(past),
    })) as Record<string, Tensor>;
    // Given up while it ran (the batcher took the block back and moved on): drop the late result.
    if (this.blocks.get(group) !== past) throw new PassAbandonedError();
    const next: Record<string, Tensor> = {};
    for (const name in outputs) if (name.startsWith("present")) next[name.replace("present", "past_key_values")] = outputs[name]!;
    this.blocks.set(group, next);
    let logits = outputs.logits!;
    if (logits.type !== "float32") logits = logits.to("float32");
    return logits.data as Float32Array;
  }

  async take(group: number): Promise<Record<string, Tensor> | undefined> {
    const block = this.blocks.get(group);
    this.blocks.delete(group);
    return block;
  }

  forget(group: number): void {
    this.blocks.delete(group);
  }

  abandoned(): void {
    // Nothing to do: the block from before the pass is still here, and its late result is dropped (step()).
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
  /** The most group passes in flight at once (2 when they run off this thread and overlap). */
  maxInFlight: number;
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

/** Group passes that may be in flight at once: one running off this thread, the next queued behind it. */
const MAX_IN_FLIGHT = 2;

export class StepBatcher {
  private readonly steps: StepRequest[] = [];
  private readonly prefills: PrefillRequest[] = [];
  private running = false;
  private lastWasPrefill = false;
  /** The resident groups, and which group holds each sequence (by its cache handle). */
  private readonly groups = new Set<ResidentGroup>();
  private readonly groupOf = new Map<DynamicCache, ResidentGroup>();
  /** Groups whose pass is in flight (only off-thread passes overlap), and those passes. */
  private readonly busy = new Set<ResidentGroup>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Wakes the loop while it waits for a pass in flight: a request arrived or a pass ended. */
  private wake: (() => void) | undefined;
  private nextGroupId = 1;
  readonly stats: BatchStats = { stepPasses: 0, stepRows: 0, prefills: 0, prefillPasses: 0, maxRows: 0, groupBuilds: 0, idleRows: 0, maxInFlight: 0 };

  private readonly maxBatch: () => number;
  private readonly abandonAfterMs: () => number;
  private readonly onPass: ((pass: { kind: "prefill" | "step"; rows: number }) => void) | undefined;
  readonly passes: GroupPasses;

  constructor(
    readonly model: LoadedModel,
    options: {
      /** Rows per step pass at most; read at every pass. */
      maxBatch: () => number;
      /** How long a pass whose sequences were all aborted may still run before it is abandoned; read at every pass. Default 0. */
      abandonAfterMs?: () => number;
      /** Told of every pass as it starts (tests, benchmarks). */
      onPass?: (pass: { kind: "prefill" | "step"; rows: number }) => void;
      /** Where resident groups' passes run; default: this thread (InThreadPasses). */
      passes?: GroupPasses;
    },
  ) {
    this.maxBatch = options.maxBatch;
    this.abandonAfterMs = options.abandonAfterMs ?? (() => 0);
    this.onPass = options.onPass;
    this.passes = options.passes ?? new InThreadPasses(model);
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
    if (group.members.every((m) => m === null)) {
      this.groups.delete(group);
      this.passes.forget(group.id);
    }
  }

  /**
   * The next step pass's rows, in queue order: the waiting members of the first waiting
   * sequence's group (or of the group with the most room, for a newcomer), then newcomers while
   * the group has room; at most maxBatch. A group whose pass is in flight waits for it.
   */
  private takeStepRows(): StepRequest[] {
    const max = Math.max(1, this.maxBatch());
    const first = this.steps.find((r) => !this.isBusy(this.groupOf.get(r.cache)));
    if (!first) return [];
    let group = this.groupOf.get(first.cache);
    if (!group) for (const g of this.groups) if (!this.busy.has(g) && liveMembers(g) < max && (!group || liveMembers(g) < liveMembers(group))) group = g;
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

  private isBusy(group: ResidentGroup | undefined): boolean {
    return group !== undefined && this.busy.has(group);
  }

  private kick(): void {
    if (this.running) {
      this.wake?.();
      return;
    }
    this.running = true;
    // After this turn of the event loop, so that loops submitting at the same time share a pass.
    void yieldToLoops().then(() => this.loop());
  }

  private async loop(): Promise<void> {
    try {
      while (this.steps.length > 0 || this.prefills.length > 0 || this.inFlight.size > 0) {
        const stepsReady = this.inFlight.size < MAX_IN_FLIGHT && this.steps.some((r) => !this.isBusy(this.groupOf.get(r.cache)));
        if (stepsReady && (this.prefills.length === 0 || this.lastWasPrefill)) {
          await this.runSteps(this.takeStepRows());
          this.lastWasPrefill = false;
        } else if (this.prefills.length > 0) {
          await this.runPrefills(this.prefills.splice(0, prefillsThatFit(this.prefills, this.maxBatch())));
          this.lastWasPrefill = true;
        } else {
          // Only passes in flight (or steps of their groups): wait for one to end or a request to arrive.
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = undefined;
          // Woken by the first loop to submit (or by a pass's end): let the others of this
          // turn submit too, or they would miss the pass and sit it out.
          await yieldToLoops();
          continue;
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

  /**
   * One step pass for `rows`. A resident group's pass that runs off this thread is left in
   * flight (the loop goes on to another group's); every other pass is awaited.
   */
  private async runSteps(taken: StepRequest[]): Promise<void> {
    const rows = taken.filter((r) => !lostCaches.has(r.cache));
    for (const r of taken) if (lostCaches.has(r.cache)) r.reject(new PassAbandonedError());
    if (rows.length === 0) return;
    this.stats.stepPasses++;
    this.stats.stepRows += rows.length;
    this.stats.maxRows = Math.max(this.stats.maxRows, rows.length);
    this.onPass?.({ kind: "step", rows: rows.length });
    let group: ResidentGroup | undefined;
    try {
      group = await this.groupFor(rows);
    } catch (error) {
      for (const r of rows) r.reject(error);
      return;
    }
    if (!group) {
      try {
        // One at a time: exactly the unbatched pass.
        for (const r of rows) r.resolve(await untilAbandoned(forward(this.model, [r.token], r.past, r.cache), [r.signal], this.abandonAfterMs()));
      } catch (error) {
        for (const r of rows) r.reject(error);
      }
      return;
    }
    this.stats.idleRows += group.members.length - rows.length;
    const pass = this.groupPass(group, rows);
    if (!this.passes.concurrent) return pass;
    this.busy.add(group);
    const tracked: Promise<void> = pass.finally(() => {
      this.busy.delete(group);
      this.inFlight.delete(tracked);
      this.wake?.();
    });
    this.inFlight.add(tracked);
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight.size);
  }

  private async groupPass(group: ResidentGroup, rows: readonly StepRequest[]): Promise<void> {
    let results: PassResult[];
    try {
      results = await untilAbandoned(residentStep(this.passes, group, rows), rows.map((r) => r.signal), this.abandonAfterMs());
    } catch (error) {
      if (error instanceof PassAbandonedError) this.passes.abandoned(group.id);
      await this.dissolve(group);
      for (const r of rows) r.reject(error);
      return;
    }
    rows.forEach((r, i) => r.resolve(results[i]!));
  }

  /**
   * Give a group up: every live member takes its own cache out of it. Before a rebuild, and
   * after a failed or abandoned pass — then the group's block is still the one before the pass
   * (a pass replaces it only once it returns, and a dissolved group's late result is dropped).
   * If the block was lost with a stuck pass (a worker thread that had to be replaced), its
   * members' next steps fail with PassAbandonedError.
   */
  private async dissolve(group: ResidentGroup): Promise<void> {
    this.groups.delete(group);
    const block = group.pending ?? (await this.passes.take(group.id));
    group.pending = undefined;
    group.members.forEach((cache, b) => {
      if (cache === null) return;
      if (block) materialize(group, b, block);
      else lostCaches.add(cache);
      this.groupOf.delete(cache);
    });
  }

  /**
   * The resident group these rows step in — rebuilt first when newcomers join it or it has
   * too many idle rows or too much padding — or undefined when they go one by one: a single
   * sequence (taken out of its group with its own cache), or caches that live on a GPU.
   */
  private async groupFor(rows: readonly StepRequest[]): Promise<ResidentGroup | undefined> {
    const held = this.groupOf.get(rows[0]!.cache) ?? rows.map((r) => this.groupOf.get(r.cache)).find((g) => g !== undefined);
    const joining = rows.filter((r) => !this.groupOf.has(r.cache));
    if (held && joining.length === 0 && !needsCompaction(held)) return held;

    // (Re)build: every live member of the old group (each takes its own cache out), then the newcomers.
    const members = held ? held.members.filter((cache): cache is DynamicCache => cache !== null) : [];
    if (held) await this.dissolve(held);
    if (members.some((cache) => lostCaches.has(cache))) throw new PassAbandonedError(); // the old group's block went with a stuck pass
    members.push(...joining.map((r) => r.cache));
    if (members.length === 1 || !members.every(onCpu)) return undefined;
    const group = buildGroup(this.nextGroupId++, members);
    this.stats.groupBuilds++;
    this.groups.add(group);
    for (const cache of members) this.groupOf.set(cache, group);
    return group;
  }
}

/** Caches whose rows were lost with a stuck pass (their group's block went with the worker thread). */
const lostCaches = new WeakSet<DynamicCache>();

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
 * present.* tensors as past_key_values.*, [B, heads, width, dim], kept by the batcher's
 * GroupPasses under the group's id. Row b's own positions are those where mask[b * width + t]
 * is 1, in order; the others are left padding or the columns of passes the row sat out, hidden
 * from its attention.
 */
interface ResidentGroup {
  id: number;
  /** Row b's sequence (the cache handle its decode loop holds), or null once it ended. */
  members: (DynamicCache | null)[];
  /** The block just built, until it moves into GroupPasses with the group's first pass. */
  pending: Record<string, Tensor> | undefined;
  mask: Uint8Array;
  width: number;
  /** Row b's own positions (its `past` at its next step). */
  lengths: number[];
}

const liveMembers = (group: ResidentGroup) => group.members.reduce((n, m) => n + (m === null ? 0 : 1), 0);

/** Idle rows cost a row of compute every pass, padding costs memory and attention: rebuild when either outweighs one copy. */
function needsCompaction(group: ResidentGroup): boolean {
  const longestLive = Math.max(...group.lengths.filter((_, b) => group.members[b] !== null));
  return liveMembers(group) * 2 < group.members.length || group.width > 2 * longestLive + 64;
}

/** Copy row b's own positions out of the group's block into its sequence's cache (before it leaves the group). */
function materialize(group: ResidentGroup, b: number, block: Record<string, Tensor>): void {
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
  for (const name in block) {
    const tensor = block[name]!;
    const [, heads, , dim] = tensor.dims as [number, number, number, number];
    const source = tensor.data as FloatArray;
    const data = new (source.constructor as new (n: number) => FloatArray)(heads * length * dim);
    for (let h = 0; h < heads; h++) {
      let at = h * length * dim;
      for (const [from, to] of runs) {
        const offset = ((b * heads + h) * width + from) * dim;
        data.set(source.subarray(offset, offset + (to - from) * dim), at);
        at += (to - from) * dim;
      }
    }
    entries[name] = new Tensor(tensor.type, data, [1, heads, length, dim]);
  }
  cache.update(entries);
}

/** A new group of sequences that each hold their own cache: left-padded to the longest. */
function buildGroup(id: number, members: DynamicCache[]): ResidentGroup {
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
  return { id, members, pending: cache, mask, width, lengths };
}

/**
 * One step pass for a resident group: each row that came with a token steps at its own
 * position; the others (late, or ended) get a dummy token in a column masked out of their
 * future. The pass's present.* become the group's block as they are (inside `passes`).
 */
async function residentStep(passes: GroupPasses, group: ResidentGroup, rows: readonly StepRequest[]): Promise<PassResult[]> {
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

  const block = group.pending;
  group.pending = undefined;
  const all = await passes.step(
    group.id,
    {
      input_ids: new Tensor("int64", ids, [B, 1]),
      attention_mask: new Tensor("int64", maskInput, [B, width + 1]),
      position_ids: new Tensor("int64", positions, [B, 1]),
    },
    block,
  );
  group.mask = mask;
  group.width = width + 1;
  rowOf.forEach((b) => group.lengths[b]!++);
  const vocab = all.length / B;
  return rows.map((r, i) => ({ logits: all.subarray(rowOf[i]! * vocab, (rowOf[i]! + 1) * vocab), cache: r.cache }));
}
