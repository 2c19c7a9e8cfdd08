/**
 * The probability colour scale of reply tokens.
 *
 * Probabilities of chosen tokens span orders of magnitude (a confident model gives 0.9, a
 * surprising pick can be 0.001), so the buckets are roughly logarithmic at the low end and
 * linear at the top. Six buckets — few enough to tell apart at a glance and to list in a
 * legend, ordered from "surprising" to "expected". The colours (components/inspector/scale.ts)
 * follow ColorBrewer's RdYlBu, which stays distinguishable with the common colour-vision
 * deficiencies, with lightness ordered so that surprising tokens stand out most in both
 * light and dark mode.
 *
 * Isomorphic, no dependencies.
 */

export interface ProbBucket {
  /** 0 = least likely … BUCKETS.length − 1 = most likely. */
  index: number;
  /** Inclusive lower bound. */
  min: number;
  /** Exclusive upper bound (the last bucket includes 1). */
  max: number;
  /** Legend text: "< 1%", "1–5%", …, "≥ 75%". */
  label: string;
  /** Plain words for the legend and screen readers. */
  description: string;
}

/** Upper bounds of the buckets below the last (which ends at 1 inclusive). */
export const BUCKET_EDGES = [0.01, 0.05, 0.15, 0.4, 0.75] as const;

const pct = (x: number) => `${Math.round(x * 100)}%`;

const DESCRIPTIONS = ["very surprising", "surprising", "plausible", "likely", "very likely", "near certain"] as const;

export const BUCKETS: readonly ProbBucket[] = [0, ...BUCKET_EDGES].map((min, index) => {
  const max = index < BUCKET_EDGES.length ? BUCKET_EDGES[index] : 1;
  const label = index === 0 ? `< ${pct(max)}` : index === BUCKET_EDGES.length ? `≥ ${pct(min)}` : `${Math.round(min * 100)}–${pct(max)}`;
  return { index, min, max, label, description: DESCRIPTIONS[index] };
});

/** The bucket a probability falls in. NaN and negatives fall in the lowest, > 1 in the highest. */
export function probBucket(p: number): ProbBucket {
  if (!(p >= 0)) return BUCKETS[0];
  for (let i = 0; i < BUCKET_EDGES.length; i++) if (p < BUCKET_EDGES[i]) return BUCKETS[i];
  return BUCKETS[BUCKETS.length - 1];
}

/** Which probability of the chosen token colours the reply. */
export type ColorBy = "model" | "sampled";

export const COLOR_BY_LABELS: Record<ColorBy, string> = {
  model: "model probability (T = 1, no penalties or filters)",
  sampled: "probability in the distribution actually sampled",
};

/** The probability a step's chosen token is coloured by. */
export function chosenProbability(
  step: { logprob: number; tokenId: number; candidates: readonly { id: number; probFinal: number }[] },
  by: ColorBy,
): number {
  if (by === "model") return Math.exp(step.logprob);
  return step.candidates.find((c) => c.id === step.tokenId)?.probFinal ?? 0;
}
