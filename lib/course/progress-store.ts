import "server-only";
/**
 * Lesson progress in the database: the rows behind the rules of progress.ts.
 *
 * Every write to one learner's lesson (mark as read, a quiz attempt) first locks that
 * lesson's LessonProgress row (creating it if needed) inside its transaction, so two
 * requests at once — two tabs, a double click — are applied one after the other and no
 * update (attempt count, best score, review step) is lost. Works the same on PGlite and
 * PostgreSQL.
 */
import { getPrisma } from "../db/index.ts";
import type { LessonProgress, LessonStatus, Prisma } from "../generated/prisma/client.ts";
import { afterRead, lessonState, type LessonState, type ProgressFacts } from "./progress.ts";

export type Tx = Prisma.TransactionClient;

export interface LessonProgressView {
  slug: string;
  state: LessonState;
  readAt: string | null;
  bestScore: number | null;
  attempts: number;
  completedAt: string | null;
}

const STATUS: Record<LessonState, LessonStatus> = {
  "not-started": "NOT_STARTED",
  "in-progress": "IN_PROGRESS",
  completed: "COMPLETED",
};

export function toView(row: LessonProgress): LessonProgressView {
  return {
    slug: row.lessonSlug,
    state: lessonState(row),
    readAt: row.readAt?.toISOString() ?? null,
    bestScore: row.bestScore,
    attempts: row.attempts,
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

/** Creates the learner's row for the lesson if missing, then locks it until the transaction ends. */
export async function lockLessonProgress(tx: Tx, userId: string, lessonSlug: string): Promise<LessonProgress> {
  // INSERT … ON CONFLICT DO NOTHING: safe when two requests create the row at once.
  await tx.lessonProgress.createMany({ data: [{ userId, lessonSlug, status: "NOT_STARTED" }], skipDuplicates: true });
  await tx.$queryRaw`SELECT 1 FROM "LessonProgress" WHERE "userId" = ${userId} AND "lessonSlug" = ${lessonSlug} FOR UPDATE`;
  return tx.lessonProgress.findUniqueOrThrow({ where: { userId_lessonSlug: { userId, lessonSlug } } });
}

/** Writes new facts to a locked row, with the status the rules give them. */
export async function saveProgress(tx: Tx, row: LessonProgress, facts: ProgressFacts, now: Date): Promise<LessonProgress> {
  const state = lessonState(facts);
  return tx.lessonProgress.update({
    where: { id: row.id },
    data: {
      readAt: facts.readAt,
      bestScore: facts.bestScore,
      attempts: facts.attempts,
      status: STATUS[state],
      // The moment it was first completed; a later, lower score never un-completes it.
      completedAt: state === "completed" ? (row.completedAt ?? now) : row.completedAt,
    },
  });
}

/** "Mark as read". Idempotent: the first read time is kept. */
export async function markLessonRead(userId: string, lessonSlug: string, now = new Date()): Promise<LessonProgressView> {
  const prisma = await getPrisma();
  const row = await prisma.$transaction(async (tx) => {
    const locked = await lockLessonProgress(tx, userId, lessonSlug);
    return saveProgress(tx, locked, afterRead(locked, now), now);
  });
  return toView(row);
}

export async function getLessonProgress(userId: string, lessonSlug: string): Promise<LessonProgressView | null> {
  const prisma = await getPrisma();
  const row = await prisma.lessonProgress.findUnique({ where: { userId_lessonSlug: { userId, lessonSlug } } });
  return row ? toView(row) : null;
}

/** Progress on every lesson the learner has touched, by slug. */
export async function getAllLessonProgress(userId: string): Promise<Map<string, LessonProgressView>> {
  const prisma = await getPrisma();
  const rows = await prisma.lessonProgress.findMany({ where: { userId } });
  return new Map(rows.map((row) => [row.lessonSlug, toView(row)]));
}
