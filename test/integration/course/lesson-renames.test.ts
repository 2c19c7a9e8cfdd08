/**
 * Lesson 21 was inserted, so lessons 21–25 moved to 22–26 (lib/course/renamed-lessons.ts):
 * a database migrated before the move keeps every learner's progress, quiz attempts and review
 * items on the right lesson after it, and the old URLs redirect.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { openConnection, type Connection } from "@/lib/db/connection";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { isLessonSlug } from "@/lib/course/lesson-files";
import { RENAMED_LESSONS } from "@/lib/course/renamed-lessons";
import { proxy } from "@/proxy";

const MOVE = "20261203220000_lesson_21_attention";

describe("lessons 21–25 → 22–26", () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await openConnection({ kind: "pglite", dataDir: null });
    // The database as it was before the move, with a learner's records on the old slugs.
    await applyMigrations(connection.sql, readMigrations().filter((m) => m.name < MOVE));
    await connection.sql.exec(`INSERT INTO "User" ("id", "email", "passwordHash", "updatedAt") VALUES ('u1', 'a@b.c', 'x', now())`);
    for (const [i, old] of Object.keys(RENAMED_LESSONS).entries()) {
      await connection.sql.query(`INSERT INTO "LessonProgress" ("id", "userId", "lessonSlug", "updatedAt") VALUES ($1, 'u1', $2, now())`, [`p${i}`, old]);
      await connection.sql.query(
        `INSERT INTO "QuizAttempt" ("id", "userId", "lessonSlug", "idempotencyKey", "answers", "score", "correctCount", "questionCount") VALUES ($1, 'u1', $2, $1, '{}', 1, 1, 1)`,
        [`q${i}`, old],
      );
      await connection.sql.query(`INSERT INTO "ReviewItem" ("id", "userId", "lessonSlug", "questionId", "dueAt", "updatedAt") VALUES ($1, 'u1', $2, 'x', now(), now())`, [`r${i}`, old]);
    }
    await connection.sql.query(`INSERT INTO "LessonProgress" ("id", "userId", "lessonSlug", "updatedAt") VALUES ('p-keep', 'u1', '20-context-window', now())`);
  });
  afterAll(async () => {
    await connection?.close();
  });

  it("the migration moves every record to its lesson's new slug and leaves the others alone", async () => {
    const result = await applyMigrations(connection.sql);
    expect(result.applied).toContain(MOVE);
    for (const table of ["LessonProgress", "QuizAttempt", "ReviewItem"]) {
      const rows = await connection.sql.query<{ id: string; lessonSlug: string }>(`SELECT "id", "lessonSlug" FROM "${table}" ORDER BY "id"`);
      const slugs = rows.filter((r) => r.id !== "p-keep").map((r) => r.lessonSlug);
      expect(slugs, table).toEqual(Object.values(RENAMED_LESSONS));
      for (const slug of slugs) expect(isLessonSlug(slug), slug).toBe(true);
    }
    const kept = await connection.sql.query<{ lessonSlug: string }>(`SELECT "lessonSlug" FROM "LessonProgress" WHERE "id" = 'p-keep'`);
    expect(kept[0]!.lessonSlug).toBe("20-context-window");
  });

  it("the old URLs redirect permanently to the new ones; unknown ones stay 404", () => {
    for (const [old, moved] of Object.entries(RENAMED_LESSONS)) {
      expect(isLessonSlug(old), old).toBe(false);
      const response = proxy(new NextRequest(`http://localhost/learn/level-1/${old}`));
      expect(response.status, old).toBe(308);
      expect(response.headers.get("location")).toBe(`http://localhost/learn/level-1/${moved}`);
    }
    expect(proxy(new NextRequest("http://localhost/learn/level-1/99-nope")).headers.get("x-middleware-rewrite")).toMatch(/not-found/);
  });
});
