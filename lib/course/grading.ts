/**
 * Server-side quiz grading. Pure functions over a validated quiz (quiz-schema.ts) and the
 * learner's answers, plus a pluggable token counter for "ask the real tokenizer" questions.
 *
 * Rules:
 * - single choice: right option = 1, anything else = 0.
 * - multiple select, partial credit: credit = max(0, (right picks − wrong picks) / number of
 *   right options). Picking every option therefore earns nothing when half are wrong, and a
 *   question is only "correct" (and off the review queue) when the exact set was picked.
 * - numeric: right when |given − answer| ≤ tolerance (inclusive, absolute), with a float
 *   epsilon so that an answer exactly on the edge is not lost to binary rounding.
 * - tokenizer: right when the given count equals the live count of the named tokenizer.
 *   If that tokenizer is not available the question is "unchecked": left out of the score
 *   (neither right nor wrong), never guessed.
 * - unanswered questions count as 0.
 *
 * The score is the mean credit over the counted questions, a fraction in [0, 1].
 */
import { isPassingScore } from "./progress.ts";
import type { ChoiceQuestion, NumericQuestion, Question, Quiz, TokenizerQuestion } from "./quiz-schema.ts";
import { TOKENIZER_NAMES, type CountTokens, type TokenizerId } from "./token-counter.ts";

/** An answer as submitted: an option id (single), option ids (multiple) or a number. */
export type Answer = string | string[] | number;
/** Answers by question id; a missing question is unanswered. */
export type AnswerMap = Record<string, Answer | undefined>;

export type QuestionStatus = "correct" | "partial" | "incorrect" | "unanswered" | "unchecked";

export interface QuestionOutcome {
  questionId: string;
  status: QuestionStatus;
  /** In [0, 1]; fractional only for a partly right multiple-select answer. */
  credit: number;
  /** false when the question is left out of the score (an unchecked tokenizer question). */
  counted: boolean;
  /** Tokenizer questions: the count the real tokenizer gave, null when it was unavailable. */
  expected?: number | null;
}

export interface QuizScore {
  /** Mean credit over counted questions, in [0, 1]. */
  score: number;
  /** Counted questions answered fully right. */
  correctCount: number;
  /** Questions that counted towards the score. */
  questionCount: number;
  /** Questions left out of the score because their answer can't be checked yet. */
  uncheckedCount: number;
  passed: boolean;
}

export interface GradedQuiz extends QuizScore {
  outcomes: QuestionOutcome[];
}

export const UNCHECKED_NOTE = "Answer checked once the real tokenizer is loaded; this question is not part of your score yet.";

/** Float slack for tolerance comparisons: 1.95 ± 0.02 must accept 1.97. */
function epsilon(...values: number[]): number {
  return 1e-9 * Math.max(1, ...values.map(Math.abs));
}

export function withinTolerance(given: number, answer: number, tolerance: number): boolean {
  return Math.abs(given - answer) <= tolerance + epsilon(given, answer, tolerance);
}

/** The partial-credit rule for multiple select (see the header comment). */
export function multipleSelectCredit(correctIds: readonly string[], selectedIds: readonly string[]): number {
  const correct = new Set(correctIds);
  const selected = new Set(selectedIds);
  let hits = 0;
  let falseAlarms = 0;
  for (const id of selected) {
    if (correct.has(id)) hits++;
    else falseAlarms++;
  }
  return correct.size === 0 ? 0 : Math.max(0, (hits - falseAlarms) / correct.size);
}

function fromCredit(credit: number): QuestionStatus {
  return credit >= 1 ? "correct" : credit > 0 ? "partial" : "incorrect";
}

function outcome(question: Question, status: QuestionStatus, credit: number, counted = true): QuestionOutcome {
  return { questionId: question.id, status, credit, counted };
}

export function gradeChoice(question: ChoiceQuestion, answer: Answer | undefined): QuestionOutcome {
  const selected = answer === undefined ? [] : Array.isArray(answer) ? answer : typeof answer === "string" ? [answer] : [];
  if (selected.length === 0) return outcome(question, "unanswered", 0);
  const correctIds = question.options.filter((o) => o.correct).map((o) => o.id);
  if (question.type === "single") {
    const credit = selected.length === 1 && selected[0] === correctIds[0] ? 1 : 0;
    return outcome(question, fromCredit(credit), credit);
  }
  const credit = multipleSelectCredit(correctIds, selected);
  return outcome(question, fromCredit(credit), credit);
}

export function gradeNumeric(question: NumericQuestion, answer: Answer | undefined): QuestionOutcome {
  if (typeof answer !== "number" || !Number.isFinite(answer)) return outcome(question, "unanswered", 0);
  const credit = withinTolerance(answer, question.answer, question.tolerance) ? 1 : 0;
  return outcome(question, fromCredit(credit), credit);
}

/** `expected` is the live token count, or null when the tokenizer is not available. */
export function gradeTokenizer(question: TokenizerQuestion, answer: Answer | undefined, expected: number | null): QuestionOutcome {
  if (expected === null) return { ...outcome(question, "unchecked", 0, false), expected: null };
  if (typeof answer !== "number" || !Number.isFinite(answer)) return { ...outcome(question, "unanswered", 0), expected };
  const credit = answer === expected ? 1 : 0;
  return { ...outcome(question, fromCredit(credit), credit), expected };
}

async function liveCount(countTokens: CountTokens, tokenizer: TokenizerId, text: string): Promise<number | null> {
  try {
    return await countTokens(tokenizer, text);
  } catch (error) {
    // A broken tokenizer must not break the quiz: the question is left unchecked instead.
    console.error(`[quiz] counting tokens with ${tokenizer} failed:`, error);
    return null;
  }
}

export async function gradeQuestion(question: Question, answer: Answer | undefined, countTokens: CountTokens): Promise<QuestionOutcome> {
  switch (question.type) {
    case "single":
    case "multiple":
      return gradeChoice(question, answer);
    case "numeric":
      return gradeNumeric(question, answer);
    case "tokenizer":
      return gradeTokenizer(question, answer, await liveCount(countTokens, question.tokenizer, question.text));
  }
}

export function scoreOutcomes(outcomes: readonly QuestionOutcome[]): QuizScore {
  const counted = outcomes.filter((o) => o.counted);
  const score = counted.length ? counted.reduce((sum, o) => sum + o.credit, 0) / counted.length : 0;
  return {
    score,
    correctCount: counted.filter((o) => o.status === "correct").length,
    questionCount: counted.length,
    uncheckedCount: outcomes.length - counted.length,
    passed: counted.length > 0 && isPassingScore(score),
  };
}

export async function gradeQuiz(quiz: Quiz, answers: AnswerMap, countTokens: CountTokens): Promise<GradedQuiz> {
  const outcomes = await Promise.all(quiz.questions.map((q) => gradeQuestion(q, answers[q.id], countTokens)));
  return { ...scoreOutcomes(outcomes), outcomes };
}

/** Did this outcome miss (so the question goes to the review queue)? */
export function isMissed(outcome: QuestionOutcome): boolean {
  return outcome.counted && outcome.credit < 1;
}

// ---- What the learner sees after submitting: their answers, the key, every explanation ----

interface ReviewBase {
  id: string;
  prompt: string;
  status: QuestionStatus;
  credit: number;
  counted: boolean;
}

export type QuestionReview =
  | (ReviewBase & {
      type: "single" | "multiple";
      options: { id: string; text: string; correct: boolean; selected: boolean; explanation: string }[];
    })
  | (ReviewBase & { type: "numeric"; given: number | null; answer: number; tolerance: number; unit: string; explanation: string })
  | (ReviewBase & {
      type: "tokenizer";
      given: number | null;
      expected: number | null;
      tokenizer: TokenizerId;
      tokenizerName: string;
      text: string;
      explanation: string;
      note?: string;
    });

export interface QuizResult extends QuizScore {
  lesson: string;
  questions: QuestionReview[];
}

function givenNumber(answer: Answer | undefined): number | null {
  return typeof answer === "number" && Number.isFinite(answer) ? answer : null;
}

function reviewQuestion(question: Question, answer: Answer | undefined, result: QuestionOutcome): QuestionReview {
  const base: ReviewBase = { id: question.id, prompt: question.prompt, status: result.status, credit: result.credit, counted: result.counted };
  switch (question.type) {
    case "single":
    case "multiple": {
      const selected = new Set(answer === undefined ? [] : Array.isArray(answer) ? answer : [String(answer)]);
      return {
        ...base,
        type: question.type,
        options: question.options.map((o) => ({ id: o.id, text: o.text, correct: o.correct, selected: selected.has(o.id), explanation: o.explanation })),
      };
    }
    case "numeric":
      return {
        ...base,
        type: "numeric",
        given: givenNumber(answer),
        answer: question.answer,
        tolerance: question.tolerance,
        unit: question.unit,
        explanation: question.explanation,
      };
    case "tokenizer":
      return {
        ...base,
        type: "tokenizer",
        given: givenNumber(answer),
        expected: result.expected ?? null,
        tokenizer: question.tokenizer,
        tokenizerName: TOKENIZER_NAMES[question.tokenizer],
        text: question.text,
        explanation: question.explanation,
        ...(result.counted ? {} : { note: UNCHECKED_NOTE }),
      };
  }
}

/**
 * The full result for the learner: score, and for each question their answer, the right
 * one and the explanation of every option. Built from stored outcomes too, so a replayed
 * submission shows exactly the result that was recorded.
 */
export function quizResult(quiz: Quiz, answers: AnswerMap, outcomes: readonly QuestionOutcome[]): QuizResult {
  const byId = new Map(outcomes.map((o) => [o.questionId, o]));
  const questions = quiz.questions.map((q) =>
    reviewQuestion(q, answers[q.id], byId.get(q.id) ?? { questionId: q.id, status: "unanswered", credit: 0, counted: true }),
  );
  return { lesson: quiz.lesson, ...scoreOutcomes(outcomes), questions };
}
