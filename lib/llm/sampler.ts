/**
 * The sampler: how one next token is chosen from the model's logits, as small functions
 * applied in a fixed order, each of which the inspector shows as a stage:
 *
 *   raw logits
 *   → repetition penalty          (Hugging Face rule, on every token seen: prompt + reply)
 *   → presence/frequency penalty  (OpenAI rule, on tokens generated so far)
 *   → copy                        (+copyBoost for tokens continuing a run of the reply found in
 *                                  the prompt, lib/llm/copy.ts; off unless asked for)
 *   → quote                       (only tokens that continue, start or end a quotation of the
 *                                  prompt's passage sentences, lib/llm/quote.ts; off unless asked for)
 *   → temperature                 (divide by T; T = 0 or `greedy` ⇒ argmax, no draw)
 *   → top-k → top-p → min-p       (filters: each keeps the most likely tokens)
 *   → renormalise                 (the kept probabilities rescaled to sum to 1)
 *   → draw u ∈ [0, 1) from the seeded PRNG → pick by inverse CDF
 *
 * One ordering runs through all of it: tokens sorted by probability, highest first, ties
 * broken by the lower token id. (Sorting by penalised logit gives the same order — dividing
 * by T > 0 and exp() preserve it — and also orders tokens whose probability underflows to
 * 0, so the code sorts by logit.) Every filter keeps a *prefix* of that order:
 * top-k the first k, top-p the shortest prefix holding mass ≥ p, min-p those at least
 * minP × the top probability. So the kept set after each stage is described by a single
 * count, and the inverse-CDF draw walks the same order: the most likely token owns
 * [0, q₀), the next [q₀, q₀ + q₁), and so on.
 *
 * Performance: called once per generated token over the whole vocabulary (2k tokens for
 * course-lm, 152k for Qwen). The vocabulary is never sorted up front: TokenOrder sorts
 * lazily, only as far as the filters and the draw actually look (usually a few dozen
 * tokens). Per token the cost is a handful of linear passes, two of them calling exp()
 * (the model's own log-probability, and the softmax at temperature T); the working arrays
 * are reused between calls. sampleStep is synchronous and keeps no reference to its
 * scratch buffers after it returns, so sharing them between concurrent decodes is safe.
 *
 * Isomorphic: imports only the copy and quote stages' bookkeeping (./copy.ts, ./quote.ts, both
 * import-free) and types.
 */
import { copyContinuations, type CopySource } from "./copy.ts";
import type { Rng } from "./prng.ts";
import { advanceQuote, quoteOptions, type QuoteSource, type QuoteState } from "./quote.ts";
import type { CopyStep, FilterStage, KeptCounts, QuoteStep, SamplingSettings } from "./trace.ts";

/** Any writable array of numbers (Float32Array, Float64Array, number[]). */
export interface MutableNumbers {
  [index: number]: number;
  readonly length: number;
}

// ─── Context: what the penalties look at ────────────────────────────────────────────────

export interface SamplerContext {
  /** Every distinct token id seen so far, prompt and reply (the repetition penalty's set). */
  readonly seen: ReadonlySet<number>;
  /** How many times each token has been generated in this reply (presence/frequency). */
  readonly generatedCounts: ReadonlyMap<number, number>;
  /** The reply so far, in order (the copy stage matches its last tokens). */
  readonly reply: readonly number[];
  /** The prompt, indexed for the copy stage; absent: the stage has nothing to copy from. */
  readonly copy?: CopySource;
  /** The quote stage's sentences and where the reply stands in them; absent: the stage is off. */
  readonly quote?: { readonly source: QuoteSource; readonly state: QuoteState };
}

/** A context that the decode loop updates in place with each new token (O(1) per token). */
export interface MutableSamplerContext extends SamplerContext {
  readonly seen: Set<number>;
  readonly generatedCounts: Map<number, number>;
  readonly reply: number[];
}

export function createSamplerContext(
  promptIds: Iterable<number>,
  generatedIds: Iterable<number> = [],
  copy?: CopySource,
  quote?: { source: QuoteSource; state: QuoteState },
): MutableSamplerContext {
  const ctx: MutableSamplerContext = { seen: new Set(promptIds), generatedCounts: new Map(), reply: [], ...(copy ? { copy } : {}), ...(quote ? { quote } : {}) };
  for (const id of generatedIds) recordGenerated(ctx, id);
  return ctx;
}

/** Add a generated token to the context. */
export function recordGenerated(ctx: MutableSamplerContext, id: number): void {
  ctx.seen.add(id);
  ctx.generatedCounts.set(id, (ctx.generatedCounts.get(id) ?? 0) + 1);
  ctx.reply.push(id);
  if (ctx.quote) advanceQuote(ctx.quote.source, ctx.quote.state, id);
}

// ─── Stage 1: penalties (in place) ──────────────────────────────────────────────────────

/**
 * Repetition penalty, Hugging Face's rule (Keskar et al. 2019, CTRL): for each distinct
 * token already seen — in the prompt or the reply so far — a positive logit is divided by
 * the penalty and a negative one multiplied by it, so either way the token becomes less
 * likely. A token counts once however often it appeared. penalty 1 = no change.
 */
export function applyRepetitionPenalty(logits: MutableNumbers, seen: ReadonlySet<number>, penalty: number): void {
  if (penalty === 1) return;
  for (const id of seen) {
    const x = logits[id];
    logits[id] = x > 0 ? x / penalty : x * penalty;
  }
}

/**
 * Presence and frequency penalties, OpenAI's rule:
 *   logit[j] − presence · [count_j > 0] − frequency · count_j
 * where count_j is how many times token j was *generated* in this reply. Our choice, as in
 * OpenAI's API: the prompt does not count, so a reply may repeat the question's words
 * freely; the repetition penalty above is the knob that also looks at the prompt.
 * Unlike the repetition penalty this is a subtraction, the same for positive and
 * negative logits, and negative values make repeats *more* likely.
 */
export function applyPresenceFrequencyPenalties(
  logits: MutableNumbers,
  generatedCounts: ReadonlyMap<number, number>,
  presence: number,
  frequency: number,
): void {
  if (presence === 0 && frequency === 0) return;
  for (const [id, count] of generatedCounts) {
    if (count > 0) logits[id] -= presence + frequency * count;
  }
}

/**
 * The copy stage: +copyBoost on the logit of every token that continues the longest run of
 * the reply's last tokens found in the prompt (lib/llm/copy.ts). A nudge, not a rule: the
 * model still chooses where a quote starts and when it stops, and a strong enough preference
 * for another token still wins. Which tokens it favours (null when the stage is off).
 */
export function copyTargets(context: SamplerContext, boost: number, vocabSize: number): CopyStep | null {
  if (boost === 0 || !context.copy) return null;
  const match = copyContinuations(context.copy, context.reply);
  return { matched: match.matched, boosted: match.next.filter((id) => id < vocabSize) };
}

/**
 * The quote stage: every token that does not continue, start or end a quotation of the
 * prompt's passage sentences (lib/llm/quote.ts) is removed — its logit becomes −∞ — so the
 * model's choice is renormalised over the tokens that keep the reply a quotation. A rule, not
 * a nudge. What it allowed (null when the stage is off or has nothing to quote).
 */
export function quoteStage(context: SamplerContext, on: boolean, vocabSize: number): QuoteStep | null {
  if (!on || !context.quote) return null;
  const options = quoteOptions(context.quote.source, context.quote.state);
  if (!options) return null;
  const allowed = options.allowed.filter((id) => id < vocabSize);
  if (allowed.length === 0) return null;
  return { allowed, canStop: options.canStop, quoting: options.quoting };
}

// ─── Stage 2: temperature and softmax ───────────────────────────────────────────────────

/**
 * Index of the largest value; ties go to the lowest index (strict `>` keeps the first).
 * Returns −1 for an empty array. NaN never wins.
 */
export function argmax(values: ArrayLike<number>): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > bestValue || (best === -1 && v === -Infinity)) {
      best = i;
      bestValue = v;
    }
  }
  return best;
}

/**
 * log Σ exp(x_i / T), computed stably: subtract the maximum first so the largest term is
 * exp(0) = 1 and nothing overflows (exp(1000) is Infinity in floating point; exp(0) is not).
 * −Infinity entries contribute exp(−∞) = 0. All −Infinity ⇒ −Infinity.
 */
export function logSumExp(values: ArrayLike<number>, temperature = 1): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp((values[i] - max) / temperature);
  return max / temperature + Math.log(sum);
}

/**
 * Numerically stable softmax of logits / T over the whole array, written into `out`
 * (allocated when not given). The maximum is subtracted before exp(), which changes
 * nothing mathematically (it cancels in the ratio) but keeps every exp() in (0, 1].
 * −Infinity logits get probability 0. If some logits are +Infinity they share all the
 * probability equally (the limit of the formula). Throws if no logit is finite or +∞.
 */
export function softmax(logits: ArrayLike<number>, temperature = 1, out?: Float64Array): Float64Array {
  const n = logits.length;
  const p = out ?? new Float64Array(n);
  if (!(temperature > 0)) throw new RangeError(`softmax temperature must be > 0, got ${temperature}`);
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  if (max === -Infinity || Number.isNaN(max)) throw new RangeError("softmax: no token has a finite logit");
  let sum = 0;
  if (max === Infinity) {
    for (let i = 0; i < n; i++) sum += p[i] = logits[i] === Infinity ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) sum += p[i] = Math.exp((logits[i] - max) / temperature);
  }
  const inv = 1 / sum;
  for (let i = 0; i < n; i++) p[i] *= inv;
  return p;
}

// ─── The order: tokens by probability, partially sorted on demand ───────────────────────

/**
 * Tokens ordered by `keys` descending, ties by lower id — built lazily: `sortTo(m)` makes
 * the first m positions final, doing only as much work as m requires. Filters and the draw
 * only ever need a prefix, usually short, so the vocabulary is never sorted in full unless
 * a distribution is so flat that the prefix really is most of it.
 *
 * Two gears:
 * 1. the first SMALL_SELECTION tokens: one pass keeping a sorted list of the best so far
 *    (topInto). For a peaked distribution, this is all that is ever needed.
 * 2. beyond that: incremental quicksort (Paredes & Navarro, 2006). Quicksort, but always
 *    recursing into the leftmost segment only and remembering the pivots' final positions
 *    on a stack, so the k-th token comes out after O(V + k log k) work in total, however
 *    many separate calls ask for the next ones.
 */
export class TokenOrder {
  /** Token ids; positions [0, sorted) are final. */
  order: Int32Array;
  private keys: Float64Array = new Float64Array(0);
  private n = 0;
  private sorted = 0;
  /** Gear 2 state: final positions of pivots; order[sorted, top) is an unsorted segment. */
  private stack: number[] = [];
  private incremental = false;

  constructor(capacity = 0) {
    this.order = new Int32Array(capacity);
  }

  /** Start over with new keys (no copy: the caller must not change them while in use). */
  reset(keys: Float64Array, n = keys.length): this {
    if (this.order.length < n) this.order = new Int32Array(n);
    this.keys = keys;
    this.n = n;
    this.sorted = 0;
    this.incremental = false;
    return this;
  }

  get size(): number {
    return this.n;
  }

  /** How many leading positions are already final (sorted). */
  get sortedCount(): number {
    return this.sorted;
  }

  /** Does token a come before token b? (higher key first; ties: lower id first) */
  before(a: number, b: number): boolean {
    const ka = this.keys[a];
    const kb = this.keys[b];
    return ka > kb || (ka === kb && a < b);
  }

  /** The token at position `pos` of the order. */
  at(pos: number): number {
    if (pos >= this.sorted) this.sortTo(pos + 1);
    return this.order[pos];
  }

  /** Is `id` among the first `count` tokens of the order? */
  inPrefix(id: number, count: number): boolean {
    if (count >= this.n) return true;
    if (count <= 0) return false;
    const last = this.at(count - 1);
    return id === last || this.before(id, last);
  }

  /** Make positions [0, m) hold the top m tokens, sorted. */
  sortTo(m: number): void {
    m = Math.min(m, this.n);
    if (m <= this.sorted) return;
    if (!this.incremental && m <= SMALL_SELECTION) {
      // Gear 1. Ask for a few more than needed (64 at least), so the next small request
      // is free, and redo the pass from scratch if it was not enough.
      this.sorted = topInto(this.keys, this.n, Math.min(SMALL_SELECTION, Math.max(m, 64, this.sorted * 4)), this.order);
      return;
    }
    if (!this.incremental) {
      // Gear 2 starts: put every token not yet placed after the sorted ones.
      const order = this.order;
      let w = this.sorted;
      if (w === 0) for (let i = 0; i < this.n; i++) order[i] = i;
      else {
        const last = order[w - 1];
        for (let i = 0; i < this.n; i++) if (this.before(last, i)) order[w++] = i;
      }
      this.stack = [this.n];
      this.incremental = true;
    }
    while (this.sorted < m) this.extractNext();
  }

  /** Incremental quicksort step: make position `sorted` final, then advance. */
  private extractNext(): void {
    const order = this.order;
    const keys = this.keys;
    const stack = this.stack;
    const lo = this.sorted;
    for (;;) {
      const hi = stack[stack.length - 1]; // segment [lo, hi) is unsorted, order[hi] final
      if (hi === lo) {
        stack.pop();
        this.sorted = lo + 1;
        return;
      }
      if (hi - lo === 1) {
        this.sorted = lo + 1;
        return;
      }
      // Partition [lo, hi) around the median of three (guards against sorted input).
      const right = hi - 1;
      const mid = (lo + right) >>> 1;
      const a = order[lo];
      const b = order[mid];
      const c = order[right];
      const ka = keys[a];
      const kb = keys[b];
      const kc = keys[c];
      const ab = ka > kb || (ka === kb && a < b);
      const bc = kb > kc || (kb === kc && b < c);
      const ac = ka > kc || (ka === kc && a < c);
      const medianPos = ab === bc ? mid : ab === ac ? right : lo;
      const pivot = order[medianPos];
      order[medianPos] = order[right];
      order[right] = pivot;
      const kp = keys[pivot];
      let store = lo;
      for (let i = lo; i < right; i++) {
        const t = order[i];
        const kt = keys[t];
        if (kt > kp || (kt === kp && t < pivot)) {
          order[i] = order[store];
          order[store++] = t;
        }
      }
      order[right] = order[store];
      order[store] = pivot;
      stack.push(store);
    }
  }
}

/** Up to this many, a one-pass insertion selection beats partitioning (no rearranging of V ids). */
const SMALL_SELECTION = 256;

/**
 * The top m indices of keys[0, n) — higher key first, ties by lower index — written sorted
 * into out[0, m). One pass: keep a sorted list of the best m so far; most items lose to
 * its last entry with a single comparison. Returns how many were written (min(m, n)).
 */
export function topInto(keys: Float64Array, n: number, m: number, out: Int32Array): number {
  m = Math.min(m, n);
  if (m <= 0) return 0;
  let count = 0;
  let lastKey = -Infinity; // key of out[count - 1] once the list is full
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (count === m) {
      // Equal keys: i is larger than every index already in the list, so it loses the tie.
      if (!(k > lastKey)) continue;
      count--; // drop the last to make room
    }
    let j = count;
    while (j > 0) {
      const prev = out[j - 1];
      if (keys[prev] >= k) break; // prev is ahead (higher key, or equal key and lower id)
      out[j] = prev;
      j--;
    }
    out[j] = i;
    count++;
    if (count === m) lastKey = keys[out[m - 1]];
  }
  return count;
}

// ─── Stage 3: filters. Each takes the kept count so far and returns the new one ─────────

/** Top-k: keep the k most likely tokens. k = 0 (off) or k ≥ kept keeps everything kept so far. */
export function topK(kept: number, k: number): number {
  return k > 0 && k < kept ? k : kept;
}

/**
 * Floating-point slack for the top-p and min-p boundaries. Probabilities come out of exp()
 * and a sum over thousands of terms, so a mathematically exact boundary (p = 0.8 with
 * tokens of 0.5 and 0.3) can land either side by ~1e-16. Differences below 1e-9 are
 * treated as rounding, not probability, so the boundary token is kept as the maths says.
 */
export const BOUNDARY_EPSILON = 1e-9;

/**
 * Top-p (nucleus): of the `kept` most likely tokens, keep the smallest prefix whose
 * probability — renormalised over those `kept` tokens, as Hugging Face does after top-k —
 * adds up to at least p. p ≥ 1 is off. The token that crosses p is kept.
 */
export function topP(order: TokenOrder, probs: Float64Array, kept: number, p: number): number {
  if (p >= 1 || kept <= 1) return kept;
  const target = (p - BOUNDARY_EPSILON) * prefixMass(order, probs, kept);
  let cum = 0;
  for (let pos = 0; pos < kept; pos++) {
    cum += probs[order.at(pos)];
    if (cum >= target) return pos + 1;
  }
  return kept;
}

/**
 * Min-p: keep tokens whose probability is at least minP × the top token's probability
 * (Nguyen et al. 2024). The cut adapts to the model's confidence: strict when one token
 * dominates, lenient when many are plausible. minP 0 is off. Renormalising does not change
 * ratios, so it does not matter whether p is taken before or after earlier filters.
 */
export function minP(order: TokenOrder, probs: Float64Array, kept: number, minP: number): number {
  if (minP <= 0 || kept <= 1) return kept;
  const threshold = minPThreshold(probs[order.at(0)], minP);
  // No sorting needed: every token at or above the threshold is more likely than every
  // token below it, so the qualifying tokens already form a prefix of the order and
  // counting them (one scan) gives its length. Capped by what earlier filters kept.
  let count = 0;
  for (let i = 0, n = probs.length; i < n; i++) if (probs[i] >= threshold) count++;
  return Math.min(kept, Math.max(1, count));
}

/** The probability below which min-p removes a token (with the rounding slack). */
export function minPThreshold(pMax: number, minP: number): number {
  return minP * pMax * (1 - BOUNDARY_EPSILON);
}

/** Total probability of the first `count` tokens in the order. */
export function prefixMass(order: TokenOrder, probs: Float64Array, count: number): number {
  let sum = 0;
  if (count >= order.size) {
    for (let i = 0, n = order.size; i < n; i++) sum += probs[i];
    return sum;
  }
  for (let pos = 0; pos < count; pos++) sum += probs[order.at(pos)];
  return sum;
}

// ─── Stage 4: the draw ──────────────────────────────────────────────────────────────────

/**
 * Inverse-CDF pick over the first `kept` tokens of the order, renormalised (mass = their
 * total probability): lay the kept probabilities end to end on [0, 1) — most likely first —
 * and return the token whose interval contains u. Token at position j owns
 * [Q_{j−1}, Q_j) where Q_j is the cumulative renormalised probability. Returns the id.
 */
export function pickByInverseCdf(
  order: TokenOrder,
  probs: Float64Array,
  kept: number,
  mass: number,
  u: number,
): number {
  const target = u * mass;
  let cum = 0;
  let lastPositive = order.at(0);
  for (let pos = 0; pos < kept; pos++) {
    const id = order.at(pos);
    const p = probs[id];
    if (p > 0) lastPositive = id;
    cum += p;
    if (cum > target) return id;
  }
  // Only reachable through rounding (u·mass at the very top of the last interval).
  return lastPositive;
}

/** Entropy −Σ q ln q (nats) of the first `kept` tokens' probabilities renormalised by `mass`. */
export function prefixEntropy(order: TokenOrder, probs: Float64Array, kept: number, mass: number): number {
  let h = 0;
  const add = (p: number) => {
    if (p > 0) {
      const q = p / mass;
      h -= q * Math.log(q);
    }
  };
  if (kept >= order.size) for (let i = 0; i < order.size; i++) add(probs[i]);
  else for (let pos = 0; pos < kept; pos++) add(probs[order.at(pos)]);
  return h;
}

// ─── The whole step ─────────────────────────────────────────────────────────────────────

/** Numbers of one candidate row (the decode loop adds the token's text). */
export interface CandidateScores {
  id: number;
  logit: number;
  logitAfterPenalty: number;
  /** The copy stage's bonus, when it favoured this token. */
  copyBonus?: number;
  probAtTemperature: number;
  probFinal: number;
  removedBy?: FilterStage;
}

/** Everything a trace step records about the choice, without token text. */
export interface StepSample {
  tokenId: number;
  logprob: number;
  rank: number;
  entropy: number;
  u: number | null;
  kept: KeptCounts;
  candidates: CandidateScores[];
  forced: boolean;
  /** The copy stage's work, when it is on (settings.copyBoost > 0 and a prompt to copy from). */
  copy?: CopyStep;
  /** The quote stage's work, when it is on (settings.quote and sentences to quote). */
  quote?: QuoteStep;
}

export interface SampleStepOptions {
  /** Impose this token instead of drawing one (replay, branching). The pipeline still runs
   *  and the draw is still taken, so the random stream stays aligned with the step index. */
  forcedTokenId?: number;
  /** How many top-by-raw-logit candidates to report (default 20). */
  candidateCount?: number;
}

export const DEFAULT_CANDIDATES = 20;

/**
 * Scratch buffers reused across calls (grown to the largest vocabulary seen). All hot loops
 * run over Float64Arrays only: V8 compiles a loop for the array types it has seen, and one
 * type keeps every loop monomorphic (mixing Float32Array and Float64Array made the
 * selection loops ~5× slower).
 */
const scratch = {
  raw: new Float64Array(0), // the model's logits, as float64
  work: new Float64Array(0), // penalised logits
  unmasked: new Float64Array(0), // penalised logits before the quote stage's mask
  allowed: new Uint8Array(0), // the quote stage's allowed tokens (1) this step
  probs: new Float64Array(0), // probabilities at temperature
  order: new TokenOrder(),
  top: new Int32Array(64),
};

/**
 * Run the whole pipeline on one step's logits and choose the next token.
 *
 * `logits` are the model's raw logits for the next position (not modified). `context`
 * holds the tokens seen so far for the penalties. `rng` is consulted exactly once when not
 * greedy (and not at all when greedy). Deterministic: the same inputs and rng state give
 * the same result.
 */
export function sampleStep(
  logits: ArrayLike<number>,
  context: SamplerContext,
  settings: SamplingSettings,
  rng: Rng,
  options: SampleStepOptions = {},
): StepSample {
  const V = logits.length;
  if (V === 0) throw new RangeError("sampleStep: empty logits");
  const forced = options.forcedTokenId;
  if (forced !== undefined && !(Number.isInteger(forced) && forced >= 0 && forced < V)) {
    throw new RangeError(`forced token id ${forced} is not in [0, ${V})`);
  }
  if (scratch.work.length < V) {
    scratch.raw = new Float64Array(V);
    scratch.work = new Float64Array(V);
    scratch.probs = new Float64Array(V);
    scratch.unmasked = new Float64Array(V);
    scratch.allowed = new Uint8Array(V);
  }
  const raw = scratch.raw.subarray(0, V);
  const work = scratch.work.subarray(0, V);
  const probs = scratch.probs.subarray(0, V);

  // Raw logits: copy once (the only read of the caller's array), check them, and get the
  // log-partition for logprob (the model's own distribution: softmax at T = 1, before any
  // penalty) — log Σ exp(x − max) + max, the stable form.
  let rawMax = -Infinity;
  for (let i = 0; i < V; i++) {
    const x = logits[i];
    if (x !== x || x === Infinity) throw new RangeError(`the model produced a non-finite logit (${x}) for token ${i}`);
    raw[i] = x;
    if (x > rawMax) rawMax = x;
  }
  if (rawMax === -Infinity) throw new RangeError("the model gave every token a logit of −Infinity");
  let rawSum = 0;
  for (let i = 0; i < V; i++) rawSum += Math.exp(raw[i] - rawMax);
  const rawLogZ = rawMax + Math.log(rawSum);

  // Stage 1: penalties, on a copy.
  work.set(raw);
  applyRepetitionPenalty(work, context.seen, settings.repetitionPenalty);
  applyPresenceFrequencyPenalties(work, context.generatedCounts, settings.presencePenalty, settings.frequencyPenalty);
  // Stage 1b: copy, after the penalties. The candidates report the penalised logit and the
  // bonus apart, so the penalised value is kept as it was before the addition.
  const copy = copyTargets(context, settings.copyBoost ?? 0, V);
  const beforeCopy = copy && copy.boosted.length > 0 ? new Map<number, number>() : null;
  for (const id of copy?.boosted ?? []) {
    beforeCopy!.set(id, work[id]);
    work[id] += settings.copyBoost;
  }
  // Stage 1c: quote. Removed tokens become −∞ here; the candidates report the value they had.
  const quote = quoteStage(context, settings.quote ?? false, V);
  const allowed = scratch.allowed.subarray(0, V);
  const masked = (id: number) => quote !== null && allowed[id] === 0;
  if (quote) {
    scratch.unmasked.subarray(0, V).set(work);
    allowed.fill(0);
    for (const id of quote.allowed) allowed[id] = 1;
    for (let i = 0; i < V; i++) if (allowed[i] === 0) work[i] = -Infinity;
  }
  let afterPenalties = 0;
  let workMax = -Infinity;
  let top = 0; // argmax of the penalised logits, lowest id on ties
  for (let i = 0; i < V; i++) {
    const x = work[i];
    if (x > -Infinity) afterPenalties++;
    if (x > workMax) {
      workMax = x;
      top = i;
    }
  }

  const greedy = settings.greedy || settings.temperature === 0;
  const order = scratch.order.reset(work, V);
  let tokenId: number;
  let u: number | null = null;
  let kept: KeptCounts;
  let entropy: number;
  let probAt: (id: number) => number;
  let probFinal: (id: number) => number;
  let removedBy: (id: number) => FilterStage | undefined;

  if (greedy) {
    // T → 0: softmax(x / T) tends to all the mass on the argmax; ties go to the lowest id,
    // which is the order's first token. Nothing to filter, nothing to draw.
    tokenId = forced ?? top;
    kept = { afterPenalties, afterTopK: 1, afterTopP: 1, afterMinP: 1 };
    entropy = 0;
    probAt = probFinal = (id) => (id === top ? 1 : 0);
    removedBy = (id) => (masked(id) ? "quote" : id === top ? undefined : "greedy");
  } else {
    // Stage 2: temperature. probs = softmax(work / T) over the whole vocabulary, stable:
    // exp((x − max) / T) ≤ 1, so nothing overflows however small T is.
    const invT = 1 / settings.temperature;
    let sum = 0;
    for (let i = 0; i < V; i++) sum += probs[i] = Math.exp((work[i] - workMax) * invT);
    const invSum = 1 / sum;
    for (let i = 0; i < V; i++) probs[i] *= invSum;
    // Stage 3: filters, each a prefix of the order.
    const afterTopK = topK(afterPenalties, settings.topK);
    const afterTopP = topP(order, probs, afterTopK, settings.topP);
    const afterMinP = minP(order, probs, afterTopP, settings.minP);
    kept = { afterPenalties, afterTopK, afterTopP, afterMinP };
    // Which tokens survived: the first afterTopP of the order (already sorted by top-k /
    // top-p when that is fewer than all), and with min-p on, only those ≥ its threshold.
    // Testing the threshold directly avoids sorting a possibly long min-p prefix.
    const threshold = settings.minP > 0 ? minPThreshold(probs[order.at(0)], settings.minP) : 0;
    removedBy = (id) =>
      masked(id)
        ? "quote"
        : !order.inPrefix(id, afterTopK)
        ? "topK"
        : !order.inPrefix(id, afterTopP)
          ? "topP"
          : probs[id] < threshold
            ? "minP"
            : undefined;
    // Renormalise over the survivors, then draw. The draw is taken even when the token is
    // forced, so that step i always uses the i-th draw of the seed's stream.
    let mass: number;
    if (afterMinP >= V || afterMinP <= order.sortedCount) {
      mass = prefixMass(order, probs, afterMinP);
      entropy = prefixEntropy(order, probs, afterMinP, mass);
    } else {
      // A long min-p prefix that was never sorted: one scan with the membership test.
      mass = 0;
      for (let i = 0; i < V; i++) if (removedBy(i) === undefined) mass += probs[i];
      entropy = 0;
      for (let i = 0; i < V; i++) {
        const p = probs[i];
        if (p > 0 && removedBy(i) === undefined) entropy -= (p / mass) * Math.log(p / mass);
      }
    }
    u = rng.next();
    tokenId = forced ?? pickByInverseCdf(order, probs, afterMinP, mass, u);
    probAt = (id) => probs[id];
    probFinal = (id) => (removedBy(id) === undefined ? probs[id] / mass : 0);
  }
  if (forced !== undefined) u = null;

  // Candidates: the top N by raw logit (ties: lower id), plus the chosen token.
  const n = options.candidateCount ?? DEFAULT_CANDIDATES;
  if (scratch.top.length < n) scratch.top = new Int32Array(n);
  const count = topInto(raw, V, n, scratch.top);
  const ids = Array.from(scratch.top.subarray(0, count));
  if (!ids.includes(tokenId)) ids.push(tokenId);
  const candidates = ids.map((id): CandidateScores => {
    const penalised = beforeCopy?.get(id);
    const c: CandidateScores = {
      id,
      logit: raw[id],
      logitAfterPenalty: penalised ?? (masked(id) ? scratch.unmasked[id] : work[id]),
      ...(penalised !== undefined ? { copyBonus: settings.copyBoost } : {}),
      probAtTemperature: probAt(id),
      probFinal: probFinal(id),
    };
    const r = removedBy(id);
    if (r) c.removedBy = r;
    return c;
  });

  // Rank by raw logit: how many tokens come before the chosen one in the raw order.
  const chosenLogit = raw[tokenId];
  let rank = 0;
  for (let i = 0; i < V; i++) {
    const x = raw[i];
    if (x > chosenLogit || (x === chosenLogit && i < tokenId)) rank++;
  }

  return {
    tokenId,
    logprob: chosenLogit - rawLogZ,
    rank,
    entropy,
    u,
    kept,
    candidates,
    forced: forced !== undefined,
    ...(copy ? { copy } : {}),
    ...(quote ? { quote } : {}),
  };
}
