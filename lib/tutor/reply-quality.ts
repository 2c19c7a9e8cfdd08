/**
 * Automatic checks of a tutor reply that catch the failures a reader sees first: a loop
 * ("the same as the same as …") and maths that will not render (`$` left open). They are
 * the automatic half of `npm run model:eval`'s strict eval; the other half — does the reply
 * make sense, does it answer — is a blind human-style review, because no word count can say.
 *
 * Isomorphic: pure functions.
 */
import { groundedSpans } from "./grounded.ts";

/** Lower-cased word tokens (letters, digits, apostrophes), the unit both checks count in. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
}

/**
 * The first word n-gram the reply says more often than its passages do (and at least twice), or
 * null: a loop. A small model stuck in a loop repeats four words at once; a whole quoted answer
 * may repeat a phrase because the course's own text does ("a probability of 0.5 … a probability
 * of 0.25"), which is not a loop — so a repeat counts only beyond what `source` (the passages
 * the reply was given) holds.
 */
export function repeatedNgram(text: string, n = 4, source = ""): string | null {
  const inSource = new Map<string, number>();
  const sourceWords = wordTokens(source);
  for (let i = 0; i + n <= sourceWords.length; i++) {
    const gram = sourceWords.slice(i, i + n).join(" ");
    inSource.set(gram, (inSource.get(gram) ?? 0) + 1);
  }
  const words = wordTokens(text);
  const seen = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const gram = words.slice(i, i + n).join(" ");
    const count = (seen.get(gram) ?? 0) + 1;
    if (count >= 2 && count > (inSource.get(gram) ?? 0)) return gram;
    seen.set(gram, count);
  }
  return null;
}

/**
 * Whether the reply's maths delimiters are unbalanced: an odd number of `$` outside `$$` pairs,
 * or an odd number of `$$`. Escaped dollars (`\$`, a price) are not delimiters.
 */
export function unbalancedMath(text: string): boolean {
  const unescaped = text.replace(/\\\$/g, "");
  const display = unescaped.match(/\$\$/g)?.length ?? 0;
  if (display % 2 === 1) return true;
  const inline = unescaped.replace(/\$\$/g, "").match(/\$/g)?.length ?? 0;
  return inline % 2 === 1;
}

/**
 * The 1-based rank of the first retrieved item belonging to `lesson` (or to one of `also`),
 * counting lessons, not passages: two passages of one lesson take one rank. null when absent.
 */
export function lessonRank(retrievedLessons: readonly string[], lesson: string, also: readonly string[] = []): number | null {
  const distinct = retrievedLessons.filter((l, i) => retrievedLessons.indexOf(l) === i);
  const at = distinct.findIndex((l) => l === lesson || also.includes(l));
  return at === -1 ? null : at + 1;
}

/**
 * How much of a reference answer (sentences chosen by hand from a passage) the reply reproduces:
 * the share of the reference's words that lie in runs of ≥ 4 words the reply shares with it.
 * 1 when the reply quotes the chosen sentences whole, 0 when it quotes something else — a
 * proxy for "picked the right sentence", not for whether the reply makes sense.
 */
export function answerRecall(reply: string, reference: string): number {
  const total = wordTokens(reference).length;
  if (total === 0) return 0;
  const covered = groundedSpans(reference, [{ text: reply }]).reduce((n, s) => n + wordTokens(reference.slice(s.start, s.end)).length, 0);
  return Math.min(1, covered / total);
}
