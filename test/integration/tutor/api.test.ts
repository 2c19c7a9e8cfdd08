/**
 * The tutor's routes against a real database and the real course-lm: POST /api/tutor
 * (validation, streaming order, persistence, regenerate / branch siblings, stop, the "not in
 * the course" reply), the conversation routes (authorization: anonymous → 401, someone
 * else's → 404; rename, delete), POST /api/tutor/retrieve and POST /api/tutor/messages.
 * `currentUser()` is replaced so a test can act as a learner or as anonymous; everything
 * below it is the real code. The model is loaded once for the file (the server's own cache).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth";
import { createStreamedSteps, DEFAULT_SETTINGS, type Trace, type TraceStep } from "@/lib/llm/trace";
import { TUTOR_COPY_BOOST, TUTOR_QUOTE, TUTOR_TEMPERATURE } from "@/lib/tutor/settings";
import type { Grounding, TutorEvent } from "@/lib/tutor/types";
import { createTestDatabase, useAsAppDatabase, type TestDatabase } from "../../helpers/db";

const auth = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth", () => ({ currentUser: async () => auth.user }));

const { POST: ask } = await import("@/app/api/tutor/route");
const { POST: retrieve } = await import("@/app/api/tutor/retrieve/route");
const { POST: saveMessages } = await import("@/app/api/tutor/messages/route");
const { GET: list } = await import("@/app/api/conversations/route");
const conversationRoute = await import("@/app/api/conversations/[id]/route");
const { compactTrace } = await import("@/lib/tutor/compact");
const { getServerModel, resolveServerModel, unloadServerModels } = await import("@/lib/llm/server");


const QUESTION = "How does temperature change the next-token distribution?";
const OFF_TOPIC = "How do I bake sourdough bread?";
const QUICK = { greedy: true, maxNewTokens: 10 };

let db: TestDatabase;
let userCounter = 0;
async function newUser(): Promise<SessionUser> {
  const email = `tutor-${++userCounter}-${Date.now()}@example.com`;
  const row = await db.prisma.user.create({ data: { email, name: `Learner ${userCounter}` } });
  return { id: row.id, name: row.name, email };
}

function post(handler: (r: Request) => Promise<Response>, url: string, body: unknown, raw = false) {
  return handler(
    new Request(`http://localhost${url}`, { method: "POST", headers: { "content-type": "application/json" }, body: raw ? (body as string) : JSON.stringify(body) }),
  );
}
const askTutor = (body: unknown, raw = false) => post(ask, "/api/tutor", body, raw);
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const getConversation = (id: string) => conversationRoute.GET(new Request(`http://localhost/api/conversations/${id}`), params(id));
const rename = (id: string, body: unknown) =>
  conversationRoute.PATCH(new Request(`http://localhost/api/conversations/${id}`, { method: "PATCH", body: JSON.stringify(body) }), params(id));
const remove = (id: string) => conversationRoute.DELETE(new Request(`http://localhost/api/conversations/${id}`, { method: "DELETE" }), params(id));

async function events(response: Response): Promise<TutorEvent[]> {
  expect(response.status, await response.clone().text().then((t) => t.slice(0, 300))).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
  const text = await response.text();
  expect(text.endsWith("\n")).toBe(true);
  // The wire's "done" leaves out the steps (the step lines): put them back, as the page's reader does.
  return text.trimEnd().split("\n").map((line) => JSON.parse(line) as TutorEvent).map(createStreamedSteps());
}
const ofType = <T extends TutorEvent["type"]>(all: TutorEvent[], type: T) => all.filter((e): e is Extract<TutorEvent, { type: T }> => e.type === type);
const only = <T extends TutorEvent["type"]>(all: TutorEvent[], type: T) => {
  const found = ofType(all, type);
  expect(found, `exactly one "${type}" event`).toHaveLength(1);
  return found[0];
};

async function json(response: Response, status: number) {
  expect(response.status).toBe(status);
  return response.json();
}

beforeAll(async () => {
  db = await createTestDatabase();
  useAsAppDatabase(db);
});
afterAll(async () => {
  await unloadServerModels();
  await db.close();
});

describe("POST /api/tutor: validation and authorization (before any model runs)", () => {
  it.each([
    [{ message: "" }, "message", /must not be empty/],
    [{ message: "   " }, "message", /must not be empty/],
    [{ message: "x".repeat(801) }, "message", /too long/],
    [{}, "message", /required/],
    [{ message: 42 }, "message", /string/],
    [{ message: "hi", settings: { temperature: 9 } }, "settings.temperature", /temperature must be a number in \[0, 2\]/],
    [{ message: "hi", settings: { topP: 0 } }, "settings.topP", /topP/],
    [{ message: "hi", settings: { warmth: 1 } }, "settings.warmth", /unknown field/],
    [{ message: "hi", shout: true }, "shout", /unknown field/],
    [{ message: "hi", parentId: "abc" }, "parentId", /needs a conversationId/],
    [{ message: "hi", forcedTokens: [1.5] }, "forcedTokens.0", /integers/],
    [{ message: "hi", history: [{ role: "system", content: "x" }] }, "history.0.role", /user.*assistant/],
    [{ message: "hi", conversationId: "c1", history: [] }, "history", /kept in the browser/],
    [{ message: "hi", model: "../../etc/passwd" }, null, /invalid model id/],
  ])("%j → 400 naming %s", async (body, field, message) => {
    auth.user = await newUser();
    const result = await json(await askTutor(body), 400);
    if (field) expect(result.fields[field]).toMatch(message);
    else expect(result.error).toMatch(message);
  });

  it("malformed JSON → 400; a body over the cap → 413", async () => {
    auth.user = null;
    expect((await askTutor("{nope", true)).status).toBe(400);
    expect((await askTutor({ message: "hi", history: Array(40).fill({ role: "user", content: "x".repeat(4000) }) })).status).toBe(413);
  });

  it("anonymous with a conversationId → 401; someone else's conversation or message → 404", async () => {
    const owner = await newUser();
    const conversation = await db.prisma.conversation.create({ data: { userId: owner.id, title: "Mine" } });
    auth.user = null;
    expect((await json(await askTutor({ message: QUESTION, conversationId: conversation.id }), 401)).error).toMatch(/Sign in/);
    auth.user = await newUser();
    expect((await json(await askTutor({ message: QUESTION, conversationId: conversation.id }), 404)).error).toBe("No such conversation");
    expect((await askTutor({ message: QUESTION, conversationId: "does-not-exist" })).status).toBe(404);
    auth.user = owner;
    const wrongParent = await json(await askTutor({ message: QUESTION, conversationId: conversation.id, parentId: "nope" }), 404);
    expect(wrongParent.fields.parentId).toMatch(/no such message/);
  });
});

describe("conversation routes: authorization", () => {
  it("anonymous → 401 on every route", async () => {
    auth.user = null;
    expect((await list()).status).toBe(401);
    expect((await getConversation("x")).status).toBe(401);
    expect((await rename("x", { title: "t" })).status).toBe(401);
    expect((await remove("x")).status).toBe(401);
    expect((await post(saveMessages, "/api/tutor/messages", {})).status).toBe(401);
  });

  it("another user's conversation → 404 on GET, PATCH and DELETE, and it is left alone", async () => {
    const owner = await newUser();
    const conversation = await db.prisma.conversation.create({ data: { userId: owner.id, title: "Private" } });
    auth.user = await newUser();
    expect((await getConversation(conversation.id)).status).toBe(404);
    expect((await rename(conversation.id, { title: "Hijacked" })).status).toBe(404);
    expect((await remove(conversation.id)).status).toBe(404);
    expect((await json(await list(), 200)).conversations).toEqual([]);
    expect(await db.prisma.conversation.findUnique({ where: { id: conversation.id } })).toMatchObject({ title: "Private" });
  });

  it("rename validates the title; delete removes the conversation and its messages", async () => {
    auth.user = await newUser();
    const conversation = await db.prisma.conversation.create({ data: { userId: auth.user.id, title: "Old" } });
    await db.prisma.message.create({ data: { conversationId: conversation.id, role: "user", content: "q" } });
    expect((await json(await rename(conversation.id, { title: "  " }), 400)).fields.title).toMatch(/empty/);
    expect((await json(await rename(conversation.id, { title: "x".repeat(121) }), 400)).fields.title).toMatch(/at most/);
    expect((await json(await rename(conversation.id, { title: "  New   name " }), 200)).conversation).toMatchObject({ id: conversation.id, title: "New name" });
    expect((await json(await list(), 200)).conversations.map((c: { title: string }) => c.title)).toEqual(["New name"]);
    expect((await remove(conversation.id)).status).toBe(204);
    expect((await getConversation(conversation.id)).status).toBe(404);
    expect(await db.prisma.message.count({ where: { conversationId: conversation.id } })).toBe(0);
  });
});

describe("retrieval endpoint", () => {
  it("returns passages with links for a course question, none (and lessons to try) for an off-topic one", async () => {
    const found = await json(await post(retrieve, "/api/tutor/retrieve", { message: QUESTION }), 200);
    expect(found.passages.length).toBeGreaterThan(0);
    expect(found.passages[0]).toMatchObject({ lessonSlug: "17-temperature", href: expect.stringMatching(/^\/learn\/level-1\/17-temperature(#|$)/) });
    const none = await json(await post(retrieve, "/api/tutor/retrieve", { message: OFF_TOPIC }), 200);
    expect(none.passages).toEqual([]);
    expect(none.suggestions.length).toBeGreaterThan(0);
    expect((await post(retrieve, "/api/tutor/retrieve", { message: "" })).status).toBe(400);
  });
});

describe("the \"not in the course\" reply", () => {
  it("off-topic: no model run; a fixed reply naming lessons, saved without a trace", async () => {
    auth.user = await newUser();
    const all = await events(await askTutor({ message: OFF_TOPIC }));
    expect(all.map((e) => e.type)).toEqual(["conversation", "sources", "fallback", "saved"]);
    const sources = only(all, "sources");
    expect(sources.sources).toEqual([]);
    const fallback = only(all, "fallback");
    expect(fallback.text).toMatch(/couldn't find this in the course/);
    for (const s of fallback.suggestions) expect(fallback.text).toContain(`](${s.href})`);
    const { messageId } = only(all, "saved");
    const stored = await db.prisma.message.findUniqueOrThrow({ where: { id: messageId } });
    expect(stored).toMatchObject({ role: "assistant", content: fallback.text, trace: null });
    expect((stored.sources as unknown as Grounding).suggestions).toEqual(fallback.suggestions);
  });
});

describe("POST /api/tutor on course-lm", () => {
  let first: { conversationId: string; userMessageId: string; messageId: string; trace: Trace };

  it("signed in: conversation → sources → context → prompt → steps → done → saved, and the reply is stored with its trace", async () => {
    auth.user = await newUser();
    const all = await events(await askTutor({ message: QUESTION, settings: { ...QUICK, maxNewTokens: 16 } }));
    const types = all.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual(["conversation", "sources", "context", "prompt"]);
    expect(types.slice(-2)).toEqual(["done", "saved"]);
    const steps = ofType(all, "step").map((e) => e.step);
    expect(types).toHaveLength(steps.length + 6);

    const conversation = only(all, "conversation");
    expect(conversation.title).toBe(QUESTION);
    const sources = only(all, "sources");
    expect(sources.sources[0]).toMatchObject({ lessonSlug: "17-temperature", used: true });
    const context = only(all, "context");
    const { trace } = only(all, "done");
    expect(context).toMatchObject({ limit: 512, used: trace.prompt.tokens.length, droppedTurns: 0, keptTurns: 0 });
    expect(context.used).toBeLessThanOrEqual(512 - context.reserved);
    expect(trace.steps).toEqual(steps);
    // The prompt is course-lm's trained format: <|endoftext|>, system, the passages as context turns, the question.
    expect(trace.prompt.text.startsWith("<|endoftext|><|system|>")).toBe(true);
    expect(trace.prompt.text).toContain(`<|context|>[${sources.sources[0].lessonTitle} § `);
    expect(trace.prompt.text.endsWith(`<|user|>${QUESTION}<|end|>\n<|assistant|>`)).toBe(true);

    const saved = only(all, "saved");
    expect(saved).toMatchObject({ conversationId: conversation.conversationId, messageId: conversation.messageId, finishReason: trace.finishReason });

    // Persistence round trip: what GET returns is the trace as streamed, floats rounded to 6 digits.
    const { conversation: meta, messages } = await json(await getConversation(conversation.conversationId), 200);
    expect(meta).toMatchObject({ id: conversation.conversationId, title: QUESTION, model: "course-lm" });
    expect(messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
    const [question, reply] = messages;
    expect(question).toMatchObject({ id: conversation.userMessageId, content: QUESTION, parentId: null });
    expect(reply).toMatchObject({ id: conversation.messageId, content: trace.reply.text, parentId: conversation.userMessageId, branchFromStep: null });
    expect(reply.trace).toEqual(compactTrace(trace));
    expect(reply.trace.steps.map((s: TraceStep) => s.tokenId)).toEqual(trace.steps.map((s) => s.tokenId));
    // Six significant digits: the error bound is relative (a quoted token the model found unlikely has a logprob of −16).
    reply.trace.steps.forEach((s: TraceStep, i: number) => expect(Math.abs(s.logprob - trace.steps[i].logprob)).toBeLessThanOrEqual(5e-6 * Math.max(1, Math.abs(trace.steps[i].logprob))));
    expect(reply.grounding).toMatchObject({ sources: sources.sources, context: { used: context.used, limit: 512 } });
    expect((await json(await list(), 200)).conversations[0]).toMatchObject({ id: conversation.conversationId, title: QUESTION });

    first = { conversationId: conversation.conversationId, userMessageId: conversation.userMessageId, messageId: conversation.messageId, trace };
  });

  it("regenerating with the same settings and seed (parentId = the question) adds a sibling with the same reply", async () => {
    const all = await events(await askTutor({ message: QUESTION, conversationId: first.conversationId, parentId: first.userMessageId, settings: { ...QUICK, maxNewTokens: 16 } }));
    const conversation = only(all, "conversation");
    expect(conversation).toMatchObject({ userMessageId: first.userMessageId, parentId: first.userMessageId, branchFromStep: null });
    const { trace } = only(all, "done");
    expect(trace.prompt.text).toBe(first.trace.prompt.text);
    expect(trace.steps.map((s) => s.tokenId)).toEqual(first.trace.steps.map((s) => s.tokenId));
    const siblings = await db.prisma.message.findMany({ where: { parentId: first.userMessageId } });
    expect(siblings.map((m) => m.id).sort()).toEqual([first.messageId, conversation.messageId].sort());
    // The question must be the one being answered.
    const mismatch = await json(await askTutor({ message: "something else", conversationId: first.conversationId, parentId: first.userMessageId }), 400);
    expect(mismatch.fields.message).toMatch(/question being answered again/);
  });

  it("a branch (forcedTokens = first i tokens + another candidate) is a sibling that records branchFromStep", async () => {
    const i = Math.min(2, first.trace.steps.length - 1);
    const alternative = first.trace.steps[i].candidates.find((c) => c.id !== first.trace.steps[i].tokenId && !c.special)!;
    const forcedTokens = [...first.trace.steps.slice(0, i).map((s) => s.tokenId), alternative.id];
    const all = await events(
      await askTutor({ message: QUESTION, conversationId: first.conversationId, parentId: first.userMessageId, settings: first.trace.settings, forcedTokens }),
    );
    expect(only(all, "conversation").branchFromStep).toBe(i);
    const { trace } = only(all, "done");
    expect(trace.steps.slice(0, i + 1).map((s) => s.tokenId)).toEqual(forcedTokens);
    expect(trace.steps[i].forced).toBe(true);
    const stored = await db.prisma.message.findUniqueOrThrow({ where: { id: only(all, "saved").messageId } });
    expect(stored).toMatchObject({ parentId: first.userMessageId, branchFromStep: i });
    expect(await db.prisma.message.count({ where: { parentId: first.userMessageId } })).toBe(3);
  });

  it("a follow-up question follows the reply it names; the prompt carries the earlier question, never the earlier reply", async () => {
    // A first reply with known text (forced tokens), whatever the current weights would write.
    const model = await getServerModel(resolveServerModel("course-lm"));
    const replyIds = model.tokenizer.encode("Temperature divides the logits before softmax.", { add_special_tokens: false });
    const firstTurn = await events(await askTutor({ message: QUESTION, settings: { greedy: true, maxNewTokens: replyIds.length }, forcedTokens: replyIds }));
    const { conversationId, messageId } = only(firstTurn, "conversation");
    const firstReply = only(firstTurn, "done").trace.reply.text;
    expect(firstReply).toBe("Temperature divides the logits before softmax.");

    const all = await events(await askTutor({ message: "And what does a low temperature do?", conversationId, parentId: messageId, settings: QUICK }));
    const context = only(all, "context");
    expect(context).toMatchObject({ keptTurns: 1, droppedTurns: 0 });
    expect(context.parts.history).toBeGreaterThan(0);
    const { trace } = only(all, "done");
    // The previous question, for a follow-up's sake; the reply is not fed back as if it were a fact.
    expect(trace.prompt.text).toContain(`<|user|>${QUESTION}<|end|>\n<|context|>`);
    expect(trace.prompt.text).not.toContain(firstReply);
    const question = await db.prisma.message.findUniqueOrThrow({ where: { id: only(all, "conversation").userMessageId } });
    expect(question).toMatchObject({ role: "user", parentId: messageId });
  });

  it("older turns that do not fit are dropped and reported", async () => {
    auth.user = null;
    const long = "Temperature divides the logits before softmax, so a high value flattens the distribution and a low one sharpens it. ".repeat(6);
    const history = Array.from({ length: 6 }, (_, k) => [
      { role: "user" as const, content: `Question ${k} about temperature and sampling?` },
      { role: "assistant" as const, content: long },
    ]).flat();
    const all = await events(await askTutor({ message: QUESTION, history, settings: QUICK }));
    const context = only(all, "context");
    expect(context.droppedTurns).toBeGreaterThan(0);
    expect(context.keptTurns + context.droppedTurns).toBe(6);
    expect(context.used).toBeLessThanOrEqual(512 - context.reserved);
    expect(only(all, "done").trace.prompt.tokens).toHaveLength(context.used);
  });

  it("internals: the streamed steps carry attention and the logit lens; the saved reply does not (recomputed on request)", async () => {
    auth.user = await newUser();
    const all = await events(await askTutor({ message: QUESTION, settings: { ...QUICK, maxNewTokens: 4 }, internals: true }));
    const steps = ofType(all, "step").map((e) => e.step);
    expect(steps.length).toBeGreaterThan(0);
    const promptTokens = only(all, "prompt").prompt.tokens.length;
    steps.forEach((s, i) => {
      expect(s.attention![0]![0]).toHaveLength(promptTokens + i);
      expect(s.logitLens!.at(-1)![0]!.id).toBe(s.candidates[0]!.id);
    });
    const { trace } = only(all, "done");
    const { messages } = await json(await getConversation(only(all, "conversation").conversationId), 200);
    const saved = messages[1].trace as Trace;
    expect(saved.steps.map((s) => s.tokenId)).toEqual(trace.steps.map((s) => s.tokenId));
    expect(saved.steps.every((s) => s.attention === undefined && s.logitLens === undefined)).toBe(true);
  });

  it("anonymous: streams without saving anything", async () => {
    auth.user = null;
    const before = await db.prisma.message.count();
    const all = await events(await askTutor({ message: QUESTION, settings: QUICK }));
    expect(all.map((e) => e.type)).not.toContain("conversation");
    expect(all.map((e) => e.type)).not.toContain("saved");
    expect(all.at(-1)!.type).toBe("done");
    expect(await db.prisma.message.count()).toBe(before);
  });

  it("samples at the tutor's own default temperature and copy stage unless the request sets them", async () => {
    auth.user = null;
    const trace = async (settings?: object) => only(await events(await askTutor({ message: QUESTION, settings: { maxNewTokens: 4, ...settings } })), "done").trace;
    const byDefault = await trace();
    expect(byDefault.settings).toMatchObject({ temperature: TUTOR_TEMPERATURE, copyBoost: TUTOR_COPY_BOOST, quote: TUTOR_QUOTE, topK: DEFAULT_SETTINGS.topK, topP: DEFAULT_SETTINGS.topP });
    // The copy stage ran (and says so) on every step.
    expect(byDefault.steps.every((s) => s.copy !== undefined)).toBe(true);
    expect((await trace({ temperature: 1.1 })).settings.temperature).toBe(1.1);
    const off = await trace({ copyBoost: 0 });
    expect(off.settings.copyBoost).toBe(0);
    expect(off.steps.some((s) => s.copy !== undefined)).toBe(false);
    expect(TUTOR_TEMPERATURE).toBeLessThan(DEFAULT_SETTINGS.temperature);
  });

  it("stopped part-way: the partial reply is saved with finishReason \"aborted\"", async () => {
    auth.user = await newUser();
    // 200 forced ordinary tokens: a reply that cannot end on its own before it is stopped.
    const model = await getServerModel(resolveServerModel("course-lm"));
    const the = model.tokenizer.encode(" the", { add_special_tokens: false })[0];
    const response = await askTutor({ message: QUESTION, settings: { greedy: true, maxNewTokens: 200 }, forcedTokens: Array(200).fill(the) });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let conversation: Extract<TutorEvent, { type: "conversation" }> | undefined;
    let steps = 0;
    while (steps < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (const line of buffer.split("\n").slice(0, -1)) {
        const event = JSON.parse(line) as TutorEvent;
        if (event.type === "conversation") conversation = event;
        if (event.type === "step") steps++;
      }
      buffer = buffer.slice(buffer.lastIndexOf("\n") + 1);
    }
    expect(conversation).toBeDefined();
    await reader.cancel();
    let stored = null;
    for (let tries = 0; tries < 100 && !stored; tries++) {
      stored = await db.prisma.message.findUnique({ where: { id: conversation!.messageId } });
      if (!stored) await new Promise((r) => setTimeout(r, 100));
    }
    expect(stored).not.toBeNull();
    const trace = stored!.trace as unknown as Trace;
    expect(trace.finishReason).toBe("aborted");
    expect(trace.steps.length).toBeGreaterThanOrEqual(2);
    expect(trace.steps.length).toBeLessThan(200);
    expect(stored!.content).toBe(trace.reply.text);
  });

  it("POST /api/tutor/messages saves a reply the browser generated, as a new conversation or a sibling", async () => {
    auth.user = await newUser();
    const browserTrace = { ...first.trace, model: { ...first.trace.model, backend: "wasm" } };
    const grounding = { sources: [], context: undefined };
    const created = await json(
      await post(saveMessages, "/api/tutor/messages", { message: QUESTION, reply: { content: browserTrace.reply.text, trace: browserTrace, grounding } }),
      201,
    );
    expect(created).toMatchObject({ title: QUESTION, conversationId: expect.any(String), userMessageId: expect.any(String), messageId: expect.any(String) });
    const sibling = await json(
      await post(saveMessages, "/api/tutor/messages", {
        conversationId: created.conversationId,
        parentId: created.userMessageId,
        message: QUESTION,
        reply: { content: "x", trace: browserTrace, grounding, branchFromStep: 1 },
      }),
      201,
    );
    const { messages } = await json(await getConversation(created.conversationId), 200);
    expect(messages).toHaveLength(3);
    expect(messages.find((m: { id: string }) => m.id === sibling.messageId)).toMatchObject({ parentId: created.userMessageId, branchFromStep: 1 });
    expect(messages.find((m: { id: string }) => m.id === created.messageId).trace.model.backend).toBe("wasm");
    // Links in the grounding must stay inside the course.
    const evil = await json(
      await post(saveMessages, "/api/tutor/messages", {
        message: QUESTION,
        reply: { content: "x", trace: null, grounding: { sources: [{ lessonSlug: "a", lessonTitle: "A", sectionSlug: "b", heading: "B", href: "javascript:alert(1)", score: 1, used: true, excerpt: "" }] } },
      }),
      400,
    );
    expect(JSON.stringify(evil.fields)).toMatch(/lesson/);
    // Someone else's conversation.
    auth.user = await newUser();
    expect((await post(saveMessages, "/api/tutor/messages", { conversationId: created.conversationId, message: QUESTION, reply: { content: "x", trace: null, grounding } })).status).toBe(404);
  });
});
