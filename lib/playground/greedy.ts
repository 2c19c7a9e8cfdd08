/**
 * Greedy decoding's failure mode, made visible: a repetition loop. Taking the argmax every
 * time is deterministic, so once the text returns to a state it has been in, it cycles.
 *
 * Isomorphic, no dependencies.
 */

export interface RepetitionLoop {
  /** Index of the first token of the repeated stretch. */
  start: number;
  /** Length of the repeating block in tokens. */
  period: number;
  /** How many times the block occurs (at least 2; at least 3 for a one-token block). */
  repeats: number;
}

/**
 * The loop the sequence ends in, if any: the shortest block that repeats back to back at the
 * end (a block of one token must appear three times, so "the the" is not called a loop).
 * The stretch extends backwards as far as the repetition goes. null when the end does not repeat.
 */
export function findRepetitionLoop(ids: readonly number[]): RepetitionLoop | null {
  const n = ids.length;
  for (let period = 1; period * 2 <= n; period++) {
    const need = period === 1 ? 3 : 2;
    if (period * need > n) continue;
    let matched = 0; // positions j (from the end) with ids[j] === ids[j − period]
    while (matched < n - period && ids[n - 1 - matched] === ids[n - 1 - matched - period]) matched++;
    if (matched + period >= period * need) {
      const length = matched + period;
      return { start: n - length, period, repeats: Math.floor(length / period) };
    }
  }
  return null;
}
