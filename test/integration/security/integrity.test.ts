/**
 * Data integrity (issue #8): many concurrent quiz submissions by one learner are each
 * stored once with consistent progress, and a server killed mid-write loses nothing it had
 * acknowledged. Real handlers, a real database; `currentUser()` is replaced by a test double.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth";
import { openConnection } from "@/lib/db/connection";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createTestDatabase, useAsAppDatabase, type TestDatabase } from "../../helpers/db";

const auth = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth", () => ({ currentUser: async () => auth.user }));

const attemptsRoute = await import("@/app/api/quiz/[lesson]/attempts/route");
const { getQuiz } = await import("@/lib/course/quizzes");

const LESSON = "02-next-token-prediction";

function answers(right: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of getQuiz(LESSON)!.questions) {
    if (q.type === "single") out[q.id] = q.options.find((o) => o.correct === right)!.id;
    if (q.type === "multiple") out[q.id] = q.options.filter((o) => o.correct === right).map((o) => o.id);
    if (q.type === "numeric") out[q.id] = right ? q.answer : q.answer + q.tolerance + 1;
  }
  return out;
}
const submit = (key: string, right: boolean) =>
  attemptsRoute.POST(
    new Request(`http://localhost/api/quiz/${LESSON}/attempts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ idempotencyKey: key, answers: answers(right) }),
    }),
    { params: Promise.resolve({ lesson: LESSON }) },
  );

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  useAsAppDatabase(db);
});
afterAll(() => db.close());

describe("concurrent quiz submissions by one learner", () => {
  it("50 at once, each with its own key: all stored once, attempts = 50, best score = the best attempt", async () => {
    const row = await db.prisma.user.create({ data: { email: "fifty@example.com", name: "Fifty" } });
    auth.user = { id: row.id, email: row.email!, name: row.name };
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => submit(`fifty-attempt-${i}`, i === 17)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(await db.prisma.quizAttempt.count({ where: { userId: row.id } })).toBe(50);
    const progress = await db.prisma.lessonProgress.findUniqueOrThrow({ where: { userId_lessonSlug: { userId: row.id, lessonSlug: LESSON } } });
    expect(progress.attempts).toBe(50);
    expect(progress.bestScore).toBe(1);
  });

  it("the same 10 keys sent 5 times each, all at once: 10 attempts stored, every duplicate answered with the stored result", async () => {
    const row = await db.prisma.user.create({ data: { email: "dupes@example.com", name: "Dupes" } });
    auth.user = { id: row.id, email: row.email!, name: row.name };
    const keys = Array.from({ length: 50 }, (_, i) => `dupe-attempt-${i % 10}`);
    const responses = await Promise.all(keys.map((key) => submit(key, false)));
    expect(responses.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(responses.filter((r) => r.status === 201)).toHaveLength(10);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { attemptId: string; replayed: boolean }[];
    expect(bodies.filter((b) => b.replayed)).toHaveLength(40);
    // Every submission of a key names the one stored attempt.
    const idsByKey = new Map<string, Set<string>>();
    bodies.forEach((b, i) => idsByKey.set(keys[i], (idsByKey.get(keys[i]) ?? new Set()).add(b.attemptId)));
    expect(idsByKey.size).toBe(10);
    for (const ids of idsByKey.values()) expect(ids.size).toBe(1);
    expect(await db.prisma.quizAttempt.count({ where: { userId: row.id } })).toBe(10);
    const progress = await db.prisma.lessonProgress.findUniqueOrThrow({ where: { userId_lessonSlug: { userId: row.id, lessonSlug: LESSON } } });
    expect(progress.attempts).toBe(10);
  });
});

describe("a server killed mid-write", () => {
  it("loses no acknowledged write: after SIGKILL the database reopens with every acknowledged attempt and consistent progress", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "glassbox-crash-"));
    try {
      const child = spawn(process.execPath, ["--import", "tsx", path.resolve("test/integration/security/crash-writer.ts"), dataDir], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let acknowledged = 0;
      let userId = "";
      await new Promise<void>((resolve, reject) => {
        let buffer = "";
        child.stdout.on("data", (chunk: Buffer) => {
          buffer += chunk.toString();
          let nl;
          while ((nl = buffer.indexOf("\n")) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            if (line.startsWith("user ")) userId = line.slice(5);
            if (line.startsWith("ack ")) acknowledged = Number(line.slice(4));
            // Kill while writes are in flight, not between runs.
            if (acknowledged >= 40 && !child.killed) {
              child.kill("SIGKILL");
              resolve();
            }
          }
        });
        child.on("exit", () => resolve());
        child.on("error", reject);
      });
      await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve)));
      expect(child.signalCode).toBe("SIGKILL");
      expect(acknowledged).toBeGreaterThanOrEqual(40);

      const connection = await openConnection({ kind: "pglite", dataDir });
      const prisma = new PrismaClient({ adapter: connection.adapter });
      try {
        const stored = await prisma.quizAttempt.count({ where: { userId } });
        const progress = await prisma.lessonProgress.findFirstOrThrow({ where: { userId } });
        // Every acknowledged attempt is there; at most the one in flight at the kill is extra.
        expect(stored).toBeGreaterThanOrEqual(acknowledged);
        expect(stored).toBeLessThanOrEqual(acknowledged + 1);
        // Attempt and progress were written in one transaction: they agree.
        expect(progress.attempts).toBe(stored);
      } finally {
        await prisma.$disconnect();
        await connection.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
