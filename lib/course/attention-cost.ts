/**
 * The work of one transformer layer for T tokens at width d, with the estimates of lesson 13's
 * deep dive (Kaplan et al., 2020), in floating-point operations (a multiply-add counts as 2):
 *
 *   weight matrices (attention's four + the feed-forward pair): 24·d² per token → 24·T·d²
 *   attention scores (every query against every key):            2·T·d per token → 2·T²·d
 *
 * Both counts take all T² query–key pairs, as the lesson's estimate does (causal masking skips
 * about half of them, which changes neither the order of growth nor the comparison much). The
 * two are equal when 24·T·d² = 2·T²·d, i.e. at T = 12·d: below that the matrices dominate,
 * above it attention does ("once T is roughly ten times d").
 */

/** FLOPs per token and layer of the weight matrices, in units of d². */
export const MATRIX_FLOPS_PER_D2 = 24;
/** FLOPs per query–key pair and layer of the attention scores, in units of d. */
export const ATTENTION_FLOPS_PER_PAIR_D = 2;

export interface LayerCost {
  /** Tokens in context. */
  tokens: number;
  /** Model width. */
  width: number;
  /** 24·T·d² FLOPs. */
  matrices: number;
  /** 2·T²·d FLOPs. */
  attention: number;
  total: number;
  /** attention / total = T / (T + 12·d); 0 for T = 0. */
  attentionShare: number;
}

function check(name: string, value: number) {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number`);
}

/** The weight matrices' FLOPs per layer: 24·T·d². */
export function matrixFlops(tokens: number, width: number): number {
  check("tokens", tokens);
  check("width", width);
  return MATRIX_FLOPS_PER_D2 * tokens * width * width;
}

/** The attention scores' FLOPs per layer: 2·T²·d. */
export function attentionFlops(tokens: number, width: number): number {
  check("tokens", tokens);
  check("width", width);
  return ATTENTION_FLOPS_PER_PAIR_D * tokens * tokens * width;
}

/** Both parts of one layer's work, and attention's share of it. */
export function layerCost(tokens: number, width: number): LayerCost {
  const matrices = matrixFlops(tokens, width);
  const attention = attentionFlops(tokens, width);
  const total = matrices + attention;
  return { tokens, width, matrices, attention, total, attentionShare: total === 0 ? 0 : attention / total };
}

/** The length at which attention's work equals the matrices': 24·T·d² = 2·T²·d ⇔ T = 12·d. */
export function crossoverTokens(width: number): number {
  check("width", width);
  return (MATRIX_FLOPS_PER_D2 / ATTENTION_FLOPS_PER_PAIR_D) * width;
}

/** Query–key pairs a causal mask leaves (each token with itself and every earlier one): T(T+1)/2. */
export function causalPairs(tokens: number): number {
  check("tokens", tokens);
  return (tokens * (tokens + 1)) / 2;
}

const SCALES: [number, string][] = [
  [1e15, "quadrillion"],
  [1e12, "trillion"],
  [1e9, "billion"],
  [1e6, "million"],
  [1e3, "thousand"],
];

/** A large count in words with three significant digits: 393,216 → "393 thousand", 1.65e12 → "1.65 trillion". */
export function formatCount(n: number): string {
  check("n", n);
  for (const [scale, word] of SCALES) {
    // Compare after rounding, so 999,999 reads "1 million", not "1,000 thousand".
    if (Number((n / scale).toPrecision(3)) >= 1) return `${trim(n / scale)} ${word}`;
  }
  return Number.isInteger(n) ? String(n) : trim(n);
}

function trim(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/** A share as a percentage: one decimal below 10 %, whole numbers above ("0.7 %", "78 %"). */
export function formatShare(share: number): string {
  const pct = share * 100;
  if (pct === 0) return "0 %";
  if (pct < 0.1) return "< 0.1 %";
  if (pct < 10) return `${pct.toFixed(1)} %`;
  if (pct > 99.5 && pct < 100) return "> 99.5 %";
  return `${Math.round(pct)} %`;
}
