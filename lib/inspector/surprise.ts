/**
 * Per-token surprise and the reply's perplexity, as the inspector shows them.
 *
 * Surprise of a token = −log p, with p the model's own probability of it (T = 1, before
 * penalties and filters; the step's logprob). In nats (natural log) and bits (log 2): a
 * token with p = ½ carries 1 bit. The reply's cross-entropy is the mean surprise, and
 * perplexity = exp(cross-entropy), "as unsure as choosing uniformly among this many tokens".
 *
 * Isomorphic, no React.
 */
import { BITS_PER_NAT, traceStats, type TokenText, type Trace } from "@/lib/llm/trace";
import { formatBits, formatNats, formatPerplexity, formatProb } from "./format";

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
  const stats = traceStats(trace);
  const rows: SurpriseRow[] = trace.steps.map((s, i) => {
    const nats = stats.surprisals[i];
    return {
      index: s.index,
      token: s,
      tokenId: s.tokenId,
      nats,
      bits: nats * BITS_PER_NAT,
      p: Math.exp(s.logprob),
      forced: s.forced === true,
    };
  });
  const totalNats = rows.reduce((sum, r) => sum + r.nats, 0);
  const mostSurprising = [...rows].sort((a, b) => b.nats - a.nats || a.index - b.index).slice(0, topN);
  return {
    rows,
    crossEntropyNats: stats.meanCrossEntropy,
    crossEntropyBits: stats.meanCrossEntropy === null ? null : stats.meanCrossEntropy * BITS_PER_NAT,
    perplexity: stats.perplexity,
    totalNats,
    mostSurprising,
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
