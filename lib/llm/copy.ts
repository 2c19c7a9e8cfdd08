/**
 * The copy stage's lookup: which tokens would continue, word for word, a run of the reply
 * that also occurs in the prompt ("prompt lookup", as in prompt-lookup decoding and the
 * induction heads small transformers form).
 *
 * The tutor's model is too small to quote its passages reliably on its own: it starts a
 * lesson sentence, then drifts into another. The sampler's copy stage (lib/llm/sampler.ts)
 * adds a fixed bonus to the logit of each token found here, so that once a reply has begun
 * to quote the prompt, finishing the quote is likely — but the model still chooses where a
 * quote starts, and whether to stop. A run never continues past the end of a sentence:
 * after a token that ends one, the model chooses freely again (stop, or quote another).
 *
 * Cost: an index of where each token id occurs in the prompt, built once per reply; per
 * step, the longest match is found by walking back from each occurrence of the reply's last
 * token (prompts are at most a few thousand tokens).
 *
 * Isomorphic: no imports.
 */

/** A run must be at least this many tokens long before its continuation is favoured. */
export const COPY_MIN_MATCH = 2;
/** Longer runs than this are not looked for (they already identify their source). */
export const COPY_MAX_MATCH = 16;

export interface CopySource {
  /** The prompt's token ids. */
  readonly ids: readonly number[];
  /** Positions of each token id in `ids`. */
  readonly positions: ReadonlyMap<number, readonly number[]>;
  /** Whether a token ends a sentence (its text ends in . ! ? or a line break). */
  readonly endsSentence: (id: number) => boolean;
}

export function createCopySource(ids: readonly number[], endsSentence: (id: number) => boolean): CopySource {
  const positions = new Map<number, number[]>();
  ids.forEach((id, i) => {
    const list = positions.get(id);
    if (list) list.push(i);
    else positions.set(id, [i]);
  });
  return { ids, positions, endsSentence };
}

export interface CopyMatch {
  /** Length in tokens of the longest run ending the reply that occurs in the prompt (0: none ≥ COPY_MIN_MATCH). */
  matched: number;
  /** The tokens that follow that run in the prompt, ascending ids (empty when there is no run). */
  next: number[];
}

const NONE: CopyMatch = { matched: 0, next: [] };

/**
 * The longest suffix of `reply` (COPY_MIN_MATCH to COPY_MAX_MATCH tokens, not crossing the
 * end of a sentence) that occurs in the source, and the tokens that follow its occurrences.
 * Nothing when the reply's last token ends a sentence: where to go next is the model's call.
 */
export function copyContinuations(source: CopySource, reply: readonly number[]): CopyMatch {
  const n = reply.length;
  if (n < COPY_MIN_MATCH) return NONE;
  const last = reply[n - 1];
  if (source.endsSentence(last)) return NONE;
  // The run may not reach back across a sentence end inside the reply either.
  let limit = 1;
  while (limit < Math.min(n, COPY_MAX_MATCH) && !source.endsSentence(reply[n - 1 - limit])) limit++;
  if (limit < COPY_MIN_MATCH) return NONE;
  let best = 0;
  const next = new Set<number>();
  for (const p of source.positions.get(last) ?? []) {
    if (p + 1 >= source.ids.length) continue;
    let len = 1;
    while (len < limit && p - len >= 0 && source.ids[p - len] === reply[n - 1 - len]) len++;
    if (len < COPY_MIN_MATCH || len < best) continue;
    if (len > best) {
      best = len;
      next.clear();
    }
    next.add(source.ids[p + 1]);
  }
  return best === 0 ? NONE : { matched: best, next: [...next].sort((a, b) => a - b) };
}

/** Whether a token's text ends a sentence: . ! ? (maybe followed by a closing quote or bracket), or a line break. */
export function endsSentenceText(text: string): boolean {
  return /[.!?]["'”’)\]]*\s*$|\n\s*$/.test(text);
}
