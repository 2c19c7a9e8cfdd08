/**
 * Which tokens one query may look at (lesson 23), positions counted from 0:
 *
 * - full causal attention: the query itself and every earlier token, 0 … q;
 * - a sliding window of w tokens: the query and the w − 1 before it, max(0, q − w + 1) … q
 *   (so the KV cache never holds more than w entries);
 * - a context window of N tokens over a text of T: the model reads only the last N tokens,
 *   the first max(0, T − N) are dropped before anything is computed.
 */

/** Inclusive range of positions; empty when `to < from`. */
export interface PositionRange {
  from: number;
  to: number;
}

export type AttentionStatus =
  /** The query itself. */
  | "query"
  /** An earlier token inside the sliding window: both kinds of attention see it. */
  | "window"
  /** An earlier token outside the window: full causal attention sees it, the window does not. */
  | "outside"
  /** A later token: masked for both. */
  | "future";

function checkIndex(name: string, value: number, min: number) {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}`);
}

/** What full causal attention lets query q see: 0 … q. */
export function causalRange(query: number): PositionRange {
  checkIndex("query", query, 0);
  return { from: 0, to: query };
}

/** What a sliding window of w tokens lets query q see: max(0, q − w + 1) … q. */
export function windowRange(query: number, window: number): PositionRange {
  checkIndex("query", query, 0);
  checkIndex("window", window, 1);
  return { from: Math.max(0, query - window + 1), to: query };
}

/** Token i as seen from query q with a window of w. */
export function attentionStatus(position: number, query: number, window: number): AttentionStatus {
  checkIndex("position", position, 0);
  const seen = windowRange(query, window);
  if (position === query) return "query";
  if (position > query) return "future";
  return position >= seen.from ? "window" : "outside";
}

export interface Truncation {
  /** Tokens dropped from the start: max(0, T − N). */
  dropped: number;
  /** The positions the model still reads: dropped … T − 1 (empty for an empty text). */
  kept: PositionRange;
}

/** A text of T tokens in a context window of N: the first T − N tokens fall out. */
export function truncate(tokens: number, contextWindow: number): Truncation {
  checkIndex("tokens", tokens, 0);
  checkIndex("contextWindow", contextWindow, 1);
  const dropped = Math.max(0, tokens - contextWindow);
  return { dropped, kept: { from: dropped, to: tokens - 1 } };
}

/** Positions in a range (0 for an empty one). */
export function rangeSize(range: PositionRange): number {
  return Math.max(0, range.to - range.from + 1);
}
