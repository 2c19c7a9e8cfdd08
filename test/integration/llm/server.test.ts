/**
 * The inference server on the real course-lm: POST /api/generate and GET /api/models called
 * directly (as Next calls them), the shared model, the queue, deadlines, cancellation and
 * injected faults. The model is loaded once for the whole file (the server's own cache).
 */
import path from "node:path";
import { ndjsonLines } from "../../helpers/ndjson";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as generate } from "@/app/api/generate/route";
import { GET as listModels } from "@/app/api/models/route";
import { generateTrace, preparePrompt } from "@/lib/llm/decode";
import type { LoadedModel } from "@/lib/llm/load";
import { batcherFor, getServerModel, queueFor, resolveServerModel, unloadServerModels } from "@/lib/llm/server";
import { WorkerPasses } from "@/lib/llm/server/pass-runner";
import { generationTestHooks as hooks } from "@/lib/llm/server/testing";
import { createStreamedSteps, type Trace, type TraceStep } from "@/lib/llm/trace";

const MODEL_DIR = path.resolve("public/models/course-lm");

/** Generous limits for a loaded 2-core machine; tests that need tight ones set them. */
const BASE = { concurrency: 1, queueLimit: 4, timeoutMs: 30_000, abortGraceMs: 250 };

type Event =
  | { type: "prompt"; model: Trace["model"]; prompt: Trace["prompt"] }
  | { type: "step"; step: TraceStep }
  | { type: "done"; trace: Trace }
  | { type: "error"; error: string; code: string };

function post(body: unknown, { raw = false, signal }: { raw?: boolean; signal?: AbortSignal } = {}) {
  return generate(
    new Request("http://localhost/api/generate", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: raw ? (body as string) : JSON.stringify(body),
      signal,
    }),
  );
}

const lines = (response: Response) => ndjsonLines<Event>(response);

async function events(response: Response): Promise<Event[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
  return lines(response).rest();
}

const withoutTimings = (t: Trace) => ({ ...t, timings: null });
const noStack = (text: string) => {
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|\/work\//);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("inference server on course-lm", () => {
  let model: LoadedModel;
  /** A long reply that cannot end early: 200 forced copies of an ordinary token. */
  let longForced: number[];

  beforeAll(async () => {
    hooks.configure(BASE);
    model = await getServerModel(resolveServerModel("course-lm"));
    const the = preparePrompt(model, { prompt: " the" }, false).ids[0];
    expect(model.eosTokenIds).not.toContain(the);
    longForced = Array(200).fill(the);
  });
  afterEach(() => {
    hooks.reset();
    hooks.configure(BASE);
    vi.restoreAllMocks();
    expect(queueFor("course-lm").stats()).toMatchObject({ running: 0, waiting: 0 });
  });
  afterAll(async () => {
    hooks.reset();
    await unloadServerModels();
  });

  describe("streaming", () => {
    it("streams prompt → one step per token → done, and the trace's reply is the steps' text", async () => {
      const all = await events(await post({ prompt: "A language model", settings: { temperature: 0.8, seed: 11, maxNewTokens: 24 } }));
      expect(all[0].type).toBe("prompt");
      expect(all.at(-1)!.type).toBe("done");
      const steps = all.filter((e): e is Extract<Event, { type: "step" }> => e.type === "step").map((e) => e.step);
      expect(all).toHaveLength(steps.length + 2);
      const { trace } = all.at(-1) as Extract<Event, { type: "done" }>;
      expect(trace.steps).toEqual(steps);
      expect(steps.map((s) => s.index)).toEqual(steps.map((_, i) => i));
      const replyIds = trace.finishReason === "eos" ? steps.slice(0, -1) : steps;
      expect(trace.reply.text).toBe(model.tokens.decode(replyIds.map((s) => s.tokenId)));
      if (replyIds.every((s) => !s.bytes && !s.special)) expect(trace.reply.text).toBe(replyIds.map((s) => s.text).join(""));
      expect(trace.model).toMatchObject({ id: "course-lm", dtype: "fp32", backend: "node", revision: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
      expect(trace.prompt.tokens.map((t) => t.id)).toEqual(preparePrompt(model, { prompt: "A language model" }).ids);
    });

    it("on the wire, done carries the trace without its steps (they are the step lines), and a reader gets decode()'s trace back whole", async () => {
      const settings = { greedy: true, maxNewTokens: 24 };
      const text = await (await post({ prompt: "The softmax function", settings })).text();
      const raw = text.trimEnd().split("\n").map((line) => JSON.parse(line) as { type: string; trace?: Record<string, unknown> });
      const done = raw.at(-1)!;
      expect(done.type).toBe("done");
      expect(done.trace).not.toHaveProperty("steps");
      expect(done.trace).toHaveProperty("reply");
      const restored = raw.map(createStreamedSteps()).at(-1) as unknown as Extract<Event, { type: "done" }>;
      const direct = await generateTrace({ model, prompt: "The softmax function", settings });
      expect(withoutTimings(restored.trace)).toEqual(withoutTimings(direct));
    });

    it("greedy through the API equals decode() directly (prompt and chat messages)", async () => {
      for (const input of [{ prompt: "The softmax function" }, { messages: [{ role: "user", content: "What is a token?" }] }]) {
        const settings = { greedy: true, maxNewTokens: 30 };
        const all = await events(await post({ ...input, settings }));
        const { trace } = all.at(-1) as Extract<Event, { type: "done" }>;
        const direct = await generateTrace({ model, ...input, settings });
        expect(withoutTimings(trace)).toEqual(withoutTimings(direct));
      }
    });

    it("a seeded sampled reply through the API equals decode() with the same seed", async () => {
      const settings = { temperature: 1, topK: 40, topP: 0.9, minP: 0.01, repetitionPenalty: 1.2, presencePenalty: 0.5, seed: 4242, maxNewTokens: 20 };
      const { trace } = (await events(await post({ prompt: "Tokens are", settings }))).at(-1) as Extract<Event, { type: "done" }>;
      expect(withoutTimings(trace)).toEqual(withoutTimings(await generateTrace({ model, prompt: "Tokens are", settings })));
    });

    it("internals: true streams each step's attention and logit lens, from the internals graph, and the same reply", async () => {
      const settings = { greedy: true, maxNewTokens: 6 };
      const input = { messages: [{ role: "user", content: "What is a token?" }] };
      const all = await events(await post({ ...input, settings, internals: true }));
      const { trace } = all.at(-1) as Extract<Event, { type: "done" }>;
      const streamed = all.filter((e): e is Extract<Event, { type: "step" }> => e.type === "step").map((e) => e.step);
      expect(streamed.every((s) => s.attention !== undefined && s.logitLens !== undefined)).toBe(true);
      expect(streamed[0]!.attention![0]![0]).toHaveLength(trace.prompt.tokens.length);
      const inside = await getServerModel(resolveServerModel("course-lm"), { internals: true });
      expect(inside.internals).toBe(true);
      expect(withoutTimings(trace)).toEqual(withoutTimings(await generateTrace({ model: inside, ...input, settings, internals: true })));
      const plain = ((await events(await post({ ...input, settings }))).at(-1) as Extract<Event, { type: "done" }>).trace;
      expect(plain.steps.map((s) => s.tokenId)).toEqual(trace.steps.map((s) => s.tokenId));
      expect(plain.steps[0]!.attention).toBeUndefined();
    });

    it("a reply replayed from its prompt's token ids with its own tokens forced, internals on, is the same reply with internals (the inspector's 'Inside the model')", async () => {
      const settings = { temperature: 0.8, seed: 11, maxNewTokens: 8 };
      const first = ((await events(await post({ messages: [{ role: "user", content: "What is a token?" }], settings }))).at(-1) as Extract<Event, { type: "done" }>).trace;
      const replay = (
        (await events(await post({ promptIds: first.prompt.tokens.map((t) => t.id), settings: first.settings, forcedTokens: first.steps.map((s) => s.tokenId), internals: true }))).at(-1) as Extract<Event, { type: "done" }>
      ).trace;
      expect(replay.prompt.tokens).toEqual(first.prompt.tokens);
      expect(replay.steps.map((s) => s.tokenId)).toEqual(first.steps.map((s) => s.tokenId));
      replay.steps.forEach((s, i) => {
        expect(Math.abs(s.logprob! - first.steps[i]!.logprob!)).toBeLessThan(1e-4);
        expect(s.attention![0]![0]).toHaveLength(first.prompt.tokens.length + i);
      });
    });

    it("any token: a replay tracking a token reports it at every step, equal to the recorded candidates where they overlap", async () => {
      const settings = { temperature: 0.9, topK: 40, seed: 3, maxNewTokens: 10 };
      const first = ((await events(await post({ prompt: "Attention lets a token", settings }))).at(-1) as Extract<Event, { type: "done" }>).trace;
      const common = first.steps[0]!.candidates[3]!.id; // among the recorded candidates at step 0
      const rare = 1999; // almost surely far outside them
      const replay = (
        (await events(await post({ promptIds: first.prompt.tokens.map((t) => t.id), settings: first.settings, forcedTokens: first.steps.map((s) => s.tokenId), trackTokens: [common, rare] }))).at(-1) as Extract<Event, { type: "done" }>
      ).trace;
      expect(replay.steps.map((s) => s.tokenId)).toEqual(first.steps.map((s) => s.tokenId));
      replay.steps.forEach((step, i) => {
        for (const id of [common, rare]) {
          const got = step.candidates.find((c) => c.id === id)!;
          expect(got.rank).toBeGreaterThanOrEqual(0);
          const recorded = first.steps[i]!.candidates.find((c) => c.id === id);
          if (recorded) {
            expect(Math.abs(got.logit - recorded.logit)).toBeLessThan(1e-4);
            expect(Math.abs(got.probAtTemperature - recorded.probAtTemperature)).toBeLessThan(1e-4);
            expect(Math.abs(got.probFinal - recorded.probFinal)).toBeLessThan(1e-4);
            expect(got.removedBy).toBe(recorded.removedBy);
          }
        }
      });
      expect(replay.steps[0]!.candidates.find((c) => c.id === common)!.rank).toBe(3);
    });

    it("forcedTokens replays a reply (array) and branches it at a step (object)", async () => {
      const settings = { temperature: 0.9, seed: 5, maxNewTokens: 10 };
      const first = ((await events(await post({ prompt: "Attention", settings }))).at(-1) as Extract<Event, { type: "done" }>).trace;
      const ids = first.steps.map((s) => s.tokenId);
      const replay = ((await events(await post({ prompt: "Attention", settings, forcedTokens: ids }))).at(-1) as Extract<Event, { type: "done" }>).trace;
      expect(replay.steps.map((s) => s.tokenId)).toEqual(ids);
      const alt = first.steps[0].candidates.find((c) => c.id !== ids[0])!.id;
      const branch = ((await events(await post({ prompt: "Attention", settings, forcedTokens: { "0": alt } }))).at(-1) as Extract<Event, { type: "done" }>).trace;
      expect(branch.steps[0]).toMatchObject({ tokenId: alt, forced: true, u: null });
    });
  });

  describe("validation: 4xx naming the field, before streaming", () => {
    const longPrompt = "tokens and logits ".repeat(400);
    const cases: [string, unknown, number, string, RegExp?][] = [
      ["malformed JSON", "{nope", 400, "", /valid JSON/],
      ["NaN literal (not JSON)", '{"prompt":"x","settings":{"temperature":NaN}}', 400, "", /valid JSON/],
      ["a JSON array", "[1,2]", 400, "body"],
      ["missing prompt", {}, 400, "prompt", /prompt \(a string\), messages .* or promptIds/],
      ["empty prompt", { prompt: "" }, 400, "prompt", /empty/],
      ["prompt of the wrong type", { prompt: 42 }, 400, "prompt", /string/],
      ["prompt and messages", { prompt: "x", messages: [{ role: "user", content: "y" }] }, 400, "messages", /not prompt and messages/],
      ["empty messages", { messages: [] }, 400, "messages", /empty/],
      ["a message without content", { messages: [{ role: "user" }] }, 400, "messages.0.content", /string/],
      ["a role the chat template refuses", { messages: [{ role: "wizard", content: "hi" }] }, 400, "messages", /Unknown role/],
      ["temperature as the string NaN", { prompt: "x", settings: { temperature: "NaN" } }, 400, "settings.temperature", /\[0, 2\].*got "NaN"/],
      ["topP as the string Infinity", { prompt: "x", settings: { topP: "Infinity" } }, 400, "settings.topP", /\(0, 1\]/],
      ["1e999 (parses to Infinity)", '{"prompt":"x","settings":{"topP":1e999}}', 400, "settings.topP", /got Infinity/],
      ["negative temperature", { prompt: "x", settings: { temperature: -1 } }, 400, "settings.temperature", /\[0, 2\]/],
      ["temperature 5", { prompt: "x", settings: { temperature: 5 } }, 400, "settings.temperature", /got 5/],
      ["topP 0", { prompt: "x", settings: { topP: 0 } }, 400, "settings.topP", /\(0, 1\].*got 0/],
      ["maxNewTokens 100000", { prompt: "x", settings: { maxNewTokens: 100000 } }, 400, "settings.maxNewTokens", /\[1, 256\]/],
      ["fractional topK", { prompt: "x", settings: { topK: 1.5 } }, 400, "settings.topK", /integer/],
      ["negative seed", { prompt: "x", settings: { seed: -1 } }, 400, "settings.seed", /unsigned 32-bit/],
      ["huge seed", { prompt: "x", settings: { seed: 2 ** 40 } }, 400, "settings.seed", /4294967295/],
      ["repetitionPenalty below 1", { prompt: "x", settings: { repetitionPenalty: 0.5 } }, 400, "settings.repetitionPenalty", /\[1, 2\]/],
      ["an unknown setting", { prompt: "x", settings: { warmth: 1 } }, 400, "settings.warmth", /unknown field/],
      ["settings not an object", { prompt: "x", settings: "hot" }, 400, "settings", /object/],
      ["an unknown model", { prompt: "x", model: "gpt-9" }, 400, "model", /known models: course-lm/],
      ["a path as model", { prompt: "x", model: "../../etc/passwd" }, 400, "model", /never paths.*known models: course-lm/],
      ["model of the wrong type", { prompt: "x", model: 7 }, 400, "model", /string/],
      ["a prompt beyond the context window", { prompt: longPrompt }, 413, "prompt", /context window is 512 tokens/],
      ["__proto__ at the top level", '{"prompt":"x","__proto__":{"polluted":true}}', 400, "__proto__", /unknown field/],
      ["constructor at the top level", '{"prompt":"x","constructor":{"prototype":{"polluted":true}}}', 400, "constructor", /unknown field/],
      ["__proto__ in settings", '{"prompt":"x","settings":{"__proto__":{"temperature":9}}}', 400, "settings.__proto__", /unknown field/],
      ["__proto__ in forcedTokens", '{"prompt":"x","forcedTokens":{"__proto__":1}}', 400, "forcedTokens.__proto__", /step indices/],
      ["a lone surrogate in the prompt", '{"prompt":"abc\\ud800"}', 400, "prompt", /lone surrogate/],
      ["a lone surrogate in a message", '{"messages":[{"role":"user","content":"\\udfff"}]}', 400, "messages.0.content", /lone surrogate/],
      ["a negative forced token", { prompt: "x", forcedTokens: [-1] }, 400, "forcedTokens.0", /token id/],
      ["a forced token outside the vocabulary", { prompt: "x", forcedTokens: [99999] }, 400, "forcedTokens.0", /vocabulary \(ids 0–2047\)/],
      ["a forced step that is not an index", { prompt: "x", forcedTokens: { first: 3 } }, 400, "forcedTokens.first", /step indices/],
      ["forcedTokens of the wrong type", { prompt: "x", forcedTokens: "3" }, 400, "forcedTokens", /list of token ids/],
      ["an empty stop string", { prompt: "x", stopStrings: [""] }, 400, "stopStrings.0", /empty/],
      ["an unknown field", { prompt: "x", temperature: 0.5 }, 400, "temperature", /unknown field.*allowed: prompt/],
      ["candidateCount 0", { prompt: "x", candidateCount: 0 }, 400, "candidateCount", /\[1, 200\]/],
      ["candidateCount above 200", { prompt: "x", candidateCount: 201 }, 400, "candidateCount", /\[1, 200\]/],
      ["a fractional candidateCount", { prompt: "x", candidateCount: 2.5 }, 400, "candidateCount", /integer/],
      ["promptIds with a non-integer", { promptIds: [1, "a"] }, 400, "promptIds.1", /token id/],
      ["promptIds beyond the vocabulary", { promptIds: [1, 99999] }, 400, "promptIds", /vocabulary/],
      ["promptIds together with a prompt", { prompt: "x", promptIds: [1] }, 400, "promptIds", /not prompt and promptIds/],
      ["more than 8 tracked tokens", { prompt: "x", trackTokens: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, 400, "trackTokens", /at most 8/],
      ["a tracked token beyond the vocabulary", { prompt: "x", trackTokens: [99999] }, 400, "trackTokens.0", /vocabulary/],
      ["internals that is not a boolean", { prompt: "x", internals: "yes" }, 400, "internals", /true or false/],
      ["internals on a model without an internals graph", { prompt: "x", model: "SmolLM2-135M-Instruct", internals: true }, 400, "internals", /no internals graph/],
    ];

    it.each(cases)("%s ⇒ %#", async (_name, body, status, field, message) => {
      const response = await post(body, { raw: typeof body === "string" });
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toMatch(/application\/json/);
      const text = await response.text();
      noStack(text);
      const json = JSON.parse(text) as { error: string; fields?: Record<string, string> };
      expect(typeof json.error).toBe("string");
      if (field) {
        expect(Object.hasOwn(json.fields ?? {}, field), JSON.stringify(json)).toBe(true);
        expect(json.error).toContain(field);
      }
      if (message) expect(json.error).toMatch(message);
    });

    it("has at least 15 cases, and none of them polluted Object.prototype", () => {
      expect(cases.length).toBeGreaterThanOrEqual(15);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty("temperature");
    });

    it("refuses a body over the size limit with 413", async () => {
      const response = await post({ prompt: "x".repeat(300 * 1024) });
      expect(response.status).toBe(413);
      expect((await response.json()).error).toMatch(/larger than/);
    });

    it("the prompt-length error gives the numbers", async () => {
      const response = await post({ prompt: "tokens and logits ".repeat(400) });
      const { error } = await response.json();
      const promptTokens = preparePrompt(model, { prompt: "tokens and logits ".repeat(400) }).ids.length;
      expect(error).toContain(`prompt is ${promptTokens} tokens`);
      expect(error).toContain("at most 511 tokens");
    });
  });

  describe("continuous batching", () => {
    it("concurrent requests share forward passes and each gets the reply and trace it would get alone", async () => {
      hooks.configure({ concurrency: 8, batchSize: 4 });
      const requests = [
        { prompt: "A language model", settings: { greedy: true, maxNewTokens: 16 } },
        { prompt: "Tokens are pieces of text that", settings: { seed: 5, temperature: 0.9, maxNewTokens: 20 } },
        { prompt: "The softmax turns logits into", settings: { greedy: true, maxNewTokens: 8 } },
        { prompt: "Training lowers the loss by", settings: { seed: 9, temperature: 1.2, topK: 20, maxNewTokens: 12 } },
        { prompt: "Perplexity", settings: { greedy: true, maxNewTokens: 16 } },
      ];
      const batcher = batcherFor("course-lm", model);
      // The server's group passes run in its worker thread (GLASSBOX_PASS_WORKER, on by default).
      expect(batcher.passes).toBeInstanceOf(WorkerPasses);
      const before = { ...batcher.stats };
      const served = await Promise.all(requests.map(async (body) => (await events(await post(body))).at(-1)));
      // More rows than passes: requests shared passes; their groups' blocks left the worker with them.
      expect(batcher.stats.stepRows - before.stepRows).toBeGreaterThan(batcher.stats.stepPasses - before.stepPasses);
      expect(batcher.passes.heldBlocks).toBe(0);
      for (const [i, body] of requests.entries()) {
        const done = served[i] as Extract<Event, { type: "done" }>;
        expect(done.type).toBe("done");
        const alone = await generateTrace({ model, prompt: body.prompt, settings: body.settings });
        expect(done.trace.steps.map((s) => s.tokenId), body.prompt).toEqual(alone.steps.map((s) => s.tokenId));
        done.trace.steps.forEach((step, j) => expect(Math.abs(step.logprob - alone.steps[j]!.logprob)).toBeLessThan(1e-4));
      }
    });
  });

  describe("queue", () => {
    it("full ⇒ 503 with Retry-After; a waiting request whose client leaves is removed", async () => {
      hooks.configure({ queueLimit: 1 });
      const queue = queueFor("course-lm");
      // A holds the slot: its body is not read, so it pauses once 64 KB (~20 lines) wait unread.
      const a = await post({ prompt: "x", settings: { greedy: true, maxNewTokens: 40 } });
      expect(a.status).toBe(200);
      // B waits for the slot.
      const bClient = new AbortController();
      const b = post({ prompt: "x", settings: { greedy: true, maxNewTokens: 5 } }, { signal: bClient.signal });
      await vi.waitFor(() => expect(queue.stats()).toMatchObject({ running: 1, waiting: 1 }));
      // C finds the queue full.
      const c = await post({ prompt: "x" });
      expect(c.status).toBe(503);
      expect(Number(c.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      const body = await c.json();
      expect(body.error).toMatch(/busy.*1 request is already waiting/);
      // B's client goes away while waiting: it leaves the queue at once.
      bClient.abort();
      expect((await b).status).toBe(499);
      expect(queue.stats()).toMatchObject({ running: 1, waiting: 0 });
      // A's client goes away: its slot is freed; the next request is served.
      await a.body!.cancel();
      expect(queue.stats()).toMatchObject({ running: 0, waiting: 0 });
      const d = await events(await post({ prompt: "x", settings: { greedy: true, maxNewTokens: 3 } }));
      expect(d.at(-1)!.type).toBe("done");
    });

    it("serves waiting requests in order, one at a time", async () => {
      const order: number[] = [];
      const responses = await Promise.all(
        [0, 1, 2].map(async (i) => {
          const r = await post({ prompt: "Attention", settings: { greedy: true, maxNewTokens: 4 } });
          order.push(i);
          const all = await events(r);
          return all.at(-1)!;
        }),
      );
      expect(order).toEqual([0, 1, 2]);
      expect(responses.every((e) => e.type === "done")).toBe(true);
    });

    it("a request that waits in the queue past the deadline gets 503 + Retry-After", async () => {
      vi.spyOn(console, "error").mockImplementation(() => {});
      // A's prefill hangs, and the grace period is long: A keeps the slot past B's wait limit.
      hooks.configure({ timeoutMs: 300, abortGraceMs: 60_000 });
      hooks.injectForwardFault("hang");
      const a = lines(await post({ prompt: "x" }));
      expect((await a.next())!.type).toBe("prompt");
      await vi.waitFor(() => expect(hooks.hungPasses()).toBe(1));
      const b = await post({ prompt: "x" });
      expect(b.status).toBe(503);
      expect(b.headers.get("retry-after")).toMatch(/^\d+$/);
      expect((await b.json()).error).toMatch(/without getting a turn/);
      // Releasing the stuck pass lets A fail with its deadline error and free the slot.
      hooks.reset();
      expect((await a.rest()).at(-1)).toMatchObject({ type: "error", code: "timeout" });
    });
  });

  describe("cancellation, deadline, faults", () => {
    it("a client that disconnects mid-stream stops the generation within one step and frees its slot", async () => {
      const client = new AbortController();
      const passesBefore = hooks.forwardPasses();
      const response = await post({ prompt: "x", settings: { greedy: true, maxNewTokens: 200 }, forcedTokens: longForced }, { signal: client.signal });
      const stream = lines(response);
      expect((await stream.next())!.type).toBe("prompt");
      for (let i = 0; i < 3; i++) expect((await stream.next())!.type).toBe("step");
      const passesAtAbort = hooks.forwardPasses();
      client.abort();
      const rest = await stream.rest();
      const passesAfter = hooks.forwardPasses();
      // At most the pass already in flight finishes; no new one starts.
      expect(passesAfter - passesAtAbort).toBeLessThanOrEqual(1);
      const last = rest.at(-1)!;
      expect(last).toMatchObject({ type: "done", trace: { finishReason: "aborted" } });
      // The generation runs a little ahead of its reader (lib/llm/server/http.ts), so lines made
      // before the abort still arrive — but only those: one token per pass run by then (the
      // prompt's pass makes the first), plus the pass in flight.
      const streamed = 3 + rest.filter((e) => e.type === "step").length;
      expect(streamed).toBeLessThanOrEqual(passesAtAbort - passesBefore + 1);
      await sleep(50);
      expect(hooks.forwardPasses()).toBe(passesAfter);
      expect(queueFor("course-lm").stats()).toMatchObject({ running: 0, waiting: 0 });
      // The queue serves the next request.
      const next = await events(await post({ prompt: "x", settings: { greedy: true, maxNewTokens: 3 } }));
      expect(next.at(-1)!.type).toBe("done");
    });

    it("cancelling the response stream (the way Next reports a disconnect) also stops it", async () => {
      const response = await post({ prompt: "x", settings: { greedy: true, maxNewTokens: 200 }, forcedTokens: longForced });
      const stream = lines(response);
      await stream.next();
      await stream.next();
      await stream.cancel();
      const passes = hooks.forwardPasses();
      await sleep(50);
      expect(hooks.forwardPasses() - passes).toBeLessThanOrEqual(1);
      expect(queueFor("course-lm").stats()).toMatchObject({ running: 0, waiting: 0 });
    });

    it("deadline: a hung forward pass fails that request cleanly, and the next request works", async () => {
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      hooks.configure({ timeoutMs: 400, abortGraceMs: 100 });
      hooks.injectForwardFault("hang", { afterPasses: 2 }); // prefill + one step, then a pass that never returns
      const started = performance.now();
      const all = await events(await post({ prompt: "x", settings: { greedy: true, maxNewTokens: 200 }, forcedTokens: longForced }));
      const elapsed = performance.now() - started;
      expect(all[0].type).toBe("prompt");
      expect(all.filter((e) => e.type === "step")).toHaveLength(2);
      const last = all.at(-1) as Extract<Event, { type: "error" }>;
      expect(last).toMatchObject({ type: "error", code: "timeout" });
      expect(last.error).toMatch(/longer than 400 ms/);
      noStack(JSON.stringify(all));
      expect(elapsed).toBeLessThan(10_000);
      expect(hooks.hungPasses()).toBe(1); // abandoned, not awaited
      expect(logged).toHaveBeenCalled();
      expect(queueFor("course-lm").stats()).toMatchObject({ running: 0, waiting: 0 });
      hooks.configure(BASE);
      const next = await events(await post({ prompt: "The softmax function", settings: { greedy: true, maxNewTokens: 8 } }));
      const { trace } = next.at(-1) as Extract<Event, { type: "done" }>;
      expect(withoutTimings(trace)).toEqual(withoutTimings(await generateTrace({ model, prompt: "The softmax function", settings: { greedy: true, maxNewTokens: 8 } })));
    });

    it("deadline: a hung group pass in the worker thread fails the requests in it cleanly, the worker is replaced, and the next requests share passes again", async () => {
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      const shared = { concurrency: 8, batchSize: 4 };
      hooks.configure({ ...shared, timeoutMs: 600, abortGraceMs: 100 });
      const passes = batcherFor("course-lm", model).passes as WorkerPasses;
      const workers = passes.workersStarted;
      // The prompts' pass(es) and a few steps together, then a group pass that never returns.
      hooks.injectForwardFault("hang", { afterPasses: 5 });
      const body = { prompt: "x", settings: { greedy: true, maxNewTokens: 200 }, forcedTokens: longForced };
      const failed = await Promise.all([post(body), post(body)].map(async (response) => (await events(await response)).at(-1)));
      for (const last of failed) expect(last).toMatchObject({ type: "error", code: "timeout" });
      expect(hooks.hungPasses()).toBe(1);
      // Once the abort grace has passed too, the batcher gives the pass up and replaces the worker.
      await vi.waitFor(() => expect(passes.workersStarted).toBe(workers + 1), { timeout: 5_000 });
      expect(logged).toHaveBeenCalled();
      expect(queueFor("course-lm").stats()).toMatchObject({ running: 0, waiting: 0 });
      hooks.configure({ ...BASE, ...shared });

      const prompts = ["The softmax function", "A token is"];
      const batcher = batcherFor("course-lm", model);
      const before = { ...batcher.stats };
      const next = await Promise.all(prompts.map(async (prompt) => (await events(await post({ prompt, settings: { greedy: true, maxNewTokens: 8 } }))).at(-1)));
      expect(batcher.stats.stepRows - before.stepRows).toBeGreaterThan(batcher.stats.stepPasses - before.stepPasses);
      for (const [i, prompt] of prompts.entries()) {
        const { trace } = next[i] as Extract<Event, { type: "done" }>;
        expect(trace.steps.map((s) => s.tokenId)).toEqual((await generateTrace({ model, prompt, settings: { greedy: true, maxNewTokens: 8 } })).steps.map((s) => s.tokenId));
      }
    });

    it("deadline without a fault: a slow generation is stopped with a timeout error", async () => {
      hooks.configure({ timeoutMs: 150 });
      const response = await post({ prompt: "x", settings: { greedy: true, maxNewTokens: 200 }, forcedTokens: longForced });
      const stream = lines(response);
      await stream.next();
      // The client reads nothing while the deadline passes: the slot is freed anyway.
      await sleep(200);
      await vi.waitFor(() => expect(queueFor("course-lm").stats().running).toBe(0), { timeout: 5_000 });
      const rest = await stream.rest();
      expect(rest.at(-1)).toMatchObject({ type: "error", code: "timeout" });
    });

    it("an engine crash mid-generation ends the stream with an error line (no stack) and the next request works", async () => {
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      hooks.injectForwardFault("throw", { afterPasses: 3 });
      const all = await events(await post({ prompt: "x", settings: { greedy: true, maxNewTokens: 50 }, forcedTokens: longForced }));
      expect(all.map((e) => e.type)).toEqual(["prompt", "step", "step", "step", "error"]);
      const last = all.at(-1) as Extract<Event, { type: "error" }>;
      expect(last.code).toBe("generation_failed");
      expect(last.error).toMatch(/failed while generating \(after 3 tokens\)/);
      expect(last.error).not.toMatch(/injected/);
      noStack(JSON.stringify(all));
      // The cause is logged on the server.
      expect(logged.mock.calls.some((args) => args.some((a) => a instanceof Error && /injected fault/.test(a.message)))).toBe(true);
      const next = await events(await post({ prompt: "x", settings: { greedy: true, maxNewTokens: 3 } }));
      expect(next.at(-1)!.type).toBe("done");
    });

    it("a crash in the very first (prefill) pass also fails cleanly", async () => {
      vi.spyOn(console, "error").mockImplementation(() => {});
      hooks.injectForwardFault("throw");
      const all = await events(await post({ prompt: "x", settings: { greedy: true, maxNewTokens: 5 } }));
      expect(all.map((e) => e.type)).toEqual(["prompt", "error"]);
      expect((await events(await post({ prompt: "x", settings: { greedy: true, maxNewTokens: 2 } }))).at(-1)!.type).toBe("done");
    });
  });

  describe("GET /api/models", () => {
    it("lists the registry with what works offline", async () => {
      const response = await listModels();
      expect(response.status).toBe(200);
      const { default: def, models } = await response.json();
      expect(def).toBe("course-lm");
      const course = models.find((m: { id: string }) => m.id === "course-lm");
      expect(course).toMatchObject({ kind: "embedded", needsNetwork: false, availableOffline: true, loaded: true, default: true, urlPath: "/models/course-lm" });
      const presets = models.filter((m: { kind: string }) => m.kind === "hub");
      expect(presets.length).toBeGreaterThanOrEqual(3);
      for (const p of presets) expect(p).toMatchObject({ needsNetwork: true, availableOffline: false, loaded: false, repo: expect.any(String) });
      expect(models.some((m: { id: string }) => m.id === "local")).toBe(false);
    });

    it("adds GLASSBOX_MODEL_DIR's model as `local`, without revealing the server's path", async () => {
      hooks.configure({ modelDir: MODEL_DIR });
      const { models } = await (await listModels()).json();
      const local = models.find((m: { id: string }) => m.id === "local");
      expect(local).toMatchObject({ kind: "local", needsNetwork: false, availableOffline: true, loaded: false });
      expect(JSON.stringify(local)).not.toContain(MODEL_DIR);
      hooks.configure({ modelDir: path.join(MODEL_DIR, "missing") });
      const missing = (await (await listModels()).json()).models.find((m: { id: string }) => m.id === "local");
      expect(missing).toMatchObject({ availableOffline: false, unavailableReason: expect.stringMatching(/missing.*onnx\/model\.onnx/) });
      expect(JSON.stringify(missing)).not.toContain(MODEL_DIR);
    });

    it("an unavailable local model ⇒ 503 naming the missing files, and the next load attempt retries", async () => {
      vi.spyOn(console, "error").mockImplementation(() => {});
      hooks.configure({ modelDir: path.join(MODEL_DIR, "missing") });
      const response = await post({ prompt: "x", model: "local" });
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(text).toMatch(/not available on this server: files missing in GLASSBOX_MODEL_DIR/);
      expect(text).not.toContain(MODEL_DIR);
    });
  });
});
