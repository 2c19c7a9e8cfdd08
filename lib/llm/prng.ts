/**
 * A small seeded pseudo-random number generator for the sampler's draw `u`.
 *
 * Why not Math.random(): it cannot be seeded, so a reply could never be replayed. Why
 * not crypto: we want the opposite of unpredictable — the same seed must give the same
 * draws on the server (Node), in the browser and in every test, forever.
 *
 * The generator is Mulberry32 (Tommy Ettinger, public domain): 32 bits of state, one
 * 32-bit multiply-xorshift mix per draw. It only uses 32-bit integer arithmetic
 * (`Math.imul`, `>>>`, `^`), which JavaScript defines exactly, so it cannot drift between
 * engines the way floating-point maths could. Its period (2^32 draws) is far beyond the
 * few hundred draws of one reply, and its statistical quality is plenty for choosing a
 * token (it passes gjrand/PractRand up to large sizes); it is not cryptographic.
 *
 * Isomorphic: no imports.
 */

/** Largest seed: seeds are unsigned 32-bit integers (0 … 2^32 − 1). */
export const MAX_SEED = 0xffff_ffff;

export interface Rng {
  /** Uniform draw in [0, 1): a multiple of 2^-32, never 1. */
  next(): number;
  /** The next raw 32-bit output (what `next()` divides by 2^32). */
  nextUint32(): number;
  /** Internal state, for snapshot/restore: `createRng(0, state)` continues the stream. */
  readonly state: number;
}

/**
 * Create a generator. `seed` must be an integer in [0, 2^32 − 1] (the settings schema
 * checks this at the boundary; here a bad seed is a programming error and throws).
 * `state` restores a snapshot taken from `rng.state` and then overrides the seed.
 */
export function createRng(seed: number, state?: number): Rng {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`seed must be an integer from 0 to ${MAX_SEED}, got ${seed}`);
  }
  let s = (state ?? seed) >>> 0;
  const nextUint32 = (): number => {
    // Mulberry32: advance by a Weyl-sequence constant (odd, so every state is visited),
    // then scramble the state with two multiply-xorshift rounds.
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    nextUint32,
    // Dividing a 32-bit integer by 2^32 is exact in a double and stays below 1.
    next: () => nextUint32() / 4294967296,
    get state() {
      return s;
    },
  };
}

/**
 * A fresh random seed, for callers that want a new reply each time (the trace records the
 * seed, so even a "random" reply can be replayed). Uses the platform's crypto source,
 * available in Node ≥ 19, browsers and Web Workers.
 */
export function randomSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
}
