/**
 * Which common question (content/level-1/NN-slug.faq.json) a learner's question is asking.
 *
 * BM25 over words finds the right lesson well but picks the right common question poorly: the
 * words that tell two questions of one lesson apart are the ones it throws away ("when should
 * I…" vs "what is…", "why is it called…") or misses (typos: "tokn", "embeding"). So the
 * learner's question is compared with every phrasing of every common question (the question
 * and its `alsoAsked`) as TF-IDF vectors of character 3–5-grams, stop words and all, by cosine
 * similarity; a common question scores as its closest phrasing. Retrieval's lesson order adds a
 * prior (LESSON_PRIOR): word-level search is the better judge of which lesson is meant.
 *
 * Score = closest phrasing's cosine + lesson prior + COVERAGE_WEIGHT × the share of the question's
 * content words the entry holds anywhere.
 *
 * Measured on 161 train-split learner questions labelled with the common questions that answer
 * them (content/tutor/common-question-labels.json; the dev split was not used), as retrieval uses
 * it (only among the lessons word search found): the first pick is a right one for 103 (64 %);
 * without coverage 96 (60 %); word-level BM25 over the phrasings and answers instead of n-grams
 * 90–93 (56–58 %).
 *
 * Isomorphic.
 */
import { queryWords } from "./search.ts";

/** A common question to match against: its id and every way it is asked. */
export interface FaqPhrasings {
  id: string;
  lessonSlug: string;
  phrasings: readonly string[];
  /** The answer: a word of the question found only there still counts as covered. */
  answer: string;
}

export interface FaqMatch {
  id: string;
  /** Cosine similarity of the closest phrasing (0–1), plus the lesson prior. */
  score: number;
  similarity: number;
}

/** Added to a common question's score when its lesson is retrieval's first (half that for a later retrieved lesson). */
export const LESSON_PRIOR = 0.2;
/**
 * Added per share of the question's content words (as word search sees them: stems, spelled-out
 * abbreviations) found in the entry's phrasings or answer. Character n-grams over whole phrasings
 * let a generic phrasing ("what does temperature do") beat the specific entry the question's one
 * rare word points to ("what does *lowering* the temperature do"); coverage puts that word back.
 */
export const COVERAGE_WEIGHT = 2;
/** A closest phrasing less similar than this is not the learner's question, whatever its lesson. */
export const MIN_SIMILARITY = 0.1;

const GRAM_SIZES = [3, 4, 5] as const;

function grams(text: string): Map<string, number> {
  const padded = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim()} `;
  const counts = new Map<string, number>();
  for (const n of GRAM_SIZES) for (let i = 0; i + n <= padded.length; i++) counts.set(padded.slice(i, i + n), (counts.get(padded.slice(i, i + n)) ?? 0) + 1);
  return counts;
}

type Vector = Map<string, number>;

function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [g, w] of small) sum += w * (large.get(g) ?? 0);
  return sum;
}

export interface FaqMatcher {
  /** Common questions by score, best first (those under MIN_SIMILARITY left out). */
  rank(question: string, lessonOrder?: readonly string[]): FaqMatch[];
}

export function buildFaqMatcher(entries: readonly FaqPhrasings[]): FaqMatcher {
  const phrasings = entries.flatMap((e, entry) => e.phrasings.map((text) => ({ entry, counts: grams(text) })));
  const documentFrequency = new Map<string, number>();
  for (const p of phrasings) for (const g of p.counts.keys()) documentFrequency.set(g, (documentFrequency.get(g) ?? 0) + 1);
  const idf = (g: string) => Math.log((phrasings.length + 1) / ((documentFrequency.get(g) ?? 0) + 1)) + 1;
  /** Sublinear term frequency times IDF, unit length. */
  const vectorOf = (counts: Map<string, number>): Vector => {
    const v: Vector = new Map();
    let norm = 0;
    for (const [g, c] of counts) {
      const w = (1 + Math.log(c)) * idf(g);
      v.set(g, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [g, w] of v) v.set(g, w / norm);
    return v;
  };
  const vectors = phrasings.map((p) => ({ entry: p.entry, vector: vectorOf(p.counts) }));
  // Every index term (word and stem) of each entry's phrasings and answer.
  const terms = entries.map((e) => new Set(queryWords([...e.phrasings, e.answer].join(" ")).flatMap((w) => w.terms)));

  return {
    rank(question, lessonOrder = []) {
      const q = vectorOf(grams(question));
      const closest = new Array<number>(entries.length).fill(0);
      for (const { entry, vector } of vectors) closest[entry] = Math.max(closest[entry]!, cosine(q, vector));
      const asked = queryWords(question);
      const covered = (i: number) => (asked.length === 0 ? 0 : asked.filter((w) => w.terms.some((t) => terms[i]!.has(t))).length / asked.length);
      return entries
        .map((e, i) => {
          const at = lessonOrder.indexOf(e.lessonSlug);
          const prior = at === 0 ? LESSON_PRIOR : at > 0 ? LESSON_PRIOR / 2 : 0;
          return { id: e.id, similarity: closest[i]!, score: closest[i]! + prior + COVERAGE_WEIGHT * covered(i) };
        })
        .filter((m) => m.similarity >= MIN_SIMILARITY)
        .sort((a, b) => b.score - a.score);
    },
  };
}
