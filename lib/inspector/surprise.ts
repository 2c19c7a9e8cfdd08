/**
 * Per-token surprise and the reply's perplexity, as the inspector shows them.
 *
 * Surprise of a token = −log p, with p the model's own probability of it (T = 1, before
 * penalties and filters; the step's logprob). In nats (natural log) and bits (log 2): a
 * token with p = ½ carries 1 bit. The reply's cross-entropy is the mean surprise, and
 * perplexity = exp(cross-entropy), "as unsure as choosing uniformly among this many tokens".
 *
 * surpriseStats and mostSurprising are the one implementation of these statistics (on the
 * formulas of lib/llm/trace.ts): the inspector's summary here and the perplexity lab
 * (lib/playground/perplexity.ts) both call them.
 *
 * Isomorphic, no React.
 */
import { BITS_PER_NAT, meanCrossEntropy, perplexity, surprisals, type TokenText, type Trace, type TraceStep } from "../llm/trace.ts";
import { formatBits, formatNats, formatPerplexity, formatProb } from "./format.ts";

/** One token's surprise, from its logprob (the model's own probability, T = 1). */
export interface Surprise {
  /** −ln p, nats. */
  nats: number;
  /** −log₂ p, bits. */
  bits: number;
  /** p = exp(logprob). */
  p: number;
}

/** The surprise of each scored token, and the text's mean and total. */
export interface SurpriseStats {
  perToken: Surprise[];
  /** Mean surprise, nats per token; null when nothing was scored. */
  crossEntropyNats: number | null;
  crossEntropyBits: number | null;
  perplexity: number | null;
  /** Sum of surprises, nats: −ln p(all the scored tokens). */
  totalNats: number;
}

export function surpriseStats(steps: readonly Pick<TraceStep, "logprob">[]): SurpriseStats {
  const nats = surprisals(steps);
  const h = meanCrossEntropy(steps);
  return {
    perToken: steps.map((s, i) => ({ nats: nats[i], bits: nats[i] * BITS_PER_NAT, p: Math.exp(s.logprob) })),
    crossEntropyNats: h,
    crossEntropyBits: h === null ? null : h * BITS_PER_NAT,
    perplexity: perplexity(steps),
    totalNats: nats.reduce((sum, x) => sum + x, 0),
  };
}

/** The first `n` rows by surprise, highest first (ties: lower index first). */
export function mostSurprising<T extends { nats: number; index: number }>(rows: readonly T[], n: number): T[] {
  return [...rows].sort((a, b) => b.nats - a.nats || a.index - b.index).slice(0, n);
}

export interface SurpriseRow {
  index: number;
  token: TokenText;
  tokenId: number;
  /** −log p in nats. */
  nats: number;
  /** −log₂ p in bits. */
  bits: number;
  /** p = exp(logprob). */
  p: number;
  forced: boolean;
}

export interface SurpriseSummary {
  rows: SurpriseRow[];
  /** Mean surprise, nats per token; null for an empty reply. */
  crossEntropyNats: number | null;
  crossEntropyBits: number | null;
  perplexity: number | null;
  /** Sum of surprises, nats: −log p(whole reply | prompt). */
  totalNats: number;
  /** The most surprising tokens, highest first (ties: earlier first). */
  mostSurprising: SurpriseRow[];
}

export function surpriseSummary(trace: Pick<Trace, "steps">, topN = 5): SurpriseSummary {
  const stats = surpriseStats(trace.steps);
  const rows: SurpriseRow[] = trace.steps.map((s, i) => ({
    index: s.index,
    token: s,
    tokenId: s.tokenId,
    ...stats.perToken[i],
    forced: s.forced === true,
  }));
  return {
    rows,
    crossEntropyNats: stats.crossEntropyNats,
    crossEntropyBits: stats.crossEntropyBits,
    perplexity: stats.perplexity,
    totalNats: stats.totalNats,
    mostSurprising: mostSurprising(rows, topN),
  };
}

/** One sentence for screen readers and the chart's caption. */
export function describeSurprise(summary: SurpriseSummary): string {
  if (summary.rows.length === 0 || summary.crossEntropyNats === null) return "The reply has no tokens, so there is nothing to measure.";
  const top = summary.mostSurprising[0];
  return (
    `${summary.rows.length} tokens; mean surprise ${formatNats(summary.crossEntropyNats)} (${formatBits(summary.crossEntropyNats)}) per token, ` +
    `perplexity ${formatPerplexity(summary.perplexity)}. Most surprising: step ${top.index + 1} at ${formatNats(top.nats)} (p = ${formatProb(top.p)}).`
  );
}
