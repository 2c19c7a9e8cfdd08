/**
 * Inspector challenges on the real course-lm: POST /api/challenges/[id] grades against the
 * values the labs show — each expected value recomputed here the way its lab computes it
 * (the tokenizer, a one-step trace's candidates and kept counts, the perplexity lab's textStats
 * on /api/score's trace) — and refuses bad input with a 4xx naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as check } from "@/app/api/challenges/[id]/route";
import { CHALLENGE_INPUTS } from "@/lib/course/challenges";
import { nearestNeighbours, row, rowNorms } from "@/lib/embeddings/matrix";
import { serverEmbeddings } from "@/lib/embeddings/server";
import { lookupToken } from "@/lib/embeddings/vocab";
import { generateTrace } from "@/lib/llm/decode";
import type { LoadedModel } from "@/lib/llm/load";
import { scoreText } from "@/lib/llm/score";
import { getServerModel, resolveServerModel, unloadServerModels } from "@/lib/llm/server";
import { generationTestHooks as hooks } from "@/lib/llm/server/testing";
import { textStats } from "@/lib/playground/perplexity";

function post(id: string, body: unknown) {
  return check(new Request(`http://localhost/api/challenges/${id}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), {
    params: Promise.resolve({ id }),
  });
}

describe("inspector challenges on course-lm", () => {
  let model: LoadedModel;
  beforeAll(async () => {
    hooks.configure({ concurrency: 2, queueLimit: 8, timeoutMs: 30_000, abortGraceMs: 250 });
    model = await getServerModel(resolveServerModel("course-lm"));
  });
  afterAll(async () => {
    hooks.reset();
    await unloadServerModels();
  });

  it("token-count: the tokenizer lab's count for course-lm is right; one more is not", async () => {
    const tokens = model.tokenizer.encode(CHALLENGE_INPUTS.tokenCount.text, { add_special_tokens: false }).length;
    expect(tokens).toBeGreaterThan(5);
    const right = await (await post("token-count", { answers: { tokens } })).json();
    expect(right).toMatchObject({ correct: true, fields: [{ name: "tokens", given: tokens, expected: tokens, correct: true }] });
    expect(right.method).toMatch(/tokenizer/);
    expect((await (await post("token-count", { answers: { tokens: tokens + 1 } })).json()).correct).toBe(false);
  });

  it("top-p-survivors: the next-token lab's counts after top-p at both temperatures; more survive at the higher one", async () => {
    const { prompt, topP, temperatures } = CHALLENGE_INPUTS.topPSurvivors;
    const kept = [];
    for (const temperature of temperatures) {
      const trace = await generateTrace({ model, prompt, settings: { temperature, topP, topK: 0, minP: 0, seed: 0, maxNewTokens: 1 } });
      kept.push(trace.steps[0]!.kept.afterTopP);
    }
    const [low, high] = kept as [number, number];
    expect(high).toBeGreaterThan(low);
    const response = await post("top-p-survivors", { answers: { low, high } });
    expect(response.status).toBe(200);
    expect((await response.json()).correct).toBe(true);
    const swapped = await (await post("top-p-survivors", { answers: { low: high, high: low } })).json();
    expect(swapped.correct).toBe(false);
    expect(swapped.fields.map((f: { correct: boolean }) => f.correct)).toEqual([false, false]);
  });

  it("top-probability: the favourite's probability in percent, accepted as the lab rounds it (one decimal)", async () => {
    const trace = await generateTrace({ model, prompt: CHALLENGE_INPUTS.topProbability.prompt, settings: { temperature: 1, topK: 0, topP: 1, seed: 0, maxNewTokens: 1 } });
    const percent = trace.steps[0]!.candidates[0]!.probAtTemperature * 100;
    const rounded = Math.round(percent * 10) / 10;
    expect((await (await post("top-probability", { answers: { percent: rounded } })).json()).correct).toBe(true);
    expect((await (await post("top-probability", { answers: { percent: rounded + 0.3 } })).json()).correct).toBe(false);
  });

  it("surprise: −ln p of two words of a scored text, as the perplexity lab prints them (two decimals)", async () => {
    const { trace } = await scoreText(model, CHALLENGE_INPUTS.surprise.text);
    const nats = (text: string) => Number((-trace.steps.find((s) => s.text === text)!.logprob).toFixed(2));
    const answers = { model: nats(" model"), predicts: nats(" predicts") };
    expect(answers.predicts).toBeGreaterThan(answers.model); // the point of the exercise
    expect((await (await post("surprise", { answers })).json()).correct).toBe(true);
    expect((await (await post("surprise", { answers: { ...answers, model: answers.model + 0.02 } })).json()).correct).toBe(false);
  });

  it("perplexity: the perplexity lab's number, to one decimal", async () => {
    const scored = await scoreText(model, CHALLENGE_INPUTS.perplexity.text);
    const perplexity = textStats(scored.trace.steps).perplexity!;
    expect(perplexity).toBeGreaterThan(1);
    const rounded = Math.round(perplexity * 10) / 10;
    const result = await (await post("perplexity", { answers: { perplexity: rounded } })).json();
    expect(result.correct).toBe(true);
    expect(result.fields[0].expected).toBeCloseTo(perplexity, 6);
    expect((await (await post("perplexity", { answers: { perplexity: rounded + 0.5 } })).json()).correct).toBe(false);
  });

  it("causal-pairs: T(T + 1)/2 for the text's course-lm token count; kv-cache-size: 2·L·heads·dim·512·4 bytes from the config, in KiB (2,048)", async () => {
    const tokens = model.tokenizer.encode(CHALLENGE_INPUTS.causalPairs.text, { add_special_tokens: false }).length;
    const pairs = (tokens * (tokens + 1)) / 2;
    expect((await (await post("causal-pairs", { answers: { pairs } })).json()).correct).toBe(true);
    expect((await (await post("causal-pairs", { answers: { pairs: tokens * tokens } })).json()).correct).toBe(false); // forgot the mask
    // course-lm's config.json: 4 layers, 4 key-value heads of 32, float32 → 2 × 4 × 4 × 32 × 512 × 4 B = 2,097,152 B = 2,048 KiB.
    const kv = await (await post("kv-cache-size", { answers: { kib: 2048 } })).json();
    expect(kv).toMatchObject({ correct: true, fields: [{ expected: 2048 }] });
    expect((await (await post("kv-cache-size", { answers: { kib: 1024 } })).json()).correct).toBe(false); // forgot the values (× 2)
  });

  it("nearest-neighbour: the embeddings lab's top cosine for ·model (every real token but itself, with precomputed norms as the lab does), to three decimals", async () => {
    const { matrix, vocab } = await serverEmbeddings();
    const query = lookupToken(vocab, CHALLENGE_INPUTS.nearestNeighbour.token)!;
    expect(query.match).toBe("exact");
    const candidates = vocab.entries.filter((e) => !e.special).map((e) => e.id);
    const [nearest] = nearestNeighbours(matrix, row(matrix, query.id), { k: 10, exclude: [query.id], norms: rowNorms(matrix), candidates });
    const shown = Number(nearest!.similarity.toFixed(3)); // as the lab prints it
    expect((await (await post("nearest-neighbour", { answers: { cosine: shown } })).json()).correct).toBe(true);
    expect((await (await post("nearest-neighbour", { answers: { cosine: shown - 0.01 } })).json()).correct).toBe(false);
  });

  it("bad input gets a 4xx with a message naming the field; an unknown challenge is a 404", async () => {
    const notANumber = await post("perplexity", { answers: { perplexity: "twelve" } });
    expect(notANumber.status).toBe(400);
    expect((await notANumber.json()).fields).toHaveProperty(["answers.perplexity"]);
    const notWhole = await post("token-count", { answers: { tokens: 2.5 } });
    expect(notWhole.status).toBe(400);
    expect((await notWhole.json()).error).toMatch(/whole number/);
    const unknown = await post("no-such-challenge", { answers: {} });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatch(/No challenge "no-such-challenge"/);
    const notJson = await check(new Request("http://localhost/api/challenges/perplexity", { method: "POST", body: "{" }), { params: Promise.resolve({ id: "perplexity" }) });
    expect(notJson.status).toBe(400);
  });
});
