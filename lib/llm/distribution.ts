/**
 * The probability maths of one next-token distribution, each written once: argmax, the
 * log-partition log Σ exp(x / T), softmax at a temperature, and one token's share of an
 * entropy. The sampler (lib/llm/sampler.ts) runs them on every generated token over the
 * whole vocabulary; the filters, the inspector and the demos call the same functions.
 *
 * Performance: every loop runs over a Float64Array. V8 compiles a loop for the array types
 * it has seen, and one type keeps each loop monomorphic. The sampler passes its float64
 * scratch buffers as they are; any other array (a number[], a Float32Array) is first copied
 * into a new Float64Array, which is exact (every float32 and every JS number is a float64).
 * Dividing by T is done as multiplying by 1 / T everywhere: the sampler's traces depend on
 * those bits.
 *
 * Isomorphic, import-free.
 */

/** The values as a Float64Array: the array itself when it is one, else an exact copy. */
function asFloat64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/** The largest value (−Infinity for an empty array; NaN is skipped). */
function maxOf(x: Float64Array): number {
  let max = -Infinity;
  for (let i = 0, n = x.length; i < n; i++) if (x[i] > max) max = x[i];
  return max;
}

/**
 * Index of the largest value; ties go to the lowest index (the first to reach the maximum).
 * Returns −1 for an empty array. NaN never wins.
 * `max`: the values' maximum, when the caller already has it (the search then stops at the
 * first index holding it, instead of reading every value twice).
 */
export function argmax(values: ArrayLike<number>, max?: number): number {
  const x = asFloat64(values);
  max ??= maxOf(x);
  for (let i = 0, n = x.length; i < n; i++) if (x[i] === max) return i;
  return -1;
}

/**
 * log Σ exp(x_i / T), computed stably: subtract the maximum first so the largest term is
 * exp(0) = 1 and nothing overflows (exp(1000) is Infinity in floating point; exp(0) is not).
 * −Infinity entries contribute exp(−∞) = 0. All −Infinity ⇒ −Infinity; a +Infinity ⇒ +Infinity.
 * `max`: the values' maximum, when the caller already has it (saves a pass over them).
 */
export function logSumExp(values: ArrayLike<number>, temperature = 1, max?: number): number {
  const x = asFloat64(values);
  const n = x.length;
  max ??= maxOf(x);
  if (max === -Infinity || max === Infinity) return max;
  const invT = 1 / temperature;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp((x[i] - max) * invT);
  return max * invT + Math.log(sum);
}

/**
 * Numerically stable softmax of logits / T over the whole array, written into `out`
 * (allocated when not given). The maximum is subtracted before exp(), which changes
 * nothing mathematically (it cancels in the ratio) but keeps every exp() in (0, 1].
 * −Infinity logits get probability 0. If some logits are +Infinity they share all the
 * probability equally (the limit of the formula). Throws if no logit is finite or +∞.
 * `max`: the logits' maximum, when the caller already has it (saves a pass over them).
 */
export function softmax(logits: ArrayLike<number>, temperature = 1, out?: Float64Array, max?: number): Float64Array {
  if (!(temperature > 0)) throw new RangeError(`softmax temperature must be > 0, got ${temperature}`);
  const x = asFloat64(logits);
  const n = x.length;
  const p = out ?? new Float64Array(n);
  max ??= maxOf(x);
  if (max === -Infinity) throw new RangeError("softmax: no token has a finite logit");
  let sum = 0;
  if (max === Infinity) {
    for (let i = 0; i < n; i++) sum += p[i] = x[i] === Infinity ? 1 : 0;
  } else {
    const invT = 1 / temperature;
    for (let i = 0; i < n; i++) sum += p[i] = Math.exp((x[i] - max) * invT);
  }
  const inv = 1 / sum;
  for (let i = 0; i < n; i++) p[i] *= inv;
  return p;
}

/**
 * One token's share of the entropy (nats) of probabilities renormalised by their total
 * `mass`: −q ln q with q = p / mass, and 0 for p = 0 (the limit). Summed over a set of
 * tokens, it gives that set's entropy.
 */
export function entropyTerm(p: number, mass: number): number {
  if (!(p > 0)) return 0;
  const q = p / mass;
  return -(q * Math.log(q));
}
