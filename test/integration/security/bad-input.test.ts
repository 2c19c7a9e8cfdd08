/**
 * The bad-input matrix (issue #8): hostile and broken requests across the APIs, each
 * answered with a 4xx JSON `{ error }` that says what is wrong — never a 500, never a stack
 * trace, never a change to Object.prototype. Real route handlers, a real database (PGlite
 * here, PostgreSQL in CI) and the real course-lm; `currentUser()` is replaced (a test
 * double for the session cookie) so a case can act as a signed-in learner.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth";
import { createTestDatabase, useAsAppDatabase, type TestDatabase } from "../../helpers/db";

const auth = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth", () => ({ currentUser: async () => auth.user }));

const generate = (await import("@/app/api/generate/route")).POST;
const tutor = (await import("@/app/api/tutor/route")).POST;
const signup = (await import("@/app/api/signup/route")).POST;
const attempts = (await import("@/app/api/quiz/[lesson]/attempts/route")).POST;
const markRead = (await import("@/app/api/progress/[lesson]/read/route")).POST;
const conversation = await import("@/app/api/conversations/[id]/route");
const { unloadServerModels } = await import("@/lib/llm/server");

type Handler = (request: Request) => Promise<Response>;
type Body = { json: unknown } | { raw: string };

interface Case {
  name: string;
  call: () => Promise<Response>;
  status: number;
  /** Part of the error message or of a field name the answer must mention. */
  mentions?: RegExp;
  signedIn?: boolean;
}

const LESSON = "01-what-is-an-llm";
const LONE_SURROGATE = "\ud800";

function request(url: string, body: Body, method = "POST"): Request {
  return new Request(`http://localhost${url}`, {
    method,
    headers: { "content-type": "application/json" },
    body: "raw" in body ? body.raw : JSON.stringify(body.json),
  });
}
const to = (handler: Handler, url: string) => (body: Body) => () => handler(request(url, body));
const gen = to(generate, "/api/generate");
const ask = to(tutor, "/api/tutor");
const join = to(signup, "/api/signup");
const quiz = (lesson: string, body: Body) => () => attempts(request(`/api/quiz/${lesson}/attempts`, body), { params: Promise.resolve({ lesson }) });
const read = (lesson: string) => () => markRead(request(`/api/progress/${lesson}/read`, { json: {} }), { params: Promise.resolve({ lesson }) });
let conversationId = "";
const renameTo = (title: unknown) => () =>
  conversation.PATCH(request(`/api/conversations/${conversationId}`, { json: { title } }, "PATCH"), { params: Promise.resolve({ id: conversationId }) });

const CASES: Case[] = [
  // ── POST /api/generate ────────────────────────────────────────────────────────────────
  { name: "generate: malformed JSON", call: gen({ raw: '{"prompt": "Hi",' }), status: 400, mentions: /JSON/ },
  { name: "generate: a JSON array instead of an object", call: gen({ json: ["Hi"] }), status: 400 },
  { name: "generate: prompt of the wrong type", call: gen({ json: { prompt: 42 } }), status: 400, mentions: /prompt/ },
  { name: "generate: neither prompt nor messages", call: gen({ json: { settings: {} } }), status: 400, mentions: /prompt|messages/ },
  { name: "generate: empty prompt", call: gen({ json: { prompt: "" } }), status: 400, mentions: /prompt|empty/ },
  { name: "generate: temperature \"NaN\"", call: gen({ json: { prompt: "Hi", settings: { temperature: "NaN" } } }), status: 400, mentions: /temperature/ },
  { name: "generate: temperature Infinity (1e999 in JSON)", call: gen({ raw: '{"prompt":"Hi","settings":{"temperature":1e999}}' }), status: 400, mentions: /temperature/ },
  { name: "generate: negative temperature", call: gen({ json: { prompt: "Hi", settings: { temperature: -1 } } }), status: 400, mentions: /temperature/ },
  { name: "generate: huge top-k", call: gen({ json: { prompt: "Hi", settings: { topK: 1e15 } } }), status: 400, mentions: /topK/ },
  { name: "generate: top-p above 1", call: gen({ json: { prompt: "Hi", settings: { topP: 1.5 } } }), status: 400, mentions: /topP/ },
  { name: "generate: maxNewTokens a billion", call: gen({ json: { prompt: "Hi", settings: { maxNewTokens: 1e9 } } }), status: 400, mentions: /maxNewTokens/ },
  { name: "generate: negative seed", call: gen({ json: { prompt: "Hi", settings: { seed: -5 } } }), status: 400, mentions: /seed/ },
  { name: "generate: path-like model id", call: gen({ json: { prompt: "Hi", model: "../../etc/passwd" } }), status: 400, mentions: /model/ },
  { name: "generate: unknown model id", call: gen({ json: { prompt: "Hi", model: "gpt-9" } }), status: 400, mentions: /course-lm/ },
  { name: "generate: lone surrogate in the prompt", call: gen({ json: { prompt: `Hi ${LONE_SURROGATE}` } }), status: 400, mentions: /surrogate|Unicode/ },
  { name: "generate: __proto__ in settings", call: gen({ raw: '{"prompt":"Hi","settings":{"__proto__":{"polluted":true}}}' }), status: 400 },
  { name: "generate: prompt beyond the context window", call: gen({ json: { prompt: "token ".repeat(3000) } }), status: 413, mentions: /context window/ },
  { name: "generate: body over the size limit", call: gen({ json: { prompt: "x".repeat(300 * 1024) } }), status: 413 },
  // ── POST /api/tutor ───────────────────────────────────────────────────────────────────
  { name: "tutor: empty message", call: ask({ json: { message: "" } }), status: 400, mentions: /message/ },
  { name: "tutor: whitespace-only message", call: ask({ json: { message: "   \n " } }), status: 400, mentions: /message/ },
  { name: "tutor: over-long message", call: ask({ json: { message: "why ".repeat(2000) } }), status: 400, mentions: /message/ },
  { name: "tutor: message of the wrong type", call: ask({ json: { message: { text: "hi" } } }), status: 400, mentions: /message/ },
  { name: "tutor: conversationId of the wrong type", call: ask({ json: { message: "What is a token?", conversationId: 7 } }), status: 400, mentions: /conversationId/ },
  { name: "tutor: constructor key smuggled in", call: ask({ raw: '{"message":"What is a token?","constructor":{"prototype":{"x":1}}}' }), status: 400 },
  { name: "tutor: settings with top-p 0", call: ask({ json: { message: "What is a token?", settings: { topP: 0 } } }), status: 400, mentions: /topP/ },
  { name: "tutor: lone surrogate", call: ask({ json: { message: `What is ${LONE_SURROGATE}?` } }), status: 400 },
  // ── POST /api/signup ──────────────────────────────────────────────────────────────────
  { name: "signup: missing email", call: join({ json: { name: "A", password: "longenough" } }), status: 400, mentions: /email/ },
  { name: "signup: not an email", call: join({ json: { name: "A", email: "not-an-email", password: "longenough" } }), status: 400, mentions: /email/ },
  { name: "signup: SQL-looking email", call: join({ json: { name: "A", email: "' OR 1=1; --", password: "longenough" } }), status: 400, mentions: /email/ },
  { name: "signup: short password", call: join({ json: { name: "A", email: "short@example.com", password: "123" } }), status: 400, mentions: /password/i },
  { name: "signup: name too long", call: join({ json: { name: "n".repeat(500), email: "long@example.com", password: "longenough" } }), status: 400, mentions: /name/i },
  // ── quiz and progress ─────────────────────────────────────────────────────────────────
  { name: "quiz: unknown lesson", call: quiz("99-nope", { json: { idempotencyKey: "k1", answers: {} } }), status: 404, signedIn: true },
  { name: "quiz: path-like lesson", call: quiz("..%2F..%2Fetc%2Fpasswd", { json: { idempotencyKey: "k2", answers: {} } }), status: 404, signedIn: true },
  { name: "quiz: answers of the wrong type", call: quiz(LESSON, { json: { idempotencyKey: "k3", answers: "all of them" } }), status: 400, mentions: /answers/, signedIn: true },
  { name: "quiz: missing idempotency key", call: quiz(LESSON, { json: { answers: {} } }), status: 400, mentions: /idempotencyKey/, signedIn: true },
  { name: "progress: mark an unknown lesson read", call: read("00-<script>"), status: 404, signedIn: true },
  // ── conversation titles ───────────────────────────────────────────────────────────────
  { name: "conversation: title too long", call: renameTo("t".repeat(1000)), status: 400, mentions: /title/, signedIn: true },
  { name: "conversation: title of the wrong type", call: renameTo(["a"]), status: 400, mentions: /title/, signedIn: true },
  { name: "conversation: empty title", call: renameTo("  "), status: 400, mentions: /title/, signedIn: true },
];

let db: TestDatabase;
let user: SessionUser;

beforeAll(async () => {
  db = await createTestDatabase();
  useAsAppDatabase(db);
  const row = await db.prisma.user.create({ data: { email: "matrix@example.com", name: "Matrix" } });
  user = { id: row.id, email: row.email!, name: row.name };
  conversationId = (await db.prisma.conversation.create({ data: { userId: user.id, title: "Mine" } })).id;
});
afterAll(async () => {
  await unloadServerModels();
  await db.close();
});

describe("bad input across the APIs: 4xx JSON naming the problem, never a 500 or a stack", () => {
  it("has at least 30 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    auth.user = c.signedIn ? user : null;
    const response = await c.call();
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(c.status);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const body = JSON.parse(text) as { error?: unknown; fields?: Record<string, string> };
    expect(typeof body.error).toBe("string");
    expect((body.error as string).length).toBeGreaterThan(3);
    expect(text).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules|Prisma|TypeError|ReferenceError/);
    if (c.mentions) expect(`${body.error} ${Object.keys(body.fields ?? {}).join(" ")}`).toMatch(c.mentions);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("SQL-looking and HTML text is stored verbatim as data: the tables are intact and the title comes back unchanged", async () => {
    auth.user = user;
    const title = `Robert'); DROP TABLE "User";-- <img src=x onerror=alert(1)>`;
    const response = await renameTo(title)();
    expect(response.status).toBe(200);
    const stored = await db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(stored.title).toBe(title);
    expect(await db.prisma.user.count()).toBeGreaterThan(0);
  });
});
