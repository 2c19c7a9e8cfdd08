/**
 * The quiz and progress route handlers against a real (PGlite or PostgreSQL) database.
 * `currentUser()` is replaced so a test can act as a signed-in learner or as anonymous;
 * everything below it — validation, grading, storage, progress, review — is the real code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth";
import { createTestDatabase, useAsAppDatabase, type TestDatabase } from "../../helpers/db";

const auth = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth", () => ({ currentUser: async () => auth.user }));

const { POST: submit } = await import("@/app/api/quiz/[lesson]/attempts/route");
const { POST: markRead } = await import("@/app/api/progress/[lesson]/read/route");
const { GET: getProgress } = await import("@/app/api/progress/route");
const { submitQuizAttempt } = await import("@/lib/course/attempts");
const { getQuiz } = await import("@/lib/course/quizzes");
const { addDays } = await import("@/lib/course/review");

const LESSON = "01-what-is-an-llm";
const quiz = getQuiz(LESSON)!;

/** Answers that get every question of a quiz right (numeric: the exact answer). */
function rightAnswers(slug = LESSON): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const q of getQuiz(slug)!.questions) {
    if (q.type === "single") answers[q.id] = q.options.find((o) => o.correct)!.id;
    if (q.type === "multiple") answers[q.id] = q.options.filter((o) => o.correct).map((o) => o.id);
    if (q.type === "numeric") answers[q.id] = q.answer;
  }
  return answers;
}
/** Every question answered wrong. */
function wrongAnswers(slug = LESSON): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const q of getQuiz(slug)!.questions) {
    if (q.type === "single") answers[q.id] = q.options.find((o) => !o.correct)!.id;
    if (q.type === "multiple") answers[q.id] = q.options.filter((o) => !o.correct).map((o) => o.id);
    if (q.type === "numeric") answers[q.id] = q.answer + q.tolerance + 1;
  }
  return answers;
}

let keyCounter = 0;
const newKey = () => `key-${Date.now()}-${++keyCounter}`;

function post(url: string, body: unknown, raw = false) {
  return new Request(`http://localhost${url}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw ? (body as string) : JSON.stringify(body),
  });
}
const params = (lesson: string) => ({ params: Promise.resolve({ lesson }) });
const submitTo = (lesson: string, body: unknown, raw = false) => submit(post(`/api/quiz/${lesson}/attempts`, body, raw), params(lesson));
const read = (lesson: string) => markRead(post(`/api/progress/${lesson}/read`, {}), params(lesson));

let db: TestDatabase;
let userCounter = 0;
async function signIn(): Promise<SessionUser> {
  const email = `learner${++userCounter}@example.com`;
  const user = await db.prisma.user.create({ data: { email, name: `Learner ${userCounter}` } });
  auth.user = { id: user.id, email, name: user.name };
  return auth.user;
}

beforeAll(async () => {
  db = await createTestDatabase();
  useAsAppDatabase(db);
});
afterAll(() => db.close());
beforeEach(() => {
  auth.user = null;
});

describe("anonymous learners", () => {
  it("get their quiz graded with every explanation, and nothing is stored", async () => {
    const response = await submitTo(LESSON, { idempotencyKey: newKey(), answers: rightAnswers() });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.saved).toBe(false);
    expect(body.result).toMatchObject({ lesson: LESSON, score: 1, passed: true });
    expect(body.result.questions).toHaveLength(quiz.questions.length);
    for (const q of body.result.questions) {
      if (q.type === "single" || q.type === "multiple") for (const o of q.options) expect(o.explanation).toBeTruthy();
      else expect(q.explanation).toBeTruthy();
    }
    expect(await db.prisma.quizAttempt.count()).toBe(0);
    expect(await db.prisma.lessonProgress.count()).toBe(0);
  });

  it("get 401 from mark-as-read and the progress API", async () => {
    const readResponse = await read(LESSON);
    expect(readResponse.status).toBe(401);
    expect(await readResponse.json()).toEqual({ error: expect.stringMatching(/Sign in/) });
    expect((await getProgress()).status).toBe(401);
  });
});

describe("validation", () => {
  it("404s for an unknown lesson", async () => {
    expect((await submitTo("99-nope", { idempotencyKey: newKey(), answers: {} })).status).toBe(404);
    await signIn();
    expect((await read("99-nope")).status).toBe(404);
  });

  it("400s naming the field, 400 for bad JSON, 413 for a huge body", async () => {
    const bad = await submitTo(LESSON, { idempotencyKey: newKey(), answers: { [quiz.questions[0].id]: "zz" } });
    expect(bad.status).toBe(400);
    const json = await bad.json();
    expect(json.error).toContain(`answers.${quiz.questions[0].id}`);
    expect(json.fields[`answers.${quiz.questions[0].id}`]).toMatch(/option ids/);

    const noKey = await submitTo(LESSON, { answers: {} });
    expect((await noKey.json()).fields).toHaveProperty("idempotencyKey");

    expect((await submitTo(LESSON, "{nope", true)).status).toBe(400);
    expect((await submitTo(LESSON, { idempotencyKey: newKey(), answers: {}, padding: "x".repeat(20_000) })).status).toBe(413);
  });
});

describe("signed-in learners", () => {
  it("store one attempt, update progress and return the result", async () => {
    const user = await signIn();
    const response = await submitTo(LESSON, { idempotencyKey: newKey(), answers: rightAnswers(), durationMs: 42_000 });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toMatchObject({ saved: true, replayed: false, result: { score: 1, passed: true } });
    // Passed but not read: still in progress.
    expect(body.progress).toMatchObject({ state: "in-progress", bestScore: 1, attempts: 1, readAt: null });

    const attempt = await db.prisma.quizAttempt.findUniqueOrThrow({ where: { id: body.attemptId } });
    expect(attempt).toMatchObject({ userId: user.id, lessonSlug: LESSON, score: 1, durationMs: 42_000, correctCount: quiz.questions.length });
    expect(attempt.answers).toMatchObject({ answers: rightAnswers() });

    // Reading it now completes the lesson.
    const readBody = await (await read(LESSON)).json();
    expect(readBody.progress).toMatchObject({ state: "completed", bestScore: 1 });
    const row = await db.prisma.lessonProgress.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.status).toBe("COMPLETED");
    expect(row.completedAt).not.toBeNull();
  });

  it("walks not started → in progress (read) → in progress (failed) → completed (passed)", async () => {
    const user = await signIn();
    const slug = "02-next-token-prediction";
    const progressOf = async () => (await (await getProgress()).json()).lessons.find((l: { slug: string }) => l.slug === slug);
    expect(await progressOf()).toMatchObject({ state: "not-started", attempts: 0 });

    expect((await (await read(slug)).json()).progress.state).toBe("in-progress");
    expect((await (await read(slug)).json()).progress.state).toBe("in-progress"); // idempotent

    const failed = await (await submitTo(slug, { idempotencyKey: newKey(), answers: wrongAnswers(slug) })).json();
    expect(failed.progress).toMatchObject({ state: "in-progress", bestScore: 0, attempts: 1 });

    const passed = await (await submitTo(slug, { idempotencyKey: newKey(), answers: rightAnswers(slug) })).json();
    expect(passed.progress).toMatchObject({ state: "completed", bestScore: 1, attempts: 2 });

    const worse = await (await submitTo(slug, { idempotencyKey: newKey(), answers: wrongAnswers(slug) })).json();
    expect(worse.progress).toMatchObject({ state: "completed", bestScore: 1, attempts: 3 });
    expect(await progressOf()).toMatchObject({ state: "completed", bestScore: 1, attempts: 3 });
    expect(await db.prisma.quizAttempt.count({ where: { userId: user.id } })).toBe(3);
  });

  it("never stores a learner's attempt under another learner", async () => {
    const first = await signIn();
    await submitTo(LESSON, { idempotencyKey: "shared-key-123", answers: rightAnswers() });
    const second = await signIn();
    const response = await submitTo(LESSON, { idempotencyKey: "shared-key-123", answers: wrongAnswers() });
    expect(response.status).toBe(201); // the key is per learner
    expect(await db.prisma.quizAttempt.count({ where: { userId: { in: [first.id, second.id] } } })).toBe(2);
  });
});

describe("idempotency", () => {
  it("a retry with the same key returns the stored result and stores nothing new", async () => {
    const user = await signIn();
    const key = newKey();
    const first = await (await submitTo(LESSON, { idempotencyKey: key, answers: wrongAnswers() })).json();
    // The retry even carries different answers (a confused client): the stored attempt wins.
    const retry = await submitTo(LESSON, { idempotencyKey: key, answers: rightAnswers() });
    expect(retry.status).toBe(200);
    const second = await retry.json();
    expect(second).toMatchObject({ saved: true, replayed: true, attemptId: first.attemptId });
    expect(second.result).toEqual(first.result);
    expect(await db.prisma.quizAttempt.count({ where: { userId: user.id } })).toBe(1);
    const progress = await db.prisma.lessonProgress.findFirstOrThrow({ where: { userId: user.id } });
    expect(progress.attempts).toBe(1);
  });

  it("concurrent duplicate submissions (double click) store exactly one attempt", async () => {
    const user = await signIn();
    const key = newKey();
    const body = { idempotencyKey: key, answers: wrongAnswers() };
    const responses = await Promise.all(Array.from({ length: 6 }, () => submitTo(LESSON, body)));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(bodies.map((b) => b.attemptId)).size).toBe(1);
    expect(bodies.filter((b) => !b.replayed)).toHaveLength(1);

    expect(await db.prisma.quizAttempt.count({ where: { userId: user.id } })).toBe(1);
    const progress = await db.prisma.lessonProgress.findFirstOrThrow({ where: { userId: user.id } });
    expect(progress.attempts).toBe(1);
    const items = await db.prisma.reviewItem.findMany({ where: { userId: user.id } });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.lapses === 1)).toBe(true); // each miss counted once
  });

  it("a twin that passed the 'already stored?' check loses at the unique index and answers with the stored result", async () => {
    const user = await signIn();
    const key = newKey();
    const first = await submitQuizAttempt(quiz, { userId: user.id, idempotencyKey: key, answers: {} });
    // Simulate the race window: the pre-check does not see the twin's row yet.
    const precheck = vi.spyOn(db.prisma.quizAttempt, "findUnique").mockResolvedValueOnce(null);
    const second = await submitQuizAttempt(quiz, { userId: user.id, idempotencyKey: key, answers: rightAnswers() as never });
    expect(precheck).toHaveBeenCalledTimes(2); // the pre-check, then the look-up after the conflict
    precheck.mockRestore();
    expect(second).toMatchObject({ replayed: true, attemptId: first.attemptId, result: { score: 0 } });
    expect(await db.prisma.quizAttempt.count({ where: { userId: user.id } })).toBe(1);
    expect((await db.prisma.lessonProgress.findFirstOrThrow({ where: { userId: user.id } })).attempts).toBe(1);
  });

  it("concurrent attempts with different keys are all counted (no lost update)", async () => {
    const user = await signIn();
    const scores = await Promise.all([
      submitTo(LESSON, { idempotencyKey: newKey(), answers: wrongAnswers() }),
      submitTo(LESSON, { idempotencyKey: newKey(), answers: rightAnswers() }),
      submitTo(LESSON, { idempotencyKey: newKey(), answers: wrongAnswers() }),
    ]);
    expect(scores.map((r) => r.status)).toEqual([201, 201, 201]);
    const progress = await db.prisma.lessonProgress.findFirstOrThrow({ where: { userId: user.id } });
    expect(progress).toMatchObject({ attempts: 3, bestScore: 1 });
  });

  it("409s when a key is reused for another lesson's quiz", async () => {
    await signIn();
    const key = newKey();
    await submitTo(LESSON, { idempotencyKey: key, answers: {} });
    const response = await submitTo("02-next-token-prediction", { idempotencyKey: key, answers: {} });
    expect(response.status).toBe(409);
    expect((await response.json()).fields).toHaveProperty("idempotencyKey");
  });
});

describe("review queue", () => {
  it("schedules missed questions after 1 day and moves them up the ladder when answered right when due", async () => {
    const user = await signIn();
    const t0 = new Date("2026-05-01T12:00:00Z");
    const missedId = quiz.questions[0].id;
    const answers = { ...rightAnswers(), [missedId]: wrongAnswers()[missedId] };

    const submitAt = (now: Date, a: Record<string, unknown>) =>
      submitQuizAttempt(quiz, { userId: user.id, idempotencyKey: newKey(), answers: a as never, now });
    const item = () => db.prisma.reviewItem.findUnique({ where: { userId_lessonSlug_questionId: { userId: user.id, lessonSlug: LESSON, questionId: missedId } } });

    await submitAt(t0, answers);
    expect(await db.prisma.reviewItem.count({ where: { userId: user.id } })).toBe(1);
    expect(await item()).toMatchObject({ step: 0, lapses: 1, dueAt: addDays(t0, 1) });

    // Right again the same day: not due yet, nothing changes.
    await submitAt(addDays(t0, 0.5), rightAnswers());
    expect(await item()).toMatchObject({ step: 0, dueAt: addDays(t0, 1) });

    // Dashboard: due after a day, not before.
    const { getProgressDashboard } = await import("@/lib/course/dashboard");
    expect((await getProgressDashboard(user.id, addDays(t0, 0.9))).review).toMatchObject({ due: [], upcomingCount: 1 });
    const due = (await getProgressDashboard(user.id, addDays(t0, 1))).review.due;
    expect(due).toEqual([
      expect.objectContaining({ lessonSlug: LESSON, questionId: missedId, prompt: quiz.questions[0].prompt, href: `/learn/level-1/${LESSON}#question-${missedId}` }),
    ]);

    const t1 = addDays(t0, 1);
    await submitAt(t1, rightAnswers());
    expect(await item()).toMatchObject({ step: 1, dueAt: addDays(t1, 3) });
    const t2 = addDays(t1, 3);
    await submitAt(t2, rightAnswers());
    expect(await item()).toMatchObject({ step: 2, dueAt: addDays(t2, 7) });

    // Missed again: back to 1 day.
    const t3 = addDays(t2, 7);
    await submitAt(t3, answers);
    expect(await item()).toMatchObject({ step: 0, lapses: 2, dueAt: addDays(t3, 1) });

    // Then right on day 1, 3 and 7: retired.
    let t = t3;
    for (const wait of [1, 3, 7]) {
      t = addDays(t, wait);
      await submitAt(t, rightAnswers());
    }
    expect(await item()).toBeNull();
  });
});

describe("a learner who read and passed every lesson", () => {
  it("has Level 1 complete: 25/25 and every concept mastered", async () => {
    const user = await signIn();
    const { getLessons } = await import("@/lib/course/lessons");
    const { markLessonRead } = await import("@/lib/course/progress-store");
    const { getProgressDashboard } = await import("@/lib/course/dashboard");
    const counter = async () => 3; // every tokenizer "says" 3, and the answers say 3
    for (const lesson of getLessons()) {
      const answers: Record<string, unknown> = rightAnswers(lesson.slug);
      for (const q of getQuiz(lesson.slug)!.questions) if (q.type === "tokenizer") answers[q.id] = 3;
      await markLessonRead(user.id, lesson.slug);
      const saved = await submitQuizAttempt(getQuiz(lesson.slug)!, { userId: user.id, idempotencyKey: newKey(), answers: answers as never }, counter);
      expect(saved.result.score, lesson.slug).toBe(1);
    }
    const dashboard = await getProgressDashboard(user.id);
    expect(dashboard.completion).toEqual({ completed: getLessons().length, total: getLessons().length, fraction: 1 });
    expect(dashboard.lessons.every((l) => l.state === "completed")).toBe(true);
    expect(dashboard.conceptsMastered).toEqual([...new Set(getLessons().flatMap((l) => l.concepts))]);
    expect(dashboard.scores).toHaveLength(getLessons().length);
    expect(dashboard.review).toEqual({ due: [], upcomingCount: 0, nextDueAt: null });
  });
});

describe("GET /api/progress", () => {
  it("reports completion, scores over time, concepts mastered and due reviews", async () => {
    await signIn();
    await read(LESSON);
    await submitTo(LESSON, { idempotencyKey: newKey(), answers: wrongAnswers() });
    await submitTo(LESSON, { idempotencyKey: newKey(), answers: rightAnswers() });
    const response = await getProgress();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toContain("no-store");
    const body = await response.json();
    expect(body.completion).toEqual({ completed: 1, total: 26, fraction: 1 / 26 });
    expect(body.scores.map((s: { score: number }) => s.score)).toEqual([0, 1]);
    expect(body.scores[0]).toMatchObject({ lessonSlug: LESSON, lessonNumber: 1 });
    const { getLesson } = await import("@/lib/course/lessons");
    expect(body.conceptsMastered).toEqual(getLesson(LESSON)!.concepts);
    expect(body.review.due).toEqual([]); // missed just now: due tomorrow
    expect(body.review.upcomingCount).toBe(quiz.questions.filter((q) => q.type !== "tokenizer").length);
  });
});
