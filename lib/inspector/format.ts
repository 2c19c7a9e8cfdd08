/**
 * Number formatting for the inspector: probabilities, logits, surprise, timings. One place,
 * so every panel writes the same quantity the same way ("12.3%", "0.042%", "<0.001%").
 *
 * Isomorphic, no dependencies.
 */
import { BITS_PER_NAT } from "../llm/trace.ts";

const MINUS = "\u2212"; // typographic minus: lines up with digits, reads as minus to screen readers

function signed(text: string): string {
  return text.startsWith("-") ? MINUS + text.slice(1) : text;
}

/**
 * A probability as a percentage with about three significant digits:
 * 1 → "100%", 0.8734 → "87.3%", 0.0421 → "4.21%", 0.00042 → "0.042%", tiny → "<0.001%".
 * Exactly 0 → "0%" (a filtered token), so "filtered" and "very unlikely" stay distinct.
 */
export function formatProb(p: number): string {
  if (!Number.isFinite(p)) return "—";
  if (p === 0) return "0%";
  if (p >= 1) return "100%";
  const pct = p * 100;
  if (pct < 0.001) return "<0.001%";
  if (pct >= 99.95) return ">99.9%";
  const digits = pct >= 10 ? 1 : pct >= 0.1 ? 2 : 3;
  return `${pct.toFixed(digits)}%`;
}

/** A short probability for tight places (chart ticks, chips): "87%", "4.2%", "0.4%", "<0.1%". */
export function formatProbShort(p: number): string {
  if (!Number.isFinite(p)) return "—";
  if (p === 0) return "0%";
  const pct = p * 100;
  if (pct >= 99.5 && p < 1) return ">99%";
  if (pct >= 10) return `${Math.round(pct)}%`;
  if (pct >= 0.1) return `${pct.toFixed(1)}%`;
  return "<0.1%";
}

/** A logit (or any score) with two decimals and a real minus sign; −∞ for a masked token. */
export function formatLogit(x: number): string {
  if (x === -Infinity) return `${MINUS}∞`;
  if (x === Infinity) return "∞";
  if (!Number.isFinite(x)) return "—";
  return signed(x.toFixed(2));
}

/** A change in logit: "+0.42", "−1.50", "0" for none. */
export function formatDelta(d: number): string {
  if (!Number.isFinite(d)) return "—";
  if (Math.abs(d) < 0.005) return "0";
  return d > 0 ? `+${d.toFixed(2)}` : signed(d.toFixed(2));
}

/** Nats with two decimals: "2.31 nats". */
export function formatNats(nats: number): string {
  return Number.isFinite(nats) ? `${nats.toFixed(2)} nats` : "—";
}

/** Bits with two decimals: "3.33 bits". */
export function formatBits(nats: number): string {
  return Number.isFinite(nats) ? `${(nats * BITS_PER_NAT).toFixed(2)} bits` : "—";
}

/** Both units, nats first: "2.31 nats (3.33 bits)". */
export function formatSurprise(nats: number): string {
  return `${formatNats(nats)} (${formatBits(nats)})`;
}

/** Perplexity: three significant digits, grouped thousands: "4.27", "42.7", "427", "1,234". */
export function formatPerplexity(ppl: number | null): string {
  if (ppl === null || !Number.isFinite(ppl)) return "—";
  if (ppl >= 1000) return Math.round(ppl).toLocaleString("en-US");
  if (ppl >= 100) return ppl.toFixed(0);
  if (ppl >= 10) return ppl.toFixed(1);
  return ppl.toFixed(2);
}

/** Milliseconds: "7.1 ms", "283 ms", "1.42 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** Tokens per second, or a dash when fewer than two tokens were generated. */
export function formatRate(tokensPerSecond: number | null): string {
  if (tokensPerSecond === null || !Number.isFinite(tokensPerSecond)) return "—";
  return `${tokensPerSecond >= 100 ? Math.round(tokensPerSecond) : tokensPerSecond.toFixed(1)} tok/s`;
}

/** The uniform draw with four decimals: "0.9236". */
export function formatU(u: number): string {
  return u.toFixed(4);
}

/** A count with thousands separators: 2048 → "2,048". */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** 0 → "1st", 1 → "2nd", 21 → "22nd": a rank (0-based) as an English ordinal. */
export function ordinal(rank: number): string {
  const n = rank + 1;
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? "th" : n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
  return `${formatCount(n)}${suffix}`;
}

/**
 * Decode speed while a reply streams: tokens after the first over the time since the first
 * arrived (the first token's wait is prefill, not decoding — the same split as the trace's
 * `timings.tokensPerSecond`). Null until there are two tokens and some time between them.
 */
export function liveTokenRate(tokens: number, firstTokenAtMs: number, nowMs: number): number | null {
  const elapsed = nowMs - firstTokenAtMs;
  return tokens >= 2 && elapsed > 0 ? ((tokens - 1) * 1000) / elapsed : null;
}
