/**
 * A lesson's common questions (content/level-1/NN-slug.faq.json): the questions a beginner
 * most often asks about the lesson, each with a short answer in the course's words.
 *
 * They serve two readers. The learner sees them at the end of the lesson ("Common questions").
 * The tutor retrieves them: a learner's question is matched against each entry's question and
 * its other phrasings (`alsoAsked`), and course-lm quotes the answer's sentences (the sampler's
 * quote stage). A small model cannot write an answer, but it can quote one; so every sentence of
 * an answer must make sense quoted on its own — the rules in `answerSentenceProblems`.
 */
import { z } from "zod";
import { isQuotable, leansBack, splitSentences } from "../llm/quote.ts";
import { answersNothing } from "../tutor/focus.ts";

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "ids are lower-case letters, digits and dashes");
const text = z.string().trim().min(1);

/** Longest sentence of an answer, in words: a learner reads it in one go. */
export const MAX_ANSWER_SENTENCE_WORDS = 40;

/** Why a sentence of an answer could not be quoted on its own ([] when it can). */
export function answerSentenceProblems(sentence: string): string[] {
  const problems: string[] = [];
  if (!isQuotable(sentence)) problems.push("not quotable prose (needs a full stop, ≥ 5 words, balanced $…$, no LaTeX outside maths, no table rows, no pointers at the page such as 'below' or 'the chart')");
  if (leansBack(sentence)) problems.push("opens by pointing back (This/It/They/So/But/…): name the subject, since a reply may quote this sentence alone");
  if (answersNothing(sentence)) problems.push("reads as a question, a heading or a worked-example step ('here', 'Let's…', 'How…')");
  const words = sentence.split(/\s+/).filter(Boolean).length;
  if (words > MAX_ANSWER_SENTENCE_WORDS) problems.push(`${words} words (at most ${MAX_ANSWER_SENTENCE_WORDS})`);
  return problems;
}

export const faqEntrySchema = z
  .strictObject({
    id,
    /** The question as the lesson shows it. */
    question: text.refine((q) => q.endsWith("?"), "a question ends with '?'"),
    /** Other ways learners ask it (casual, confused, misspelt): retrieval matches these too. */
    alsoAsked: z.array(text).min(2).max(6),
    /** Two or three sentences; the first answers the question by itself. */
    answer: text,
  })
  .superRefine((entry, ctx) => {
    const sentences = splitSentences(entry.answer);
    if (sentences.length < 1 || sentences.length > 4) ctx.addIssue({ code: "custom", path: ["answer"], message: `${sentences.length} sentences (one to four)` });
    for (const sentence of sentences) {
      const problems = answerSentenceProblems(sentence);
      if (problems.length > 0) ctx.addIssue({ code: "custom", path: ["answer"], message: `"${sentence}": ${problems.join("; ")}` });
    }
  });

export const faqSchema = z
  .strictObject({
    lesson: z.string(),
    questions: z.array(faqEntrySchema).min(1),
  })
  .refine((faq) => new Set(faq.questions.map((q) => q.id)).size === faq.questions.length, "question ids must be unique");

export type FaqEntry = z.infer<typeof faqEntrySchema>;
export type Faq = z.infer<typeof faqSchema>;

/** A common question's anchor on its lesson page (the tutor's sources link to it). */
export const faqAnchor = (id: string): string => `faq-${id}`;
