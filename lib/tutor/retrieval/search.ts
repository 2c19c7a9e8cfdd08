/**
 * Retrieval for the tutor: BM25 full-text search (MiniSearch) over lesson passages and quiz
 * explanations, with stemming (./stem.ts), stop words removed, typo-tolerant (fuzzy) and
 * prefix matching, and a relevance threshold so an off-topic question retrieves nothing.
 *
 * Learner vocabulary (LEARNER_PHRASES: "keeps repeating itself" → repetition penalty, "more
 * random" → sampling temperature, "cut off" → context window…) adds the course's terms to a
 * question asked in everyday words, at reduced weight.
 *
 * Scores: MiniSearch's BM25+, summed over the query's terms, with fuzzy and prefix matches
 * weighted down. A raw BM25 score grows with the number of query terms that match, so the
 * threshold is applied to the best passage's score together with how much of the question it
 * covers (see isRelevant). The numbers were measured on the paraphrased questions of
 * test/unit/tutor/questions.ts and off-topic ones (retrieval.test.ts asserts them;
 * `npx tsx scripts/bench/retrieval.ts` prints them): top-1 77/89, top-3 85/89.
 *
 * Isomorphic: MiniSearch and pure functions; the corpus comes from ./corpus.ts (Node).
 */
import MiniSearch, { type Query, type SearchResult } from "minisearch";
import { stem } from "./stem.ts";
import type { LessonSuggestion, PassageDoc, RetrievedPassage } from "../types.ts";

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

/**
 * Learner vocabulary → the course's terms. Learners ask in everyday words before they know the
 * course's ("it keeps repeating itself", "why is it so random", "why does it forget"),
 * and BM25 only matches words that are there: "repeating" stems to "repeat", the lessons say
 * "repetition" (stem "repetit"), so the repetition-penalty lesson lost to any passage that
 * happens to say "repeat". Each rule matches a learner word or phrase (in the lower-cased
 * query, whole words) and adds the course terms it stands for; the learner's word is kept, and
 * matching either counts as matching it (coverage, see isRelevant). Added terms weigh
 * LEARNER_WEIGHT of a typed word, so they steer the ranking without outvoting what was typed.
 *
 * A rule belongs here only when the everyday word almost always means the course's concept in
 * a question to this tutor; ambiguous words ("memory": RAM or context? "word": token?) stay out,
 * and so do words the lessons already use ("remember", "mistake": BM25 finds those as they are,
 * and a rule would only lift everyday questions). Everyday uses ("why do I forget my dreams?")
 * must still fail the threshold: the off-topic set in test/unit/tutor/questions.ts has such
 * questions, and scripts/bench/retrieval.ts measures a change to this list.
 */
const LEARNER_PHRASES: readonly (readonly [RegExp, string])[] = [
  // Repetition loops and their cure. Not a bare "repeat": "predict, append, repeat" is the decoding loop.
  [/\b(repeat(s|ing)? (itself|themselves|the same (word|phrase|sentence|line|text|token)s?)|repetitive|stuck in a loop|loops?|looping|over and over)\b/g, "repetition penalty"],
  // Randomness in the output: sampling and its temperature.
  [/\b(random(ly|ness)?|creativ(e|ity)|unpredictable|non-?deterministic|(different|new|another|varying) (answer|reply|response|output|result)s?)\b/g, "sampling temperature"],
  [/\b(nonsense|gibberish|garbage|weird|unlikely|rare) (word|token|output|text|stuff)s?\b/g, "unlikely tail truncation"],
  // What fits in the window.
  [/\b(forget(s|ting)?|forgot(ten)?)\b/g, "context window"],
  [/\b(cut off|cuts off|gets cut|truncated|too long for)\b/g, "context window limit"],
  [/\b(whole|entire|long) (book|novel|document|codebase)s?\b/g, "longer texts context"],
  [/\bfirst (word|words|letter|bit) (shows?|showing|appears?|appearing|comes?|coming)\b/g, "first token prefill"],
  // Writing "one word at a time": the autoregressive loop (learners say "word" for token).
  [/\b((one|a single|each) (word|token) at a time|word by word|token by token)\b/g, "autoregressive generation append"],
  // Learning from errors, and judging how good predictions are: the loss.
  [/\b(grade|grading|judge|judging|measure|measuring|rate|rating) how (good|well|bad)\b/g, "loss score cross entropy"],
  [/\b(learn(s|ed|t|ing)?) from\b/g, "training loss gradient"],
  // Next-token prediction under its everyday names.
  [/\b(auto-?complete|autocompletion|predictive text)\b/g, "next token prediction"],
  [/\b(make(s)? (stuff|things) up|making (stuff|things) up|hallucinat\w*|lie(s)?|lying|confidently wrong)\b/g, "false fluent true"],
  // What learners call the model itself.
  [/\b(chat ?bots?|bots?|ai|assistants?)\b/g, "model"],
  // The vocabulary as "its dictionary", "the words it knows".
  [/\b(dictionary|(tokens|words) (does|do|can) (it|the model) know)\b/g, "vocabulary"],
  // Tokenization as "chopping".
  [/\b(chop(s|ped|ping)?|chunk(s|ed|ing)?|little bits)\b/g, "split tokens pieces"],
  // Compute as hardware and money.
  [/\b(computers|gpus?|hardware|money|dollars)\b/g, "training compute"],
];

/** How much an added learner term weighs against a word the learner typed, in the score. */
export const LEARNER_WEIGHT = 0.6;
/**
 * How much of a word a match through its learner terms covers (a typed word that matches covers
 * 1): the expansion is a guess at what was meant, so "forget" found as "context window" is
 * weaker evidence than a word found as typed, and one such word alone ("a random fact about
 * octopuses") cannot carry a question over the threshold.
 */
export const LEARNER_COVERAGE = 0.5;

/**
 * The course terms a question's learner words stand for (LEARNER_PHRASES), each with the span
 * it came from: the content words inside that span count as matched when these terms match.
 */
export function learnerExpansions(query: string): { span: string; terms: string }[] {
  const text = query.toLowerCase().replace(/[’']/g, "'");
  const out: { span: string; terms: string }[] = [];
  for (const [pattern, terms] of LEARNER_PHRASES) {
    for (const m of text.matchAll(pattern)) out.push({ span: m[0], terms });
  }
  return out;
}

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
  // Common questions are matched by ./faq-match.ts among the lessons this index finds, not searched
  // here: their short everyday phrasings ("can changing it change which word…") would score
  // everyday questions ("how do I change the oil in my car?") over the threshold.
  passages.addAll(docs.filter((d) => d.kind !== "faq").map((d) => ({ ...d, concepts: conceptsOf.get(d.lessonSlug) ?? "" })));
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
 * Measured on test/unit/tutor/questions.ts (85 course questions, 18 off-topic): every course
 * question's best passage scores ≥ 159, or covers ≥ 0.75 (the typo question: 5.0 at coverage
 * 1.0); the off-topic questions' best score ≤ 67 with coverage ≤ 0.5, except where a learner
 * phrase lifts the score ("a different answer every time someone asks": 526), and then covers
 * ≤ 0.21. MIN_SCORE was set between the first two (the geometric mean of 139 and 65 ≈ 95, the
 * margins when it was set).
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

/** A query's content word and what it searches for: as typed (with its stem and any abbreviation's long form), and through learner terms. */
interface QueryWord {
  word: string;
  terms: string[];
  learnerTerms: string[];
}

/** The query's content words with everything each of them searches for (see LEARNER_PHRASES, EXPANSIONS). */
function searchWords(query: string): QueryWord[] {
  const learner = learnerExpansions(query);
  const termsOf = (text: string) => queryWords(text).flatMap((x) => x.terms);
  return queryWords(query).map((w) => {
    const long = EXPANSIONS[w.word];
    return {
      word: w.word,
      terms: long ? [...w.terms, ...termsOf(long)] : w.terms,
      learnerTerms: learner.filter((l) => queryWords(l.span).some((x) => x.word === w.word)).flatMap((l) => termsOf(l.terms)),
    };
  });
}

/**
 * Share of the query's content words that matched: a word matched as typed (itself, its stem,
 * its long form) counts 1, one matched only through its learner terms LEARNER_COVERAGE.
 */
function coverageOf(result: SearchResult, words: readonly QueryWord[]): number {
  if (words.length === 0) return 0;
  const matched = new Set(result.queryTerms);
  const has = (terms: readonly string[]) => terms.some((t) => matched.has(t));
  const covered = words.reduce((sum, w) => sum + (has(w.terms) ? 1 : has(w.learnerTerms) ? LEARNER_COVERAGE : 0), 0);
  return covered / words.length;
}

export function isRelevant(s: { score: number; coverage: number }): boolean {
  return (
    (s.score >= RELEVANCE.MIN_SCORE && s.coverage >= RELEVANCE.MIN_COVERAGE) ||
    (s.score >= RELEVANCE.LOW_SCORE && s.coverage >= RELEVANCE.FULL_COVERAGE)
  );
}

/** Every passage matching the query, best first, with score and coverage (no threshold): for tests and tuning. */
/**
 * The course's subject named in a question ("an LLM", "a language model") says little about
 * which lesson is meant — every lesson is about language models — yet BM25 scores it like any
 * other words, MiniSearch multiplies a passage's score by how many query terms it matches, and
 * the lesson that names the subject most ("What is an LLM") won questions such as "what does
 * temperature do in an llm?" or "what is the context window of a language model?". So the
 * subject is searched as a sub-query of its own weighing SUBJECT_WEIGHT; asked about alone
 * ("what is an LLM, in plain words?") it is the question, and is searched as typed.
 */
const COURSE_SUBJECT = /\b(?:(?:large )?language models?|llms?)\b/gi;
export const SUBJECT_WEIGHT = 0.25;

/** The question split into what it asks about and the course subject it names (empty when none). */
export function splitCourseSubject(query: string): { topic: string; subject: string } {
  const subject = (query.match(COURSE_SUBJECT) ?? []).join(" ");
  const topic = query.replace(COURSE_SUBJECT, " ").replace(/\s+/g, " ").trim();
  // Only the subject, or nothing else worth searching for: the subject is the topic.
  if (!subject || searchWords(topic).filter((w) => !GENERIC_WORDS.has(w.word)).length === 0) return { topic: query, subject: "" };
  return { topic, subject };
}
/** Words that do not make a question about something other than the subject ("in plain words"). */
const GENERIC_WORDS = new Set(["plain", "words", "word", "short", "simple", "terms", "briefly", "basics"]);

/**
 * Phrases that say how to answer, not what about: "in one sentence", "in simple terms",
 * "briefly". Searched, they find the wrong lesson ("sentence" prefix-matches SentencePiece,
 * so "in one sentence, what is an LLM?" retrieved the tokenizer-algorithms lesson).
 */
const ANSWER_STYLE = /\b(?:in (?:one|a|two|a few|three) (?:short )?(?:sentences?|lines?|words?|paragraphs?)|in (?:plain|simple) (?:english|words|terms)|in short|briefly|eli5|like i'?m (?:five|5))\b/gi;

/** The question without its answer-style phrases (unchanged when nothing else would be left). */
export function withoutAnswerStyle(query: string): string {
  const stripped = query.replace(ANSWER_STYLE, " ").replace(/\s+/g, " ").trim();
  return queryWords(stripped).length > 0 ? stripped : query;
}

export function scorePassages(index: TutorIndex, docs: ReadonlyMap<string, PassageDoc>, asked: string): Scored[] {
  const query = withoutAnswerStyle(asked);
  const words = searchWords(query);
  if (words.length === 0) return [];
  const { topic, subject } = splitCourseSubject(query);
  const typed = expandQuery(topic);
  const added = [...new Set(learnerExpansions(query).map((l) => l.terms))].join(" ");
  // The learner terms and the course subject as sub-queries of their own, so that they can weigh less than what was typed.
  const queries: Query[] = [typed];
  if (added) queries.push({ queries: [added], boostTerm: () => LEARNER_WEIGHT });
  if (subject) queries.push({ queries: [expandQuery(subject)], boostTerm: () => SUBJECT_WEIGHT });
  const search: Query = queries.length > 1 ? { combineWith: "OR", queries } : typed;
  return index.passages
    .search(search, { ...searchOptions })
    .map((r) => ({ doc: docs.get(r.id as string)!, score: r.score, coverage: coverageOf(r, words) }))
    .filter((s) => s.doc !== undefined);
}

/** The first `n` distinct lessons among ranked passages, in rank order (for measuring retrieval by lesson). */
export function rankLessons(scored: readonly { doc: Pick<PassageDoc, "lessonSlug"> }[], n: number): string[] {
  const out: string[] = [];
  for (const s of scored) {
    if (out.length === n) break;
    if (!out.includes(s.doc.lessonSlug)) out.push(s.doc.lessonSlug);
  }
  return out;
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
  // A learner word ("forget") is known through the course terms it stands for.
  return searchWords(query)
    .filter((w) => w.learnerTerms.length === 0 && index.passages.search(w.word, searchOptions).length === 0)
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
