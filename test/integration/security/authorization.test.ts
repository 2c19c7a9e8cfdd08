/**
 * The authorization matrix (issue #8): every user-owned resource — progress, quiz attempts,
 * review items, conversations, messages, branches — for three callers: anonymous (401),
 * another learner (404, and the owner's data untouched), the owner (2xx). Real handlers and
 * a real database; `currentUser()` is replaced by a test double that names the caller.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth";
import { createTestDatabase, useAsAppDatabase, type TestDatabase } from "../../helpers/db";

const auth = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth", () => ({ currentUser: async () => auth.user }));

const progressRoute = await import("@/app/api/progress/route");
const readRoute = await import("@/app/api/progress/[lesson]/read/route");
const attemptsRoute = await import("@/app/api/quiz/[lesson]/attempts/route");
const listRoute = await import("@/app/api/conversations/route");
const conversationRoute = await import("@/app/api/conversations/[id]/route");
const messagesRoute = await import("@/app/api/tutor/messages/route");
const tutorRoute = await import("@/app/api/tutor/route");
const { getQuiz } = await import("@/lib/course/quizzes");
const { unloadServerModels } = await import("@/lib/llm/server");

const LESSON = "01-what-is-an-llm";
const QUESTION = "What is a token?";

type Caller = "anonymous" | "other" | "owner";
let db: TestDatabase;
const users = {} as Record<"owner" | "other", SessionUser>;
let conversationId = "";
let userMessageId = "";
let replyId = "";

const json = (url: string, body: unknown, method = "POST") =>
  new Request(`http://localhost${url}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const lesson = (slug: string) => ({ params: Promise.resolve({ lesson: slug }) });
const id = (value: string) => ({ params: Promise.resolve({ id: value }) });
let keys = 0;

function wrongAnswers(): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const q of getQuiz(LESSON)!.questions) {
    if (q.type === "single") answers[q.id] = q.options.find((o) => !o.correct)!.id;
    if (q.type === "multiple") answers[q.id] = q.options.filter((o) => !o.correct).map((o) => o.id);
    if (q.type === "numeric") answers[q.id] = q.answer + q.tolerance + 1;
  }
  return answers;
}
const grounding = { sources: [] };

/** An operation on the owner's resources, and the status each caller must get. */
interface Operation {
  name: string;
  run: () => Promise<Response>;
  expect: Record<Caller, number>;
}

const OPERATIONS: Operation[] = [
  { name: "GET /api/progress", run: () => progressRoute.GET(), expect: { anonymous: 401, other: 200, owner: 200 } },
  { name: "POST /api/progress/:lesson/read", run: () => readRoute.POST(json(`/api/progress/${LESSON}/read`, {}), lesson(LESSON)), expect: { anonymous: 401, other: 200, owner: 200 } },
  {
    name: "POST /api/quiz/:lesson/attempts (anonymous: graded, not stored)",
    run: () => attemptsRoute.POST(json(`/api/quiz/${LESSON}/attempts`, { idempotencyKey: `authz-attempt-${++keys}`, answers: wrongAnswers() }), lesson(LESSON)),
    expect: { anonymous: 200, other: 201, owner: 201 },
  },
  { name: "GET /api/conversations", run: () => listRoute.GET(), expect: { anonymous: 401, other: 200, owner: 200 } },
  { name: "GET /api/conversations/:id", run: () => conversationRoute.GET(new Request(`http://localhost/api/conversations/${conversationId}`), id(conversationId)), expect: { anonymous: 401, other: 404, owner: 200 } },
  {
    name: "PATCH /api/conversations/:id",
    run: () => conversationRoute.PATCH(json(`/api/conversations/${conversationId}`, { title: "Renamed by the caller" }, "PATCH"), id(conversationId)),
    expect: { anonymous: 401, other: 404, owner: 200 },
  },
  {
    name: "POST /api/tutor/messages into the conversation",
    run: () => messagesRoute.POST(json("/api/tutor/messages", { conversationId, message: "Another question?", reply: { content: "An answer.", trace: null, grounding } })),
    expect: { anonymous: 401, other: 404, owner: 201 },
  },
  {
    name: "POST /api/tutor/messages: a branch (sibling reply) of the owner's question",
    run: () =>
      messagesRoute.POST(json("/api/tutor/messages", { conversationId, parentId: userMessageId, message: QUESTION, reply: { content: "Branch.", trace: null, grounding, branchFromStep: 0 } })),
    expect: { anonymous: 401, other: 404, owner: 201 },
  },
  {
    name: "POST /api/tutor continuing the conversation",
    run: () => tutorRoute.POST(json("/api/tutor", { conversationId, parentId: replyId, message: "And what is a vocabulary?", settings: { greedy: true, maxNewTokens: 2 } })),
    expect: { anonymous: 401, other: 404, owner: 200 },
  },
];

beforeAll(async () => {
  db = await createTestDatabase();
  useAsAppDatabase(db);
  for (const who of ["owner", "other"] as const) {
    const row = await db.prisma.user.create({ data: { email: `${who}@example.com`, name: who } });
    users[who] = { id: row.id, email: row.email!, name: row.name };
  }
  auth.user = users.owner;
  const saved = await (await messagesRoute.POST(json("/api/tutor/messages", { message: QUESTION, reply: { content: "A piece of text.", trace: null, grounding } }))).json();
  ({ conversationId, userMessageId, messageId: replyId } = saved);
  // The owner has a failed quiz, hence review items and progress to protect.
  expect((await attemptsRoute.POST(json(`/api/quiz/${LESSON}/attempts`, { idempotencyKey: "owner-attempt-1", answers: wrongAnswers() }), lesson(LESSON))).status).toBe(201);
});
afterAll(async () => {
  await unloadServerModels();
  await db.close();
});

async function ownerSnapshot() {
  const userId = users.owner.id;
  const [conversation, messages, progress, attempts, reviews] = await Promise.all([
    db.prisma.conversation.findUnique({ where: { id: conversationId } }),
    db.prisma.message.count({ where: { conversationId } }),
    db.prisma.lessonProgress.findMany({ where: { userId } }),
    db.prisma.quizAttempt.count({ where: { userId } }),
    db.prisma.reviewItem.count({ where: { userId } }),
  ]);
  return { title: conversation?.title, messages, progress: progress.map((p) => [p.lessonSlug, p.attempts, p.readAt !== null]), attempts, reviews };
}

describe("authorization matrix: anonymous → 401, another learner → 404, owner → 2xx", () => {
  for (const caller of ["anonymous", "other", "owner"] as const) {
    describe(caller, () => {
      it.each(OPERATIONS.map((op) => [op.name, op] as const))("%s", async (_name, op) => {
        auth.user = caller === "anonymous" ? null : users[caller];
        const before = await ownerSnapshot();
        const response = await op.run();
        const body = await response.text();
        expect(response.status, body.slice(0, 200)).toBe(op.expect[caller]);
        if (caller !== "owner") expect(await ownerSnapshot(), "the owner's data is untouched").toEqual(before);
      });
    });
  }

  it("lists and progress never show another learner's data", async () => {
    auth.user = users.other;
    const list = (await (await listRoute.GET()).json()) as { conversations: { id: string }[] };
    expect(list.conversations.map((c) => c.id)).not.toContain(conversationId);
    const progress = await (await progressRoute.GET()).json();
    expect(JSON.stringify(progress)).not.toContain(users.owner.id);
    auth.user = users.owner;
    const mine = (await (await listRoute.GET()).json()) as { conversations: { id: string }[] };
    expect(mine.conversations.map((c) => c.id)).toContain(conversationId);
  });

  it("DELETE /api/conversations/:id: anonymous 401, another learner 404 (kept), owner 204 (gone with its messages)", async () => {
    const remove = () => conversationRoute.DELETE(new Request(`http://localhost/api/conversations/${conversationId}`, { method: "DELETE" }), id(conversationId));
    auth.user = null;
    expect((await remove()).status).toBe(401);
    auth.user = users.other;
    expect((await remove()).status).toBe(404);
    expect(await db.prisma.conversation.count({ where: { id: conversationId } })).toBe(1);
    auth.user = users.owner;
    expect((await remove()).status).toBe(204);
    expect(await db.prisma.conversation.count({ where: { id: conversationId } })).toBe(0);
    expect(await db.prisma.message.count({ where: { conversationId } })).toBe(0);
  });
});
