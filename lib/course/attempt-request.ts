/**
 * The body of `POST /api/quiz/[lesson]/attempts`, validated against the lesson's own quiz so
 * a bad answer is refused with the exact field that is wrong (`answers.tokens-what-is`).
 */
import { z } from "zod";
import type { AnswerMap } from "./grading.ts";
import type { Question, Quiz } from "./quiz-schema.ts";

/** Generous for a 5–10 question quiz, small enough that nobody can post megabytes. */
export const ATTEMPT_BODY_LIMIT_BYTES = 16 * 1024;

export const idempotencyKeySchema = z
  .string({ error: "idempotencyKey is required (a random id per attempt, reused on retries)" })
  .min(8, "idempotencyKey must be at least 8 characters")
  .max(100, "idempotencyKey must be at most 100 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "idempotencyKey may contain only letters, digits, '-' and '_'");

function answerSchema(question: Question) {
  switch (question.type) {
    case "single": {
      const ids = question.options.map((o) => o.id);
      return z.enum(ids as [string, ...string[]], { error: `must be one of the option ids ${ids.join(", ")}` });
    }
    case "multiple": {
      const ids = question.options.map((o) => o.id);
      return z
        .array(z.enum(ids as [string, ...string[]], { error: `must be option ids among ${ids.join(", ")}` }), {
          error: "must be a list of option ids",
        })
        .max(ids.length)
        .refine((picked) => new Set(picked).size === picked.length, "lists an option twice");
    }
    case "numeric":
    case "tokenizer":
      return z.number({ error: "must be a number" }).finite("must be a finite number");
  }
}

/** Answers for this quiz: each optional (null or absent = unanswered); unknown ids refused. */
export function answersSchema(quiz: Quiz) {
  const shape = Object.fromEntries(quiz.questions.map((q) => [q.id, answerSchema(q).nullish()]));
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `no such question in this quiz: ${issue.keys.join(", ")}`
        : "answers must be an object of answers by question id",
  });
}

export function attemptRequestSchema(quiz: Quiz) {
  return z.object({
    idempotencyKey: idempotencyKeySchema,
    answers: answersSchema(quiz),
    durationMs: z.number().int().nonnegative().max(24 * 60 * 60 * 1000).optional(),
  });
}

export interface AttemptRequest {
  idempotencyKey: string;
  answers: AnswerMap;
  durationMs?: number;
}

/** Drops null answers so that "unanswered" has one representation (absent). */
export function normalizeAnswers(answers: Record<string, unknown>): AnswerMap {
  const out: AnswerMap = {};
  for (const [id, value] of Object.entries(answers)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[id] = value as AnswerMap[string];
  }
  return out;
}

export function parseAttemptRequest(quiz: Quiz, body: unknown): { success: true; data: AttemptRequest } | { success: false; error: z.ZodError } {
  const parsed = attemptRequestSchema(quiz).safeParse(body);
  if (!parsed.success) return { success: false, error: parsed.error };
  const { idempotencyKey, answers, durationMs } = parsed.data;
  return { success: true, data: { idempotencyKey, answers: normalizeAnswers(answers), durationMs } };
}
