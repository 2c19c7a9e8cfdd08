import { describe, expect, it } from "vitest";
import { generateBodySchema } from "@/app/api/generate/schema";
import { parseScoreBody } from "@/app/api/score/schema";
import { browserRequest, clampCandidates, generateBody, nextTokenSettings, requestKey, scoreBody } from "@/lib/playground/lab-engine";
import { findRepetitionLoop } from "@/lib/playground/greedy";
import { liveStep, nextTokenRequest, nextTokenSpec, restShare } from "@/lib/playground/next-token";
import { decodeState } from "@/lib/playground/url-state";

const server = { backend: "server", model: "course-lm" } as const;

describe("lab engine request building", () => {
  it("builds a /api/generate body the API's own schema accepts, leaving out defaults", () => {
    const body = generateBody(server, { prompt: "Hi", settings: { temperature: 0.5, maxNewTokens: 3 }, forcedTokens: [5, 6], candidateCount: 50 });
    expect(body).toEqual({ prompt: "Hi", settings: { temperature: 0.5, maxNewTokens: 3 }, forcedTokens: [5, 6], candidateCount: 50 });
    expect(generateBodySchema.safeParse(body).success).toBe(true);
    expect(generateBody(server, { prompt: "Hi" })).toEqual({ prompt: "Hi" });
    expect(generateBody({ backend: "server", model: "SmolLM2-135M-Instruct" }, { prompt: "Hi" })).toEqual({ prompt: "Hi", model: "SmolLM2-135M-Instruct" });
  });

  it("clamps candidate counts into the API's range", () => {
    expect([0, 1, 20.4, 200, 1000].map(clampCandidates)).toEqual([1, 1, 20, 200, 200]);
    expect(generateBodySchema.safeParse(generateBody(server, { prompt: "x", candidateCount: 5000 })).success).toBe(true);
    expect(generateBodySchema.safeParse({ prompt: "x", candidateCount: 201 }).success).toBe(false);
    expect(generateBodySchema.safeParse({ prompt: "x", candidateCount: 0 }).success).toBe(false);
    expect(generateBodySchema.safeParse({ prompt: "x", candidateCount: 2.5 }).success).toBe(false);
  });

  it("the browser request carries the same fields as plain data", () => {
    const r = browserRequest({ prompt: "Hi", settings: { seed: 3 }, forcedTokens: [1], candidateCount: 7 });
    expect(r).toEqual({ prompt: "Hi", settings: { seed: 3 }, forcedTokens: [1], candidateCount: 7 });
    expect(structuredClone(r)).toEqual(r);
  });

  it("builds a /api/score body its schema accepts", () => {
    const body = scoreBody(server, "Some text", 10);
    expect(body).toEqual({ text: "Some text", candidateCount: 10 });
    expect(parseScoreBody(body).ok).toBe(true);
    expect(parseScoreBody({ text: "" })).toMatchObject({ ok: false, fields: { text: expect.stringMatching(/empty/) } });
    expect(parseScoreBody({ text: "x", temperature: 1 })).toMatchObject({ ok: false, fields: { temperature: expect.stringMatching(/unknown field/) } });
    expect(parseScoreBody({ text: "x", candidateCount: 500 })).toMatchObject({ ok: false, fields: { candidateCount: expect.stringMatching(/\[1, 200\]/) } });
    expect(parseScoreBody("text")).toMatchObject({ ok: false, fields: { body: expect.any(String) } });
  });

  it("the next token after forced ones: maxNewTokens = forced + 1, capped", () => {
    expect(nextTokenSettings({ temperature: 1 }, 0)).toEqual({ temperature: 1, maxNewTokens: 1 });
    expect(nextTokenSettings({}, 4).maxNewTokens).toBe(5);
    expect(nextTokenSettings({}, 9999).maxNewTokens).toBe(256);
  });

  it("request keys: equal for equal requests (defaults filled), different otherwise", () => {
    const a = requestKey(server, { prompt: "x", settings: { temperature: 0.7 } });
    expect(requestKey(server, { prompt: "x", settings: {} })).toBe(a); // 0.7 is the default
    expect(requestKey(server, { prompt: "x", settings: { temperature: 0.8 } })).not.toBe(a);
    expect(requestKey({ ...server, backend: "browser" }, { prompt: "x" })).not.toBe(a);
    expect(requestKey(server, { prompt: "x", forcedTokens: [1] })).not.toBe(a);
  });
});

describe("next-token lab", () => {
  it("one request: chosen tokens forced, one more step, 50 candidates", () => {
    const state = { ...decodeState(nextTokenSpec, new URLSearchParams("prompt=Hi&chosen=4,5&temperature=0.3&topK=7")) };
    const r = nextTokenRequest(state);
    expect(r.forcedTokens).toEqual([4, 5]);
    expect(r.settings).toMatchObject({ temperature: 0.3, topK: 7, topP: 1, maxNewTokens: 3 });
    expect(r.candidateCount).toBe(50);
    expect(generateBodySchema.safeParse(generateBody(server, r)).success).toBe(true);
  });

  it("the live step is the one after the chosen tokens, unless the text ended", () => {
    const steps = [{ index: 0, forced: true as const }, { index: 1, forced: true as const }, { index: 2 }];
    expect(liveStep(steps, 2)).toBe(steps[2]);
    expect(liveStep(steps.slice(0, 2), 2)).toBeNull();
    expect(liveStep([{ index: 0, forced: true as const }], 0)).toBeNull();
  });

  it("the rest of the vocabulary's share", () => {
    const rows = [
      { probModel: 0.5, probFinal: 0.7 },
      { probModel: 0.2, probFinal: 0.3 },
      { probModel: 0.1, probFinal: 0 },
    ];
    const r = restShare(rows, 2, 2048);
    expect(r.count).toBe(2046);
    expect(r.model).toBeCloseTo(0.3, 12);
    expect(r.final).toBeCloseTo(0, 12);
    expect(restShare([{ probModel: 0.6, probFinal: 0.5000001 }, { probModel: 0.4, probFinal: 0.5 }], 2, 10).final).toBe(0);
  });
});

describe("greedy repetition loops", () => {
  it("finds the shortest block repeating at the end and how far back it goes", () => {
    expect(findRepetitionLoop([9, 1, 2, 3, 1, 2, 3])).toEqual({ start: 1, period: 3, repeats: 2 });
    expect(findRepetitionLoop([9, 1, 2, 1, 2, 1, 2])).toEqual({ start: 1, period: 2, repeats: 3 });
    expect(findRepetitionLoop([4, 7, 7, 7])).toEqual({ start: 1, period: 1, repeats: 3 });
  });

  it("no loop: a pair of equal tokens, or an end that does not repeat", () => {
    expect(findRepetitionLoop([1, 7, 7])).toBeNull();
    expect(findRepetitionLoop([1, 2, 3, 4])).toBeNull();
    expect(findRepetitionLoop([1, 2, 1, 3])).toBeNull();
    expect(findRepetitionLoop([])).toBeNull();
  });
});
