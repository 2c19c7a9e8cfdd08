/**
 * The sampler's filters and its draw (lib/llm/sampler.ts, stages 3 and 4). Every one reads a
 * prefix of the token order (./token-order.ts: by probability, highest first, ties by the
 * lower id): top-k, top-p and min-p each keep a prefix and return its length, and the draw
 * walks the kept prefix by inverse CDF.
 *
 * Isomorphic: imports only ./distribution.ts and a type.
 */
import { entropyTerm } from "./distribution.ts";
import type { TokenOrder } from "./token-order.ts";

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
  if (kept >= order.size) for (let i = 0, n = order.size; i < n; i++) h += entropyTerm(probs[i], mass);
  else for (let pos = 0; pos < kept; pos++) h += entropyTerm(probs[order.at(pos)], mass);
  return h;
}
