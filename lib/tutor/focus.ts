/**
 * Focusing the passages on the question, for course-lm.
 *
 * When retrieval puts one of the course's common questions first (the learner asked it, in some
 * wording: ./retrieval/faq-match.ts), its answer is the whole context. Otherwise:
 *
 * course-lm replies by quoting whole sentences of its passages (the sampler's quote stage), and
 * the blind review found its failure is the choice: a true lesson sentence beside the question,
 * picked from the ten or so a paragraph-sized passage offers. A 3.5 M-parameter model does not
 * tell a relevant sentence from a neighbouring one; a word-matching ranker often can. So before
 * the prompt is built, each retrieved passage is cut down to its sentences that best match the
 * question (BM25 over the candidate sentences, typos and prefixes matched as retrieval matches
 * them), at most FOCUS_SENTENCES in all across the passages: the model then chooses among a few
 * relevant sentences, and what it quotes is still its own draw. The prompt shows exactly what it
 * was given; the inspector shows that prompt.
 *
 * A sentence that leans on the one before it ("This is why…") stays with that one; sentences
 * that answer nothing on their own (questions, summary headlines, worked-example steps) are
 * never kept. A passage
 * none of whose sentences match is left out; when nothing matches at all, the passages are
 * returned unchanged.
 *
 * Isomorphic (the browser backend plans its turns too).
 */
import MiniSearch from "minisearch";
import { quotableSentences } from "../llm/quote.ts";
import { expandQuery, processTerm, tokenize, withoutAnswerStyle } from "./retrieval/search.ts";
import type { PassageDoc } from "./types.ts";

/**
 * Sentences kept in all, across the passages. Measured on the dev questions (seed 1): recall of
 * the hand-chosen answers 0.049 unfocused, 0.071 keeping 2, 0.061 keeping 3.
 */
export const FOCUS_SENTENCES = 2;
/** Passages considered, best first (retrieval returns up to four). */
export const FOCUS_PASSAGES = 4;
/** Score taken off a sentence per rank of its passage: retrieval's order is evidence too. */
export const RANK_PENALTY = 0.3;

/**
 * Sentences that answer nothing on their own, though they may be fine prose in a lesson: a
 * question; a lesson summary's "How a model turns…:"/"Why related words…" (what the lesson is
 * about, not what it says); a step of a worked example ("Apply top-k with k = 3.", "Go back to
 * step 1…", "Let's follow one prompt…") or a result that only holds for it ("…≈ 49 here"); one
 * that ends by pointing back ("…a textbook case of this.").
 */
const ANSWERS_NOTHING =
  /\?["'”’)\]]*$|^(?:how|why|what|which|where|when)\b|^(?:let's|let|apply|go|compute|pick|take|add|multiply|divide|write|try|consider|suppose|imagine|repeat|ask|note|recall|look|follow|check)\b|\bhere\b[,.;:]|\bin this example\b|\b(?:this|that|these|those|above)[.!]["'”’)\]]*$/i;

/** Whether a sentence answers nothing on its own (see ANSWERS_NOTHING). */
export const answersNothing = (sentence: string): boolean => ANSWERS_NOTHING.test(sentence);

/** A sentence of a passage, with any sentences that lean on it (quoted only right after it). */
export interface Unit {
  passage: number;
  /** Position in its passage (to keep the passage's order). */
  order: number;
  /** Position of its last sentence (a sentence leaning on that one joins the unit). */
  end: number;
  text: string;
}

function unitsOf(passage: PassageDoc, index: number): Unit[] {
  const units: Unit[] = [];
  quotableSentences(passage.text).forEach((sentence, i) => {
    const last = units.at(-1);
    if (sentence.after !== undefined && last && last.end === sentence.after) {
      last.text += ` ${sentence.text}`;
      last.end = i;
    }
    else if (sentence.after === undefined && !ANSWERS_NOTHING.test(sentence.text)) units.push({ passage: index, order: i, end: i, text: sentence.text });
  });
  return units;
}

/** A candidate sentence (with any that lean on it) and how well it matches the question. */
export interface RankedUnit {
  unit: Unit;
  score: number;
}

/**
 * Every quotable sentence of `passages` that matches `question` at all, best first: BM25 with
 * retrieval's typo/prefix matching, less RANK_PENALTY per rank of its passage.
 */
export function rankSentences(question: string, passages: readonly PassageDoc[]): RankedUnit[] {
  const units = passages.flatMap(unitsOf);
  if (units.length === 0) return [];
  const search = new MiniSearch<{ id: number; text: string }>({
    fields: ["text"],
    processTerm,
    tokenize,
    searchOptions: { fuzzy: (t: string) => (t.length >= 5 ? 0.2 : false), prefix: (t: string) => t.length >= 4, weights: { fuzzy: 0.4, prefix: 0.5 }, combineWith: "OR" },
  });
  search.addAll(units.map((u, id) => ({ id, text: u.text })));
  return search
    .search(expandQuery(withoutAnswerStyle(question)))
    .map((r) => ({ unit: units[r.id as number]!, score: r.score - RANK_PENALTY * units[r.id as number]!.passage }))
    .sort((a, b) => b.score - a.score);
}

/**
 * The passages cut to their sentences that best answer `question` (best passage first, each
 * keeping its sentences in their own order), or `passages` unchanged when no sentence matches.
 */
export function focusPassages<P extends PassageDoc>(question: string, passages: readonly P[], keep = FOCUS_SENTENCES): P[] {
  // A common question retrieval put first is the answer itself, written to be quoted from its first
  // sentence: it goes in whole and alone (anything beside it only gives the model a worse choice).
  if (passages[0]?.kind === "faq") return [passages[0]];
  const considered = passages.slice(0, FOCUS_PASSAGES);
  const ranked = rankSentences(question, considered).slice(0, keep);
  if (ranked.length === 0) return [...passages];

  const best = new Map<number, number>(); // passage → its best kept sentence's score
  for (const r of ranked) best.set(r.unit.passage, Math.max(best.get(r.unit.passage) ?? -Infinity, r.score));
  return [...best.keys()]
    .sort((a, b) => best.get(b)! - best.get(a)!)
    .map((p) => ({
      ...considered[p]!,
      text: ranked
        .filter((r) => r.unit.passage === p)
        .map((r) => r.unit)
        .sort((a, b) => a.order - b.order)
        .map((u) => u.text)
        .join(" "),
    }));
}
