/**
 * Retrieval for the tutor: BM25 full-text search (MiniSearch) over lesson passages and quiz
 * explanations, with stemming (./stem.ts), stop words removed, typo-tolerant (fuzzy) and
 * prefix matching, and a relevance threshold so an off-topic question retrieves nothing.
 *
 * Scores: MiniSearch's BM25+, summed over the query's terms, with fuzzy and prefix matches
 * weighted down. A raw BM25 score grows with the number of query terms that match, so the
 * threshold is applied to the best passage's score together with how much of the question it
 * covers (see isRelevant). The numbers were measured on the paraphrased questions of
 * test/unit/tutor/retrieval.test.ts and off-topic ones (the test asserts them).
 *
 * Isomorphic: MiniSearch and pure functions; the corpus comes from ./corpus.ts (Node).
 */
import MiniSearch, { type SearchResult } from "minisearch";
import { stem } from "./stem.ts";
import type { LessonSuggestion, PassageDoc, RetrievedPassage } from "./types.ts";

/** Function words and question scaffolding: they say nothing about which lesson is meant. */
const STOP_WORDS = new Set(
  (
    "a about above after again against all also am an and any are aren't as at be because been before being below between both but by " +
    "can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further get gets getting got " +
    "had hadn't has hasn't have haven't having he her here hers herself him himself his how i i'd i'm i've if in into is isn't it it's its " +
    "itself just let's like me mean means meant more most much my myself no nor not now of off on once only or other ought our ours " +
    "ourselves out over own please same she should shouldn't so some such tell than that that's the their theirs them themselves then " +
    "there there's these they they're this those through to too under until up us very was wasn't way we we're were weren't what " +
    "what's whats when where which while who whom why will with won't would wouldn't you you're your yours yourself yourselves " +
    "explain explained describe example kind sort thing things stuff actually really exactly basically simply simple work works working " +
    "happen happens mean meaning difference different use used uses using one ones wat wht hw whay pls plz ok okay yeah hey hi hello " +
    "thanks thank know want need tho though anyway gonna wanna say said lot lots"
  ).split(/\s+/),
);

/** A word as it is written (lower case, no apostrophes), or null for a stop word. */
export function normalizeWord(term: string): string | null {
  const t = term.toLowerCase().replace(/[’']/g, "'");
  if (STOP_WORDS.has(t)) return null;
  const plain = t.replace(/'s$/, "").replace(/'/g, "");
  if (plain.length === 0 || STOP_WORDS.has(plain)) return null;
  return plain;
}

/**
 * Words → index terms: the word itself and its stem (when they differ), stop words removed.
 * The stem lets "tokenized" find "tokenizers"; the word itself lets a typo ("tokenizaton")
 * still be one edit from a real word ("tokenization"), which its stem ("token") is not.
 */
export function processTerm(term: string): string | string[] | null {
  const plain = normalizeWord(term);
  if (plain === null) return null;
  const s = stem(plain);
  return s === plain ? plain : [plain, s];
}

/**
 * Abbreviations learners type, spelled out at query time (the lessons mostly use the long
 * form after introducing the short one). Matching either counts as matching the word.
 */
const EXPANSIONS: Readonly<Record<string, string>> = {
  llm: "large language model",
  llms: "large language models",
  bpe: "byte pair encoding",
  kv: "key value",
  ppl: "perplexity",
  gqa: "grouped query attention",
  rope: "rotary position",
  sgd: "stochastic gradient descent",
  lr: "learning rate",
  temp: "temperature",
  nll: "negative log likelihood",
  oov: "out of vocabulary",
};

/** The query with its abbreviations followed by their long forms ("LLM" → "LLM large language model"). */
export function expandQuery(query: string): string {
  return query.replace(/[\p{L}\p{N}]+/gu, (w) => {
    const long = EXPANSIONS[w.toLowerCase()];
    return long ? `${w} ${long}` : w;
  });
}

/** Split on anything that is not a letter or digit (so "top-k" → "top", "k"; "V×d" → "v", "d"). */
export function tokenize(text: string): string[] {
  return text.split(/[^\p{L}\p{N}'’]+/u).filter(Boolean);
}

/** Field weights: a word in the heading or the lesson's title says more than one in the text. */
const BOOST = { lessonTitle: 2.5, heading: 1.8, concepts: 1.3, text: 1 } as const;

interface IndexedDoc extends PassageDoc {
  /** The lesson's concepts (frontmatter), joined: lets a question that names a concept find its lesson. */
  concepts: string;
}

const searchOptions = {
  boost: { ...BOOST },
  // Typos: one edit per ~5 letters, only for words long enough to make that safe.
  fuzzy: (term: string) => (term.length >= 5 ? 0.2 : false),
  // "tokeniz" should find "tokenization": only for longer stems (a one-letter prefix matches everything).
  prefix: (term: string) => term.length >= 4,
  weights: { fuzzy: 0.4, prefix: 0.5 },
  combineWith: "OR" as const,
};

export interface TutorIndex {
  passages: MiniSearch<IndexedDoc>;
  lessons: MiniSearch<{ id: string; title: string; summary: string; concepts: string; href: string }>;
  /** Lessons in course order (for default suggestions). */
  lessonList: LessonSuggestion[];
  docCount: number;
}

export interface LessonInfo {
  slug: string;
  title: string;
  summary: string;
  concepts: readonly string[];
  href: string;
}

/** Build the index (a few ms for the whole course). */
export function buildTutorIndex(docs: readonly PassageDoc[], lessons: readonly LessonInfo[]): TutorIndex {
  const conceptsOf = new Map(lessons.map((l) => [l.slug, l.concepts.join(" · ")]));
  const passages = new MiniSearch<IndexedDoc>({
    fields: ["lessonTitle", "heading", "text", "concepts"],
    storeFields: ["id"],
    processTerm,
    tokenize,
    searchOptions,
  });
  passages.addAll(docs.map((d) => ({ ...d, concepts: conceptsOf.get(d.lessonSlug) ?? "" })));
  const lessonIndex = new MiniSearch<{ id: string; title: string; summary: string; concepts: string; href: string }>({
    fields: ["title", "summary", "concepts"],
    storeFields: ["id"],
    processTerm,
    tokenize,
    searchOptions: { ...searchOptions, boost: { title: 3, concepts: 2, summary: 1 }, fuzzy: (t: string) => (t.length >= 4 ? 0.3 : false) },
  });
  lessonIndex.addAll(lessons.map((l) => ({ id: l.slug, title: l.title, summary: l.summary, concepts: l.concepts.join(" · "), href: l.href })));
  return {
    passages,
    lessons: lessonIndex,
    lessonList: lessons.map((l) => ({ lessonSlug: l.slug, title: l.title, href: l.href })),
    docCount: docs.length,
  };
}

// ─── Relevance ──────────────────────────────────────────────────────────────────────────

/**
 * The relevance threshold, on the best passage's BM25 score and on its coverage (the share of
 * the question's content words it matches, exactly, by stem, by prefix or within a typo):
 * - a passage is relevant when it scores at least MIN_SCORE and covers at least MIN_COVERAGE;
 * - or, for short questions whose few words are all found but score little (a typo matched
 *   fuzzily, "wat is tokenizaton"), when it covers at least FULL_COVERAGE and scores LOW_SCORE.
 * Measured on test/unit/tutor/questions.ts: every paraphrased course question's best passage
 * scores ≥ 139 (the typo question: 5.0 at coverage 1.0); the off-topic questions' best
 * scores ≤ 65 with coverage ≤ 0.5. MIN_SCORE sits between the two (their geometric mean ≈ 95).
 */
export const RELEVANCE = {
  MIN_SCORE: 95,
  MIN_COVERAGE: 0.25,
  FULL_COVERAGE: 0.75,
  LOW_SCORE: 3,
  /** Passages scoring below this fraction of the best one are not worth the prompt space. */
  RELATIVE_TO_BEST: 0.45,
} as const;

/** The content words of a query, each with the terms it searches for (itself and its stem), deduplicated. */
export function queryWords(query: string): { word: string; terms: string[] }[] {
  const out = new Map<string, string[]>();
  for (const token of tokenize(query)) {
    const word = normalizeWord(token);
    if (word === null || out.has(word)) continue;
    const s = stem(word);
    out.set(word, s === word ? [word] : [word, s]);
  }
  return [...out].map(([word, terms]) => ({ word, terms }));
}

export interface Scored {
  doc: PassageDoc;
  score: number;
  /** Share of the query's content words this passage matched. */
  coverage: number;
}

/** Share of the query's content words that matched (a word matches through itself or its stem). */
function coverageOf(result: SearchResult, words: readonly { terms: string[] }[]): number {
  if (words.length === 0) return 0;
  const matched = new Set(result.queryTerms);
  return words.filter((w) => w.terms.some((t) => matched.has(t))).length / words.length;
}

export function isRelevant(s: { score: number; coverage: number }): boolean {
  return (
    (s.score >= RELEVANCE.MIN_SCORE && s.coverage >= RELEVANCE.MIN_COVERAGE) ||
    (s.score >= RELEVANCE.LOW_SCORE && s.coverage >= RELEVANCE.FULL_COVERAGE)
  );
}

/** Every passage matching the query, best first, with score and coverage (no threshold): for tests and tuning. */
export function scorePassages(index: TutorIndex, docs: ReadonlyMap<string, PassageDoc>, query: string): Scored[] {
  const words = queryWords(query).map((w) => {
    const long = EXPANSIONS[w.word];
    return long ? { word: w.word, terms: [...w.terms, ...queryWords(long).flatMap((x) => x.terms)] } : w;
  });
  if (words.length === 0) return [];
  return index.passages
    .search(expandQuery(query), { ...searchOptions })
    .map((r) => ({ doc: docs.get(r.id as string)!, score: r.score, coverage: coverageOf(r, words) }))
    .filter((s) => s.doc !== undefined);
}

export interface RetrieveOptions {
  /** Most passages returned (default 4). */
  limit?: number;
}

/** The relevant passages for a question, best first; empty when nothing passes the threshold. */
export function searchPassages(
  index: TutorIndex,
  docs: ReadonlyMap<string, PassageDoc>,
  query: string,
  { limit = 4 }: RetrieveOptions = {},
): RetrievedPassage[] {
  const scored = scorePassages(index, docs, query);
  const best = scored[0];
  if (!best || !isRelevant(best)) return [];
  const floor = best.score * RELEVANCE.RELATIVE_TO_BEST;
  return scored
    .filter((s) => s.score >= floor && isRelevant(s))
    .slice(0, limit)
    .map((s) => ({ ...s.doc, score: round(s.score) }));
}

/**
 * The query's content words that appear nowhere in the course, not even by prefix or
 * within a typo ("lasagna"). A follow-up made only of words the course knows ("can you give
 * an example?") may lean on the previous question; one that brings in foreign words is a
 * new topic.
 */
export function unknownWords(index: TutorIndex, query: string): string[] {
  return queryWords(query)
    .filter((w) => index.passages.search(w.word, searchOptions).length === 0)
    .map((w) => w.word);
}

/**
 * Lessons to suggest when nothing relevant was found: the nearest lesson titles (a lenient
 * search over titles, summaries and concepts, no threshold), else the course's first lessons.
 */
export function suggestLessons(index: TutorIndex, query: string, count = 3): LessonSuggestion[] {
  const words = queryWords(query);
  const bySlug = new Map(index.lessonList.map((l) => [l.lessonSlug, l]));
  const found = words.length === 0 ? [] : index.lessons.search(expandQuery(query)).map((r) => bySlug.get(r.id as string)!);
  const out: LessonSuggestion[] = [];
  for (const l of [...found, ...index.lessonList]) {
    if (l && !out.some((o) => o.lessonSlug === l.lessonSlug)) out.push(l);
    if (out.length === count) break;
  }
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
