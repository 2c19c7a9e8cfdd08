import "server-only";
/**
 * Quiz attempts: grade on the server, and for a signed-in learner store the attempt, update
 * the lesson's progress and the review queue — all in one transaction, once per idempotency
 * key. A retry or a double click sends the same key and gets the stored result back.
 *
 * Two identical submissions can race past the "already stored?" check; the database's unique
 * index on (userId, idempotencyKey) decides: the loser's insert fails, its transaction rolls
 * back (nothing else of it is written), and it answers with the winner's stored result.
 */
import { z } from "zod";
import { getPrisma } from "../db/index.ts";
import type { QuizAttempt } from "../generated/prisma/client.ts";
import { gradeQuiz, isMissed, quizResult, type AnswerMap, type QuestionOutcome, type QuizResult } from "./grading.ts";
import { afterAttempt } from "./progress.ts";
import { lockLessonProgress, saveProgress, toView, type LessonProgressView, type Tx } from "./progress-store.ts";
import type { Quiz } from "./quiz-schema.ts";
import { afterCorrect, afterMiss } from "./review.ts";
import { countTokens as defaultCountTokens, type CountTokens } from "./token-counter.ts";

export interface SubmitAttemptInput {
  userId: string;
  idempotencyKey: string;
  answers: AnswerMap;
  durationMs?: number;
  now?: Date;
}

export interface SavedAttempt {
  attemptId: string;
  /** true when this key had been submitted before and the stored result was returned. */
  replayed: boolean;
  result: QuizResult;
  progress: LessonProgressView;
}

/** The same idempotency key was already used for another lesson's quiz. */
export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super("idempotencyKey was already used for another quiz; send a new key for a new attempt");
  }
}

/** What the `answers` JSON column holds: the answers as given and how each was graded. */
const storedAttemptSchema = z.object({
  answers: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.number()])),
  outcomes: z.array(
    z.object({
      questionId: z.string(),
      status: z.enum(["correct", "partial", "incorrect", "unanswered", "unchecked"]),
      credit: z.number(),
      counted: z.boolean(),
      expected: z.number().nullable().optional(),
    }),
  ),
});
type StoredAttempt = z.infer<typeof storedAttemptSchema>;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002";
}

/** How long a submission may wait for a connection, and run (ms). */
const TRANSACTION_LIMITS = { maxWait: 15_000, timeout: 15_000 } as const;

export async function submitQuizAttempt(quiz: Quiz, input: SubmitAttemptInput, countTokens: CountTokens = defaultCountTokens): Promise<SavedAttempt> {
  const prisma = await getPrisma();
  const { userId, idempotencyKey } = input;
  const findStored = () => prisma.quizAttempt.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey } } });

  const stored = await findStored();
  if (stored) return replay(quiz, stored);

  const now = input.now ?? new Date();
  const graded = await gradeQuiz(quiz, input.answers, countTokens);
  const record: StoredAttempt = { answers: input.answers as StoredAttempt["answers"], outcomes: graded.outcomes };

  try {
    const { attemptId, progress } = await prisma.$transaction(async (tx) => {
      const created = await tx.quizAttempt.create({
        data: {
          userId,
          lessonSlug: quiz.lesson,
          idempotencyKey,
          answers: record,
          score: graded.score,
          correctCount: graded.correctCount,
          questionCount: graded.questionCount,
          durationMs: input.durationMs ?? null,
          createdAt: now,
        },
      });
      // After the insert: a duplicate key fails there, before any progress is touched.
      const locked = await lockLessonProgress(tx, userId, quiz.lesson);
      const progress = await saveProgress(tx, locked, afterAttempt(locked, graded.score), now);
      await updateReviewQueue(tx, userId, quiz.lesson, graded.outcomes, now);
      return { attemptId: created.id, progress };
      // Submissions for one lesson queue on its progress row's lock; under a burst (many
      // tabs, a retrying client) the wait for the lock and for a pool connection can pass
      // Prisma's 2 s defaults, so allow longer before answering "busy".
    }, TRANSACTION_LIMITS);
    return { attemptId, replayed: false, result: quizResult(quiz, input.answers, graded.outcomes), progress: toView(progress) };
  } catch (error) {
    // The only unique index this transaction can hit outside the lesson's lock is the key's.
    const winner = isUniqueViolation(error) ? await findStored() : null;
    if (winner) return replay(quiz, winner);
    throw error;
  }
}

async function replay(quiz: Quiz, stored: QuizAttempt): Promise<SavedAttempt> {
  if (stored.lessonSlug !== quiz.lesson) throw new IdempotencyKeyReusedError();
  const prisma = await getPrisma();
  const row = await prisma.lessonProgress.findUnique({
    where: { userId_lessonSlug: { userId: stored.userId, lessonSlug: stored.lessonSlug } },
  });
  const record = storedAttemptSchema.parse(stored.answers);
  return {
    attemptId: stored.id,
    replayed: true,
    result: quizResult(quiz, record.answers, record.outcomes as QuestionOutcome[]),
    progress: row
      ? toView(row)
      : { slug: stored.lessonSlug, state: "in-progress", readAt: null, bestScore: stored.score, attempts: 1, completedAt: null },
  };
}

/** Missed questions enter (or drop back to the bottom of) the review ladder; questions
 * answered right when due move up it or retire. Unchecked questions change nothing. */
async function updateReviewQueue(tx: Tx, userId: string, lessonSlug: string, outcomes: readonly QuestionOutcome[], now: Date) {
  const items = await tx.reviewItem.findMany({ where: { userId, lessonSlug } });
  const byQuestion = new Map(items.map((item) => [item.questionId, item]));
  for (const outcome of outcomes) {
    if (!outcome.counted) continue;
    const existing = byQuestion.get(outcome.questionId) ?? null;
    if (isMissed(outcome)) {
      const schedule = afterMiss(existing, now);
      if (existing) await tx.reviewItem.update({ where: { id: existing.id }, data: schedule });
      else await tx.reviewItem.create({ data: { userId, lessonSlug, questionId: outcome.questionId, ...schedule } });
      continue;
    }
    const decision = afterCorrect(existing, now);
    if (decision.action === "schedule" && existing) await tx.reviewItem.update({ where: { id: existing.id }, data: decision.schedule });
    if (decision.action === "retire" && existing) await tx.reviewItem.delete({ where: { id: existing.id } });
  }
}

/** For a learner who is not signed in: the same grading and result, nothing stored. */
export async function gradeWithoutSaving(quiz: Quiz, answers: AnswerMap, countTokens: CountTokens = defaultCountTokens): Promise<QuizResult> {
  const graded = await gradeQuiz(quiz, answers, countTokens);
  return quizResult(quiz, answers, graded.outcomes);
}
