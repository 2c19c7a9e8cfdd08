/**
 * The quiz file format (content/level-1/NN-slug.quiz.json, see content/README.md), as a zod
 * schema. Every quiz file is validated with it when loaded and in the tests, so a typo in a
 * quiz (two correct answers to a single-choice question, a missing explanation) fails loudly
 * instead of grading learners wrongly.
 */
import { z } from "zod";
import { TOKENIZER_IDS } from "./token-counter.ts";

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "ids are lower-case letters, digits and dashes");
const text = z.string().trim().min(1);

export const optionSchema = z.strictObject({
  id,
  text,
  correct: z.boolean(),
  /** Shown after submitting, whether or not the learner picked this option. */
  explanation: text,
});

const uniqueOptionIds = (options: { id: string }[]) => new Set(options.map((o) => o.id)).size === options.length;

export const singleQuestionSchema = z
  .strictObject({ id, type: z.literal("single"), prompt: text, options: z.array(optionSchema).min(2).max(8) })
  .refine((q) => q.options.filter((o) => o.correct).length === 1, "a single-choice question has exactly one correct option")
  .refine((q) => uniqueOptionIds(q.options), "option ids must be unique");

export const multipleQuestionSchema = z
  .strictObject({ id, type: z.literal("multiple"), prompt: text, options: z.array(optionSchema).min(3).max(8) })
  .refine((q) => q.options.some((o) => o.correct), "a multiple-select question has at least one correct option")
  .refine((q) => uniqueOptionIds(q.options), "option ids must be unique");

export const numericQuestionSchema = z.strictObject({
  id,
  type: z.literal("numeric"),
  prompt: text,
  answer: z.number().finite(),
  /** Absolute: an answer within ±tolerance of `answer` (inclusive) is right. 0 = exact. */
  tolerance: z.number().finite().nonnegative().default(0),
  unit: z.string().default(""),
  /** The worked solution. */
  explanation: text,
});

export const tokenizerQuestionSchema = z.strictObject({
  id,
  type: z.literal("tokenizer"),
  prompt: text,
  tokenizer: z.enum(TOKENIZER_IDS),
  text: z.string().min(1),
  explanation: text,
});

export const questionSchema = z.discriminatedUnion("type", [
  singleQuestionSchema,
  multipleQuestionSchema,
  numericQuestionSchema,
  tokenizerQuestionSchema,
]);

export const quizSchema = z
  .strictObject({
    lesson: z.string().regex(/^\d{2}-[a-z0-9-]+$/),
    questions: z.array(questionSchema).min(5),
  })
  .refine((quiz) => new Set(quiz.questions.map((q) => q.id)).size === quiz.questions.length, {
    message: "question ids must be unique within a quiz",
    path: ["questions"],
  });

export type QuizOption = z.infer<typeof optionSchema>;
export type SingleQuestion = z.infer<typeof singleQuestionSchema>;
export type MultipleQuestion = z.infer<typeof multipleQuestionSchema>;
export type NumericQuestion = z.infer<typeof numericQuestionSchema>;
export type TokenizerQuestion = z.infer<typeof tokenizerQuestionSchema>;
export type ChoiceQuestion = SingleQuestion | MultipleQuestion;
export type Question = z.infer<typeof questionSchema>;
export type Quiz = z.infer<typeof quizSchema>;
export type QuestionType = Question["type"];
