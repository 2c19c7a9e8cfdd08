/**
 * Which common question (content/level-1/NN-slug.faq.json) a learner's question is asking.
 *
 * BM25 over words finds the right lesson well but picks the right common question poorly: the
 * words that tell two questions of one lesson apart are the ones it throws away ("when should
 * I…" vs "what is…", "why is it called…") or misses (typos: "tokn", "embeding"). So the
 * learner's question is compared with every phrasing of every common question — the question,
 * its `alsoAsked`, and the learner questions labelled with it (./faq-labels.ts) — as TF-IDF
 * vectors of character 3–5-grams, stop words and all, by cosine similarity.
 *
 * Score = soft maximum of the phrasings' cosines (SOFTMAX_TEMPERATURE · log Σ exp(cos / T): the
 * closest phrasing counts most, and an entry that several phrasings come close to beats one
 * lucky surface match) + lesson prior (retrieval's lesson order) + COVERAGE_WEIGHT × the share
 * of the question's content words the entry holds anywhere.
 *
 * Measured on the 1,137 labelled train-split questions that some entry answers, 5-fold held out
 * (each fold's questions asked of a matcher that learned from the other folds only; the dev split
 * was not used), as retrieval uses it (test/unit/tutor/faq-match.test.ts), with the 495 entries
 * the labels were made against: the first pick is a right one for 753 (66 %); with the closest
 * phrasing alone instead of the soft maximum 740 (65 %). With the 105 entries a later gap audit
 * added: 704 (62 %) while the labels did not know them; relabelled (the new entries added where they
 * are right replies too, 47 of them now the best), 764 of 1,139 (67 %). A second audit's 136
 * entries: 730 while unknown to the labels, 780 (68.5 %) relabelled. Over
 * every entry, without retrieval's relevance threshold: 69 % soft maximum, 67 % closest phrasing,
 * 71 % adding a logistic regression over the same n-grams (not shipped: its weights would be a
 * trained file of their own for 2 points). A listwise reranker fitted, held out, over 13 features
 * of the top 30 candidates (this score's parts, the closest authored vs learned phrasing, coverage
 * IDF-weighted and the other way round — how much of the entry's question the learner's holds)
 * gained 5 of 1,139 first picks: these hand-set weights are about the best a linear mix does.
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
  /** What the entries are ranked by: soft maximum of the phrasings' cosines + lesson prior + coverage. */
  score: number;
  /** Cosine similarity of the closest phrasing (0–1). */
  similarity: number;
}

/** Added to a common question's score when its lesson is retrieval's first (half that for a later retrieved lesson). */
export const LESSON_PRIOR = 0.1;
/**
 * Added per share of the question's content words (as word search sees them: stems, spelled-out
 * abbreviations) found in the entry's phrasings or answer. Character n-grams over whole phrasings
 * let a generic phrasing ("what does temperature do") beat the specific entry the question's one
 * rare word points to ("what does *lowering* the temperature do"); coverage puts that word back.
 */
export const COVERAGE_WEIGHT = 1;
/**
 * How soft the maximum over an entry's phrasings is: T · log Σ exp(cos / T). At 0.1 a phrasing 0.1
 * less similar than the closest adds 1/e as much; n equally close phrasings add 0.1 · ln n.
 */
export const SOFTMAX_TEMPERATURE = 0.1;
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
  // An inverted index (gram → the phrasings holding it, with their weights): a question's
  // cosine with every phrasing costs the postings of its own grams, not a map lookup per gram
  // of every phrasing — 22.8 → 1.5 ms a question on the 1,175 labelled train questions, the
  // same ranking for each (scores equal within 5e-16: only the order of the sums changed). A
  // class asking at once waited for these one after another.
  const postingLists = new Map<string, { phrasings: number[]; weights: number[] }>();
  phrasings.forEach((p, index) => {
    for (const [g, w] of vectorOf(p.counts)) {
      let list = postingLists.get(g);
      if (!list) postingLists.set(g, (list = { phrasings: [], weights: [] }));
      list.phrasings.push(index);
      list.weights.push(w);
    }
  });
  /** The unit-length question vector's dot product with each phrasing's: their cosines. */
  const cosines = (q: Vector): Float64Array => {
    const out = new Float64Array(phrasings.length);
    for (const [g, wq] of q) {
      const list = postingLists.get(g);
      if (!list) continue;
      for (let k = 0; k < list.phrasings.length; k++) out[list.phrasings[k]!]! += wq * list.weights[k]!;
    }
    return out;
  };
  // Every index term (word and stem) of each entry's phrasings and answer.
  const terms = entries.map((e) => new Set(queryWords([...e.phrasings, e.answer].join(" ")).flatMap((w) => w.terms)));

  return {
    rank(question, lessonOrder = []) {
      const similarities = cosines(vectorOf(grams(question)));
      const closest = new Array<number>(entries.length).fill(0);
      const expSum = new Array<number>(entries.length).fill(0);
      phrasings.forEach(({ entry }, index) => {
        const similarity = similarities[index]!;
        closest[entry] = Math.max(closest[entry]!, similarity);
        expSum[entry]! += Math.exp(similarity / SOFTMAX_TEMPERATURE);
      });
      const asked = queryWords(question);
      const covered = (i: number) => (asked.length === 0 ? 0 : asked.filter((w) => w.terms.some((t) => terms[i]!.has(t))).length / asked.length);
      return entries
        .map((e, i) => {
          const at = lessonOrder.indexOf(e.lessonSlug);
          const prior = at === 0 ? LESSON_PRIOR : at > 0 ? LESSON_PRIOR / 2 : 0;
          const softMaximum = SOFTMAX_TEMPERATURE * Math.log(expSum[i]!);
          return { id: e.id, similarity: closest[i]!, score: softMaximum + prior + COVERAGE_WEIGHT * covered(i) };
        })
        .filter((m) => m.similarity >= MIN_SIMILARITY)
        .sort((a, b) => b.score - a.score);
    },
  };
}
