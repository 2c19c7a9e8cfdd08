/**
 * Text scoring (lib/llm/score.ts) and POST /api/score on the real course-lm, plus decode()'s
 * `promptIds` input and /api/generate's candidateCount.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as generate } from "@/app/api/generate/route";
import { POST as score } from "@/app/api/score/route";
import { generateTrace, preparePrompt } from "@/lib/llm/decode";
import type { LoadedModel } from "@/lib/llm/load";
import { buildScoreRequest, planScore, scoreText, scoreTokenIds, TextTooShortError, type ScoreResult } from "@/lib/llm/score";
import { getServerModel, queueFor, resolveServerModel, unloadServerModels } from "@/lib/llm/server";
import { generationTestHooks as hooks } from "@/lib/llm/server/testing";
import { createStreamedSteps, type Trace } from "@/lib/llm/trace";

const TEXT = "A token is a piece of text. The model reads tokens.";
const withoutTimings = (t: Trace) => ({ ...t, timings: null });

function post(handler: (r: Request) => Promise<Response>, url: string, body: unknown, raw = false) {
  return handler(new Request(`http://localhost${url}`, { method: "POST", headers: { "content-type": "application/json" }, body: raw ? (body as string) : JSON.stringify(body) }));
}

describe("planScore (no model)", () => {
  it("splits ids into one prompt token and the forced rest, cut to the limit", () => {
    expect(planScore([1, 2, 3], 512)).toMatchObject({ promptIds: [1], forcedTokens: [2, 3], totalTokens: 3, scoredTokens: 2, truncated: false, maxTokens: 257 });
    const long = Array.from({ length: 300 }, (_, i) => i);
    const cut = planScore(long, 512);
    expect(cut.forcedTokens).toHaveLength(256);
    expect(cut).toMatchObject({ truncated: true, keptTokens: 257, totalTokens: 300 });
    expect(planScore(long, 100)).toMatchObject({ keptTokens: 100, scoredTokens: 99, maxTokens: 100, truncated: true });
    expect(() => planScore([7], 512)).toThrow(TextTooShortError);
    expect(() => planScore([], 512)).toThrow(/empty/);
  });
});

describe("scoring on course-lm", () => {
  let model: LoadedModel;

  beforeAll(async () => {
    hooks.configure({ concurrency: 1, queueLimit: 4, timeoutMs: 30_000, abortGraceMs: 250 });
    model = await getServerModel(resolveServerModel("course-lm"));
  });
  afterAll(async () => {
    hooks.reset();
    await unloadServerModels();
  });

  it("decode() with promptIds uses the ids as given, and equals the same prompt as text", async () => {
    const ids = preparePrompt(model, { prompt: "The capital of France is" }).ids;
    const byIds = await generateTrace({ model, promptIds: ids, settings: { greedy: true, maxNewTokens: 4 } });
    const byText = await generateTrace({ model, prompt: "The capital of France is", settings: { greedy: true, maxNewTokens: 4 } });
    expect(byIds.prompt.tokens.map((t) => t.id)).toEqual(ids);
    expect(withoutTimings(byIds)).toEqual(withoutTimings(byText));
    expect(() => preparePrompt(model, { promptIds: [] })).toThrow(/empty/);
    expect(() => preparePrompt(model, { promptIds: [1, model.vocabSize] })).toThrow(/promptIds\[1\].*vocabulary/);
  });

  it("scores every token after the first: the trace's tokens are the text's, each step forced with the model's own logprob", async () => {
    const ids = scoreTokenIds(model, TEXT);
    const result = await scoreText(model, TEXT, { candidateCount: 5 });
    const { trace } = result;
    expect(result).toMatchObject({ totalTokens: ids.length, keptTokens: ids.length, scoredTokens: ids.length - 1, truncated: false });
    expect([...trace.prompt.tokens.map((t) => t.id), ...trace.steps.map((s) => s.tokenId)]).toEqual(ids);
    expect(trace.prompt.text + trace.reply.text).toBe(TEXT);
    expect(trace.steps.every((s) => s.forced === true && s.u === null)).toBe(true);
    expect(trace.settings).toMatchObject({ temperature: 1, topK: 0, topP: 1, greedy: false });
    for (const s of trace.steps) {
      expect(s.logprob).toBeLessThanOrEqual(0);
      expect(s.entropy).toBeGreaterThan(0); // the model's own distribution, not greedy's one-hot
      expect(s.candidates.length).toBeGreaterThanOrEqual(5);
      // T = 1, no filters: the final probability of the actual token is the model's own.
      const actual = s.candidates.find((c) => c.id === s.tokenId)!;
      expect(Math.log(actual.probFinal)).toBeCloseTo(s.logprob, 5);
    }
  });

  it("a step's logprob equals a plain greedy decode's view of the same position", async () => {
    const ids = scoreTokenIds(model, TEXT);
    const result = await scoreText(model, TEXT);
    // Token 3's logprob: continue ids[0..2] and force ids[3] alone.
    const single = await generateTrace({ model, promptIds: ids.slice(0, 3), forcedTokens: [ids[3]], settings: { greedy: true, maxNewTokens: 1 } });
    expect(single.steps[0].logprob).toBeCloseTo(result.trace.steps[2].logprob, 4);
    expect(single.steps[0].rank).toBe(result.trace.steps[2].rank);
  });

  it("an end token inside the text is scored, not a stop", async () => {
    const { request, plan } = buildScoreRequest(model, "Hello<|end|> world again");
    expect(request.model.eosTokenIds).toEqual([]);
    const trace = await generateTrace(request);
    expect(trace.steps).toHaveLength(plan.forcedTokens.length);
    expect(trace.steps.some((s) => s.special)).toBe(true);
  });

  it("an abort between scored tokens ends the score there, with the tokens scored so far", async () => {
    const controller = new AbortController();
    let steps = 0;
    const betweenSteps = async () => {
      steps += 1;
      if (steps === 3) controller.abort(); // as the worker's abort message would, read during a yield
    };
    const result = await scoreText(model, TEXT, { signal: controller.signal, betweenSteps });
    expect(result.trace.finishReason).toBe("aborted");
    expect(result.trace.steps).toHaveLength(3);
    expect(result.scoredTokens).toBeGreaterThan(3);
  });

  it("a long text is cut to the model's limit and says so", async () => {
    const long = "tokens and logits ".repeat(200);
    const result = await scoreText(model, long);
    expect(result.truncated).toBe(true);
    expect(result.scoredTokens).toBe(256);
    expect(result.trace.steps).toHaveLength(256);
    expect(result.totalTokens).toBeGreaterThan(257);
  });

  it("POST /api/score returns the same result as scoreText, through the queue", async () => {
    const response = await post(score, "/api/score", { text: TEXT, candidateCount: 5 });
    expect(response.status).toBe(200);
    const body = (await response.json()) as ScoreResult;
    const direct = await scoreText(model, TEXT, { candidateCount: 5 });
    expect({ ...body, trace: withoutTimings(body.trace) }).toEqual({ ...direct, trace: withoutTimings(direct.trace) });
    expect(queueFor("course-lm").stats()).toMatchObject({ running: 0, waiting: 0 });
  });

  it.each([
    ["malformed JSON", "{nope", 400, "", true],
    ["missing text", {}, 400, "text", false],
    ["empty text", { text: "" }, 400, "text", false],
    ["one token only", { text: "a" }, 400, "text", false],
    ["text of the wrong type", { text: 5 }, 400, "text", false],
    ["an unknown model", { text: "hello there", model: "gpt-9" }, 400, "model", false],
    ["candidateCount 0", { text: "hello there", candidateCount: 0 }, 400, "candidateCount", false],
    ["candidateCount 201", { text: "hello there", candidateCount: 201 }, 400, "candidateCount", false],
    ["an unknown field", { text: "hello there", settings: {} }, 400, "settings", false],
    ["__proto__", '{"text":"hello there","__proto__":{"x":1}}', 400, "__proto__", true],
    ["a lone surrogate", '{"text":"ab\\ud800"}', 400, "text", true],
    ["text over the character cap", { text: "x".repeat(20_001) }, 400, "text", false],
  ] as const)("POST /api/score: %s ⇒ %i", async (_name, body, status, field, raw) => {
    const response = await post(score, "/api/score", body, raw);
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: string; fields?: Record<string, string> };
    expect(typeof json.error).toBe("string");
    if (field) expect(Object.hasOwn(json.fields ?? {}, field), JSON.stringify(json)).toBe(true);
  });

  it("POST /api/generate records candidateCount candidates per step", async () => {
    const response = await post(generate, "/api/generate", { prompt: "The capital of France is", settings: { greedy: true, maxNewTokens: 2 }, candidateCount: 50 });
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split("\n").map((l) => JSON.parse(l) as { type: string; trace?: Trace }).map(createStreamedSteps());
    const trace = lines.find((l) => l.type === "done")!.trace!;
    expect(trace.steps.map((s) => s.candidates.length)).toEqual([50, 50]);
    const bad = await post(generate, "/api/generate", { prompt: "x", candidateCount: 1000 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields).toHaveProperty("candidateCount");
  });
});
