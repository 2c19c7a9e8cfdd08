/**
 * Pre-tokenisation: cut text into "words" before BPE sees it.
 *
 * BPE never merges across these cuts, so a token can be " the" or "ing" but never
 * "e t" glued across a word boundary, and digits, letters and punctuation stay apart.
 * Special tokens ("<|user|>") are cut out even earlier and are never split or merged.
 *
 * The rules must be byte-for-byte those of the tokenizer that will load our exported
 * tokenizer.json (Hugging Face's ByteLevel pre-tokenizer, with use_regex: true, as
 * implemented in @huggingface/tokenizers for transformers.js), or the ids we train the
 * model on would differ from the ids the app feeds it.
 */

import { textToByteLevel } from "../bytes.ts";

/**
 * GPT-2's pattern, as in Hugging Face's ByteLevel pre-tokenizer. In order of preference:
 * English contractions; an optional space + a run of letters; an optional space + a run
 * of digits; an optional space + a run of other symbols; whitespace not followed by a
 * non-space (so "   x" gives "  " and " x": the last space joins the word); any
 * remaining whitespace. `u` makes \p{L} and \p{N} cover every script.
 */
export const GPT2_SPLIT_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** The regex pieces of a text with no special tokens in it, as plain text. */
export function splitWords(text: string): string[] {
  return text.match(GPT2_SPLIT_PATTERN) ?? [];
}

/** The regex pieces, each spelled as a byte-level string (what BPE works on). */
export function pretokenize(text: string): string[] {
  return splitWords(text).map(textToByteLevel);
}

export type Segment = { text: string; special: boolean };

/**
 * Cut special tokens out of a text. At each position the longest special token that
 * starts there wins ("<|endoftext|>" before "<|end|>"), scanning left to right — the
 * same rule as transformers.js's added-token splitter. Empty ordinary segments are dropped.
 */
export function splitSpecialTokens(text: string, specialTokens: readonly string[]): Segment[] {
  // Candidates grouped by first character, longest first, so most positions cost one lookup.
  const byFirstChar = new Map<string, string[]>();
  for (const s of [...specialTokens].sort((a, b) => b.length - a.length)) {
    if (!s) continue;
    const list = byFirstChar.get(s[0]) ?? [];
    list.push(s);
    byFirstChar.set(s[0], list);
  }
  const segments: Segment[] = [];
  let start = 0; // start of the ordinary text not yet emitted
  let i = 0;
  while (i < text.length) {
    const match = byFirstChar.get(text[i])?.find((s) => text.startsWith(s, i));
    if (match === undefined) {
      i++;
      continue;
    }
    if (i > start) segments.push({ text: text.slice(start, i), special: false });
    segments.push({ text: match, special: true });
    i += match.length;
    start = i;
  }
  if (start < text.length) segments.push({ text: text.slice(start), special: false });
  return segments;
}
