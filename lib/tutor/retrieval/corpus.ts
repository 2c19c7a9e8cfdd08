/**
 * The tutor's retrieval corpus, read from content/ through lib/course: every `##`/`###`
 * section of every lesson, cut into passages of about a paragraph (a whole section is often
 * longer than the prompt has room for; course-lm was trained on passages of two to four
 * sentences), each quiz question with its explanation, and each of the lesson's common questions
 * (content/level-1/NN-slug.faq.json: the answer is the passage, the question and its other
 * phrasings are matched as the field `asked`). Built on first use and cached
 * for the process (rebuilt in development when a content file changes).
 *
 * Not `server-only`: the CLI (scripts/ask.ts) runs it under plain Node. It reads the file
 * system, so it never ends up in a browser bundle; the browser asks POST /api/tutor/retrieve.
 */
import fs from "node:fs";
import path from "node:path";
import { levelDir } from "../../course/lesson-files.ts";
import { isDevelopment } from "../../env/client.ts";
import { courseSections, getLessons } from "../../course/lessons.ts";
import { lessonHref } from "../../course/levels.ts";
import { faqAnchor } from "../../course/faq-schema.ts";
import { getFaq } from "../../course/faqs.ts";
import { getQuiz } from "../../course/quizzes.ts";
import type { Question } from "../../course/quiz-schema.ts";
import { buildFaqMatcher, type FaqMatcher } from "./faq-match.ts";
import { faqLabelsFile, learnedPhrasings, readFaqLabels } from "./faq-labels.ts";
import { buildTutorIndex, scorePassages, searchPassages, suggestLessons, unknownWords, withoutAnswerStyle, type RetrieveOptions, type Scored, type TutorIndex } from "./search.ts";
import type { LessonSuggestion, PassageDoc, RetrievedPassage, Retrieval } from "../types.ts";

/** A passage holds whole sentences up to about this many words (one long sentence may exceed it). */
export const PASSAGE_WORDS = 70;

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

/** Sentences of a paragraph (". ", "! ", "? " followed by a capital, digit, quote or bracket). */
function sentences(paragraph: string): string[] {
  return paragraph.split(/(?<=[.!?])\s+(?=[A-Z0-9"“($\\[])/).filter((s) => s.trim().length > 0);
}

/**
 * Cut a section's text into passages of whole paragraphs (or, for a long paragraph, whole
 * sentences) of at most ~PASSAGE_WORDS words; a short last piece joins the one before.
 */
export function chunkSection(text: string, maxWords = PASSAGE_WORDS): string[] {
  const units: string[] = [];
  for (const paragraph of text.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean)) {
    if (words(paragraph) <= maxWords) units.push(paragraph);
    else if (/^- /m.test(paragraph)) units.push(...paragraph.split(/\n(?=- )/).map((item) => item.trim()));
    else units.push(...sentences(paragraph.replace(/\s*\n\s*/g, " ")));
  }
  const chunks: string[] = [];
  let current = "";
  for (const unit of units) {
    if (current && words(current) + words(unit) > maxWords) {
      chunks.push(current);
      current = unit;
    } else current = current ? `${current}${unit.startsWith("- ") ? "\n" : " "}${unit}` : unit;
  }
  if (current) {
    if (chunks.length > 0 && words(current) < maxWords / 3) chunks[chunks.length - 1] += ` ${current}`;
    else chunks.push(current);
  }
  return chunks;
}

/** A quiz question as one passage: the question, the right answer and why. */
export function quizPassage(q: Question): string {
  switch (q.type) {
    case "single":
    case "multiple": {
      const right = q.options.filter((o) => o.correct);
      const answer = right.map((o) => o.text).join("; ");
      return `Q: ${q.prompt} A: ${answer}. ${right.map((o) => o.explanation).join(" ")}`;
    }
    case "numeric":
      return `Q: ${q.prompt} A: ${q.answer}${q.unit ? ` ${q.unit}` : ""}. ${q.explanation}`;
    case "tokenizer":
      return `Q: ${q.prompt} ${q.explanation}`;
  }
}

/**
 * A question nothing passes the word-level threshold for is still answered by a common question
 * this similar to it (./faq-match.ts). Off-topic questions (test/unit/tutor/questions.ts) reach at
 * most 0.30; "wats backprop" 0.71, "what is a gradient, intuitively?" 0.62.
 */
export const CLOSE_PHRASING = 0.4;

/** Lessons (of those found, best first) whose common questions get the lesson prior. */
export const FAQ_LESSONS = 3;

/** Between a common question's phrasings in its `asked` field. */
const ASKED_SEPARATOR = " · ";

export interface TutorCorpus {
  docs: PassageDoc[];
  byId: Map<string, PassageDoc>;
  index: TutorIndex;
  /** Which common question a learner's question asks (./faq-match.ts); ids are the FAQ passages' ids. */
  faqs: FaqMatcher;
}

export interface CorpusOptions {
  /**
   * Learner questions the matcher learns each common question's phrasing from, by passage id
   * (./faq-labels.ts; by default the labelled train-split questions). Tests pass a subset to
   * measure the matcher on questions it did not learn from.
   */
  learned?: ReadonlyMap<string, readonly string[]>;
}

/** Build the corpus and its index from content/ (what the cache below holds). */
export function buildTutorCorpus({ learned = learnedPhrasings(readFaqLabels()) }: CorpusOptions = {}): TutorCorpus {
  const lessons = getLessons();
  const docs: PassageDoc[] = [];
  for (const s of courseSections()) {
    chunkSection(s.text).forEach((text, i) => {
      docs.push({
        id: `${s.lessonSlug}#${s.sectionSlug}/${i}`,
        kind: "lesson",
        lessonSlug: s.lessonSlug,
        lessonTitle: s.lessonTitle,
        sectionSlug: s.sectionSlug,
        heading: s.heading,
        text,
        href: s.href,
      });
    });
  }
  for (const lesson of lessons) {
    // The lesson's summary (frontmatter): what the lesson is about, in two sentences.
    docs.push({
      id: `${lesson.slug}#summary`,
      kind: "lesson",
      lessonSlug: lesson.slug,
      lessonTitle: lesson.title,
      sectionSlug: "",
      heading: "Summary",
      text: lesson.summary,
      href: lessonHref(lesson.slug),
    });
    for (const q of getFaq(lesson.slug)?.questions ?? []) {
      docs.push({
        id: `${lesson.slug}#faq/${q.id}`,
        kind: "faq",
        lessonSlug: lesson.slug,
        lessonTitle: lesson.title,
        sectionSlug: faqAnchor(q.id),
        heading: q.question,
        asked: [q.question, ...q.alsoAsked].join(ASKED_SEPARATOR),
        text: q.answer,
        href: lessonHref(lesson.slug, faqAnchor(q.id)),
      });
    }
    const quiz = getQuiz(lesson.slug);
    for (const q of quiz?.questions ?? []) {
      docs.push({
        id: `${lesson.slug}#quiz/${q.id}`,
        kind: "quiz",
        lessonSlug: lesson.slug,
        lessonTitle: lesson.title,
        sectionSlug: "quiz",
        heading: "Quiz",
        text: quizPassage(q),
        href: lessonHref(lesson.slug, "quiz"),
      });
    }
  }
  const index = buildTutorIndex(
    docs,
    lessons.map((l) => ({ slug: l.slug, title: l.title, summary: l.summary, concepts: l.concepts, href: lessonHref(l.slug) })),
  );
  const faqs = buildFaqMatcher(
    docs
      .filter((d) => d.kind === "faq")
      .map((d) => ({ id: d.id, lessonSlug: d.lessonSlug, phrasings: [...d.asked!.split(ASKED_SEPARATOR), ...(learned.get(d.id) ?? [])], answer: d.text })),
  );
  return { docs, byId: new Map(docs.map((d) => [d.id, d])), index, faqs };
}

let cached: { corpus: TutorCorpus; key: string } | undefined;

/** The content files' names, sizes and times (lessons, quizzes, common questions and their labels): changes whenever one is edited. */
function contentKey(): string {
  const dir = levelDir();
  const files = [...fs.readdirSync(dir).sort().map((name) => path.join(dir, name)), faqLabelsFile()];
  return files
    .map((file) => {
      if (!fs.existsSync(file)) return `${file}:none`;
      const stat = fs.statSync(file);
      return `${path.basename(file)}:${stat.size}:${stat.mtimeMs}`;
    })
    .join("\n");
}

/**
 * The corpus, built on first use and kept for the process. In development it is rebuilt when
 * a content file changes, so edits show up on the next question.
 */
export function tutorCorpus(): TutorCorpus {
  if (!isDevelopment()) {
    cached ??= { corpus: buildTutorCorpus(), key: "" };
    return cached.corpus;
  }
  const key = contentKey();
  if (cached?.key !== key) cached = { corpus: buildTutorCorpus(), key };
  return cached.corpus;
}

/**
 * Relevant passages for a question, best first; [] when nothing passes the threshold. When the
 * question is one of the course's common questions (./faq-match.ts, among the lessons found),
 * that question's answer comes first (score 0: it was matched by phrasing, not by BM25), ahead of
 * the passages found: it was written to answer exactly this.
 */
export function retrievePassages(query: string, options?: RetrieveOptions, corpus: TutorCorpus = tutorCorpus()): RetrievedPassage[] {
  const { index, byId, faqs } = corpus;
  const found = searchPassages(index, byId, query, options);
  if (found.length === 0) {
    // Too few words for the word-level threshold ("wats backprop"), yet nearly a common question word for word.
    const close = faqs.rank(withoutAnswerStyle(query))[0];
    return close && close.similarity >= CLOSE_PHRASING ? [{ ...byId.get(close.id)!, score: 0 }] : [];
  }
  // Any lesson's common question may be the one asked (a question on temperature's formula is answered
  // in lesson 17 even when word search puts lesson 10 first); the lessons word search ranks first only
  // add a prior. Measured on the labelled train questions, held out (./faq-labels.ts): restricting the
  // choice to the first three lessons found lost 12 points (58 % vs 70 % right first picks).
  const lessons = [...new Set(found.map((p) => p.lessonSlug))].slice(0, FAQ_LESSONS);
  // "In one sentence, …" says how to answer, not what is asked: its words must not pick the entry.
  const asked = faqs.rank(withoutAnswerStyle(query), lessons)[0];
  if (!asked) return found;
  const faq = { ...byId.get(asked.id)!, score: 0 };
  // In addition to the passages found: the common question never pushes a lesson passage out.
  return [faq, ...found];
}

/** All matches with their scores and coverage, no threshold (tests, tuning). */
export function scoreQuery(query: string): Scored[] {
  const { index, byId } = tutorCorpus();
  return scorePassages(index, byId, query);
}

/** The nearest lessons by title for a question nothing relevant was found for. */
export function nearestLessons(query: string, count = 3): LessonSuggestion[] {
  return suggestLessons(tutorCorpus().index, query, count);
}

/**
 * Retrieval for one turn: the question alone; for a follow-up that finds nothing on its own
 * ("can you say that more simply?"), the previous question together with it — unless the
 * follow-up brings words the course does not know at all ("and lasagna?"): that is a new
 * topic, and gets the "not in the course" reply.
 */
export function retrieveForQuestion(question: string, previousQuestions: readonly string[] = []): Retrieval {
  let query = question;
  let passages = retrievePassages(question);
  const previous = previousQuestions.at(-1);
  if (passages.length === 0 && previous && unknownWords(tutorCorpus().index, question).length === 0) {
    const joined = `${previous} ${question}`;
    const found = retrievePassages(joined);
    if (found.length > 0) {
      query = joined;
      passages = found;
    }
  }
  return { passages, query, suggestions: passages.length === 0 ? nearestLessons(question) : [] };
}
