/**
 * The perplexity lab's maths, on a scored text (lib/llm/score.ts): per-token surprise, the
 * mean cross-entropy and perplexity (the formulas of lib/llm/trace.ts, not new ones), the
 * most surprising tokens with what the model expected instead, and a comparison of two texts.
 * The surprise statistics are the inspector's (lib/inspector/surprise.ts), not a copy.
 *
 *   surprise(token)  = −ln p(token | everything before it)          nats (÷ ln 2 ⇒ bits)
 *   cross-entropy H  = mean surprise over the scored tokens         nats per token
 *   perplexity       = e^H   ("as unsure as a uniform choice among this many tokens")
 *
 * Isomorphic, no React.
 */
import { rawLogPartition } from "../inspector/candidates.ts";
import { mostSurprising, surpriseStats, type SurpriseRow } from "../inspector/surprise.ts";
import { BITS_PER_NAT, type TokenText, type TraceStep } from "../llm/trace.ts";

/** What the model would have preferred at a position. */
export interface Expectation extends TokenText {
  id: number;
  /** The model's probability (T = 1). */
  p: number;
}

/** One scored token of a text: the inspector's surprise row (index = position among the scored tokens, 0 = the text's second token), with its rank and the model's expectations. */
export interface TokenSurprise extends Omit<SurpriseRow, "forced"> {
  /** Rank of the actual token by logit (0 = the model's top choice). */
  rank: number;
  /** The model's top candidates other than the actual token, most likely first. */
  expected: Expectation[];
}

export interface TextStats {
  tokens: TokenSurprise[];
  /** Mean surprise, nats per token; null when nothing was scored. */
  crossEntropyNats: number | null;
  crossEntropyBits: number | null;
  perplexity: number | null;
  /** Sum of surprises: −ln p(text after its first token), nats. */
  totalNats: number;
}

type ScoredStep = Pick<TraceStep, "index" | "tokenId" | "logprob" | "rank" | "candidates" | "text" | "bytes" | "special">;

function tokenText(s: Pick<TokenText, "text" | "bytes" | "special">): TokenText {
  return { text: s.text, ...(s.bytes ? { bytes: s.bytes } : {}), ...(s.special ? { special: true as const } : {}) };
}

/**
 * The model's own probabilities of a step's candidates. Candidates carry raw logits; the
 * step's logprob fixes the log-partition: log Z = logit(actual) − logprob, p = e^(logit − log Z).
 */
export function expectations(step: ScoredStep, count = 3): Expectation[] {
  if (!step.candidates.some((c) => c.id === step.tokenId)) return [];
  const logZ = rawLogPartition(step);
  return step.candidates
    .filter((c) => c.id !== step.tokenId)
    .sort((a, b) => b.logit - a.logit || a.id - b.id)
    .slice(0, count)
    .map((c) => ({ id: c.id, ...tokenText(c), p: Math.exp(c.logit - logZ) }));
}

/** Per-token surprise and the text's cross-entropy and perplexity. */
export function textStats(steps: readonly ScoredStep[], expectedCount = 3): TextStats {
  const stats = surpriseStats(steps);
  const tokens = steps.map(
    (step, i): TokenSurprise => ({
      index: i,
      token: tokenText(step),
      tokenId: step.tokenId,
      ...stats.perToken[i],
      rank: step.rank,
      expected: expectations(step, expectedCount),
    }),
  );
  return {
    tokens,
    crossEntropyNats: stats.crossEntropyNats,
    crossEntropyBits: stats.crossEntropyBits,
    perplexity: stats.perplexity,
    totalNats: stats.totalNats,
  };
}

/** The n most surprising tokens, most surprising first (ties: earlier first). */
export function topSurprises(tokens: readonly TokenSurprise[], n = 5): TokenSurprise[] {
  return mostSurprising(tokens, Math.max(0, n));
}

export interface Comparison {
  /** Which text the model finds more natural (lower perplexity); "tie" within 0.5%. */
  moreNatural: "a" | "b" | "tie";
  /** perplexity(a) / perplexity(b). */
  ratio: number;
  /** H(a) − H(b), nats per token. */
  differenceNats: number;
  /** The same in bits per token. */
  differenceBits: number;
}

/** Compare two scored texts by perplexity; null when either has no scored token. */
export function compareTexts(a: Pick<TextStats, "crossEntropyNats">, b: Pick<TextStats, "crossEntropyNats">): Comparison | null {
  if (a.crossEntropyNats === null || b.crossEntropyNats === null) return null;
  const differenceNats = a.crossEntropyNats - b.crossEntropyNats;
  // ratio of perplexities = e^(H_a − H_b): computed from the difference, so no overflow.
  const ratio = Math.exp(differenceNats);
  const moreNatural = Math.abs(ratio - 1) < 0.005 ? "tie" : ratio < 1 ? "a" : "b";
  return { moreNatural, ratio, differenceNats, differenceBits: differenceNats * BITS_PER_NAT };
}

/** Heat-map levels of surprise, in nats: upper bounds of each level but the last. */
export const SURPRISE_LEVELS = [0.5, 1.5, 3, 5, 8] as const;

/**
 * The heat-map level of a surprise: 0 (expected, < 0.5 nats ≈ p > 61%) … 5 (≥ 8 nats ≈
 * p < 0.03%). Surprise spans orders of magnitude of probability, so the levels widen.
 */
export function surpriseLevel(nats: number): number {
  for (let i = 0; i < SURPRISE_LEVELS.length; i++) if (nats < SURPRISE_LEVELS[i]) return i;
  return SURPRISE_LEVELS.length;
}
