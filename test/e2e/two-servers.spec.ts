/**
 * Two app servers on one PostgreSQL database, as behind a load balancer (issue #18): both are
 * started at once on a new, empty database (each start migrates it; the advisory lock lets one
 * do it), with one shared AUTH_SECRET. A learner signs up on one and continues on the other —
 * the session holds, the lesson read, the tutor conversation and the quiz attempt made on one
 * are there on the other — and a quiz attempt posted to both with one idempotency key, even at
 * the same moment, is stored once.
 *
 * Needs a PostgreSQL server (TEST_POSTGRES_URL; CI sets it): with PGlite two servers cannot
 * share one database.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { getQuiz } from "@/lib/course/quizzes";
import { createPostgresDatabase, startAppServers, type AppServer } from "../../scripts/lib/app-server";
import { AuthPages, uniqueEmail } from "./pages/auth";
import { CoursePages } from "./pages/course";

const postgres = process.env.TEST_POSTGRES_URL;
const SLUG = "01-what-is-an-llm"; // no tokenizer questions: all its answers are in the quiz file
const QUESTION = "What is a token?";

/** Right answers for the lesson's quiz, by question id, as the quiz form posts them. */
function rightAnswers(slug: string): Record<string, unknown> {
  const quiz = getQuiz(slug)!;
  return Object.fromEntries(
    quiz.questions.map((q) => {
      switch (q.type) {
        case "single":
          return [q.id, q.options.find((o) => o.correct)!.id];
        case "multiple":
          return [q.id, q.options.filter((o) => o.correct).map((o) => o.id)];
        case "numeric":
          return [q.id, q.answer];
        case "tokenizer":
          throw new Error(`${slug}: tokenizer questions need the tokenizer's count; pick a lesson without them`);
      }
    }),
  );
}

const postAttempt = (request: APIRequestContext, server: AppServer, idempotencyKey: string) =>
  request.post(`${server.url}/api/quiz/${SLUG}/attempts`, { data: { idempotencyKey, answers: rightAnswers(SLUG) } });

test.describe("two servers, one PostgreSQL database", () => {
  // Skipped only without a PostgreSQL server (TEST_POSTGRES_URL): PGlite allows one process per database, so two servers cannot share one; CI always runs it.
  test.skip(!postgres, "needs a PostgreSQL server: set TEST_POSTGRES_URL (CI does)"); // reason: PGlite is one process per database; CI runs it
  test.describe.configure({ mode: "serial", timeout: 300_000 });

  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let dataDir: string;
  let servers: AppServer[] = [];

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    database = await createPostgresDatabase(postgres!, "glassbox_e2e");
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "glassbox-two-servers-"));
    const env = {
      DATABASE_URL: database.url,
      AUTH_SECRET: crypto.randomBytes(32).toString("base64url"), // shared: a session issued by one is valid on the other
      GLASSBOX_DATA_DIR: dataDir,
    };
    // At once, on the empty database: both try to migrate it.
    servers = await startAppServers([3221, 3222].map((port) => ({ port, env, build: false, readyTimeoutMs: 180_000 })));
  });

  test.afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("both servers are healthy on the one database, migrated once", async ({ request }) => {
    for (const server of servers) {
      const health = await (await request.get(`${server.url}/api/health`)).json();
      expect(health).toMatchObject({ status: "ok", database: { reachable: true, engine: "postgres", migrations: "applied" } });
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; times: number }>(
        'SELECT migration_name AS name, count(*)::int AS times FROM "_prisma_migrations" GROUP BY migration_name',
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((row) => row.times !== 1)).toEqual([]);
    } finally {
      await client.end();
    }
  });

  test("sign up on one server, continue on the other: session, lesson read, tutor conversation and quiz attempt", async ({ browser }) => {
    const [one, two] = servers as [AppServer, AppServer];
    // One browser, like a learner behind a load balancer: the session cookie is for localhost,
    // whichever server (port) answers.
    const context = await browser.newContext({ baseURL: one.url });
    const page = await context.newPage();
    const auth = new AuthPages(page);
    const course = new CoursePages(page);

    await auth.signUp({ name: "Lin", email: uniqueEmail("lin"), password: "a shared passphrase" });
    await auth.expectSignedInAs("Lin");
    await course.openLesson(SLUG);
    await course.markAsRead();

    // The other server knows the session and sees the lesson read.
    await page.goto(`${two.url}/progress`);
    await auth.expectSignedInAs("Lin");
    await expect(page.locator(`[data-lesson="${SLUG}"]`).getByText("In progress")).toBeVisible();

    // A tutor turn on the second server, saved; reopened on the first.
    await page.goto(`${two.url}/tutor`);
    const input = page.getByLabel("Your question");
    await input.fill(QUESTION);
    await input.press("Enter");
    const reply = page.getByTestId("chat").getByTestId("assistant-message").last();
    await expect(reply).toHaveAttribute("data-status", "done", { timeout: 90_000 });
    const list = page.getByRole("navigation", { name: "Saved conversations" }).filter({ visible: true });
    await expect(list.getByRole("button", { name: QUESTION, exact: true })).toBeVisible();

    await page.goto(`${one.url}/tutor`);
    const listOnOne = page.getByRole("navigation", { name: "Saved conversations" }).filter({ visible: true });
    await listOnOne.getByRole("button", { name: QUESTION, exact: true }).click();
    await expect(page.getByTestId("chat").getByTestId("user-message")).toHaveText([QUESTION]);
    await expect(page.getByTestId("chat").getByTestId("assistant-message").last().getByRole("button", { name: "Inspect" })).toBeVisible();

    // A quiz passed on the first server completes the lesson on the second.
    const passed = await postAttempt(page.request, one, `two-servers-${crypto.randomUUID()}`);
    expect(passed.status()).toBe(201);
    await page.goto(`${two.url}/progress`);
    await expect(page.locator(`[data-lesson="${SLUG}"]`).getByText("Completed")).toBeVisible();
    await context.close();
  });

  test("a quiz attempt posted to both servers with one idempotency key is stored once — one after the other, and at the same moment", async ({ browser }) => {
    const [one, two] = servers as [AppServer, AppServer];
    const context = await browser.newContext({ baseURL: one.url });
    const page = await context.newPage();
    await new AuthPages(page).signUp({ name: "Kai", email: uniqueEmail("kai"), password: "an idempotent passphrase" });
    await new AuthPages(page).expectSignedInAs("Kai");

    // A retry that lands on the other server: the same attempt, replayed (200), not a second one.
    const key = `retry-${crypto.randomUUID()}`;
    const first = await postAttempt(page.request, one, key);
    const retried = await postAttempt(page.request, two, key);
    expect([first.status(), retried.status()]).toEqual([201, 200]);
    const [a, b] = [await first.json(), await retried.json()];
    expect(b.attemptId).toBe(a.attemptId);
    expect(b.replayed).toBe(true);

    // Both at once: exactly one stores it, the other replays it.
    const raceKey = `race-${crypto.randomUUID()}`;
    const raced = await Promise.all([postAttempt(page.request, one, raceKey), postAttempt(page.request, two, raceKey)]);
    expect(raced.map((r) => r.status()).sort()).toEqual([200, 201]);
    const ids = await Promise.all(raced.map(async (r) => (await r.json()).attemptId));
    expect(ids[0]).toBe(ids[1]);

    // Two attempts in all, whichever server is asked.
    for (const server of servers) {
      const progress = await (await page.request.get(`${server.url}/api/progress`)).json();
      const lesson = progress.lessons.find((l: { slug: string }) => l.slug === SLUG);
      expect(lesson.attempts).toBe(2);
    }
    await context.close();
  });
});
