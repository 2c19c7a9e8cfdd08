/**
 * The sampler's one ordering (lib/llm/sampler.ts): token ids by a key, highest first, ties
 * broken by the lower id — sorted lazily, only as far as a caller looks. The filters and the
 * draw (./filters.ts) read prefixes of it; the sampler also uses topInto for its candidates.
 *
 * Performance: keys are Float64Arrays only, so every loop here stays monomorphic (mixing
 * Float32Array and Float64Array made the selection loops ~5× slower).
 *
 * Isomorphic, import-free.
 */

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
