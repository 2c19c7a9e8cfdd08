/**
 * Child process for the crash test in integrity.test.ts: opens the on-disk PGlite database
 * named by argv[2] the way the app does (lib/db/connection), then records quiz attempts one
 * after another — each a transaction writing the attempt and the learner's progress, like
 * the app's submit path — and prints "ack N" only after transaction N has committed. The
 * parent kills it with SIGKILL part-way; every acknowledged attempt must survive.
 */
import { openConnection } from "@/lib/db/connection";
import { applyMigrations } from "@/lib/db/migrate";
import { PrismaClient } from "@/lib/generated/prisma/client";

const dataDir = process.argv[2];
const connection = await openConnection({ kind: "pglite", dataDir });
await applyMigrations(connection.sql);
const prisma = new PrismaClient({ adapter: connection.adapter });
const user = await prisma.user.create({ data: { email: "crash@example.com", name: "Crash" } });
process.stdout.write(`user ${user.id}\n`);
for (let n = 1; n <= 100_000; n++) {
  await prisma.$transaction([
    prisma.quizAttempt.create({
      data: { userId: user.id, lessonSlug: "01-what-is-an-llm", idempotencyKey: `crash-attempt-${n}`, answers: {}, score: 1, correctCount: 5, questionCount: 5 },
    }),
    prisma.lessonProgress.upsert({
      where: { userId_lessonSlug: { userId: user.id, lessonSlug: "01-what-is-an-llm" } },
      create: { userId: user.id, lessonSlug: "01-what-is-an-llm", attempts: 1, bestScore: 1 },
      update: { attempts: { increment: 1 } },
    }),
  ]);
  process.stdout.write(`ack ${n}\n`);
}
