import { describe, expect, it } from "vitest";
import { GenerationSettingsSchema, parseSettings, validateSettings } from "@/lib/llm/settings";
import { BITS_PER_NAT, createStreamedSteps, DEFAULT_SETTINGS, MAX_NEW_TOKENS, isGreedy, meanCrossEntropy, perplexity, surprisals, traceStats, wireEvent, type Trace, type TraceStep } from "@/lib/llm/trace";

describe("settings validation", () => {
  it("fills defaults for missing fields", () => {
    expect(parseSettings({})).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings({ temperature: 0, seed: 7 })).toEqual({ ...DEFAULT_SETTINGS, temperature: 0, seed: 7 });
  });

  it("accepts the documented boundaries", () => {
    const ok = {
      temperature: 2,
      topK: 0,
      topP: 1,
      minP: 0,
      repetitionPenalty: 2,
      presencePenalty: -2,
      frequencyPenalty: 2,
      copyBoost: 10,
      quote: true,
      greedy: true,
      maxNewTokens: MAX_NEW_TOKENS,
      seed: 4294967295,
    };
    expect(parseSettings(ok)).toEqual(ok);
    expect(parseSettings({ topP: 1e-9, minP: 0.999, maxNewTokens: 1, repetitionPenalty: 1 })).toMatchObject({ topP: 1e-9 });
  });

  const bad: [string, unknown, RegExp][] = [
    ["temperature", NaN, /temperature must be a number in \[0, 2\].*got NaN/],
    ["temperature", Infinity, /temperature must be a number in \[0, 2\].*got Infinity/],
    ["temperature", -0.1, /temperature must be a number in \[0, 2\]/],
    ["temperature", 2.0001, /temperature/],
    ["temperature", "0.7", /temperature must be a number.*got "0.7"/],
    ["topK", -1, /topK must be an integer in \[0, 1048576\]/],
    ["topK", 2.5, /topK must be an integer/],
    ["topK", 1e12, /topK/],
    ["topP", 0, /topP must be a number in \(0, 1\]/],
    ["topP", 1.01, /topP/],
    ["topP", -Infinity, /topP.*got -Infinity/],
    ["minP", 1, /minP must be a number in \[0, 1\)/],
    ["minP", -0.01, /minP/],
    ["repetitionPenalty", 0.9, /repetitionPenalty must be a number in \[1, 2\]/],
    ["repetitionPenalty", 3, /repetitionPenalty/],
    ["presencePenalty", -2.5, /presencePenalty must be a number in \[-2, 2\]/],
    ["frequencyPenalty", NaN, /frequencyPenalty.*got NaN/],
    ["frequencyPenalty", 1e308, /frequencyPenalty/],
    ["copyBoost", -0.5, /copyBoost must be a number in \[0, 10\]/],
    ["copyBoost", 11, /copyBoost/],
    ["maxNewTokens", 0, /maxNewTokens must be an integer in \[1, 256\]/],
    ["maxNewTokens", 257, /maxNewTokens/],
    ["maxNewTokens", 10.5, /maxNewTokens/],
    ["maxNewTokens", Infinity, /maxNewTokens/],
    ["seed", -1, /seed must be an integer in \[0, 4294967295\]/],
    ["seed", 2 ** 32, /seed/],
    ["seed", 1.5, /seed/],
    ["greedy", "yes", /greedy must be true or false/],
    ["greedy", 1, /greedy/],
  ];
  for (const [field, value, message] of bad) {
    it(`rejects ${field} = ${String(value)} naming the field and range`, () => {
      const r = validateSettings({ [field]: value });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0].field).toBe(field);
      expect(r.issues[0].message).toMatch(message);
      expect(r.error).toMatch(message);
      expect(() => parseSettings({ [field]: value })).toThrow(RangeError);
    });
  }

  it("reports every bad field at once", () => {
    const r = validateSettings({ temperature: -1, topP: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.field).sort()).toEqual(["temperature", "topP"]);
  });

  it("rejects unknown keys (catches snake_case typos) and non-objects", () => {
    const r = validateSettings({ top_p: 0.9 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/unknown setting: top_p.*known: temperature/);
    const s = validateSettings("hot");
    expect(s.ok).toBe(false);
    if (!s.ok) expect(s.error).toMatch(/settings must be an object/);
  });

  it("exposes the schema for reuse and knows when sampling is greedy", () => {
    expect(Object.keys(GenerationSettingsSchema.shape)).toContain("maxNewTokens");
    expect(isGreedy({ greedy: false, temperature: 0 })).toBe(true);
    expect(isGreedy({ greedy: true, temperature: 1 })).toBe(true);
    expect(isGreedy({ greedy: false, temperature: 0.1 })).toBe(false);
  });
});

describe("surprise and perplexity", () => {
  const steps = [{ logprob: Math.log(0.5) }, { logprob: Math.log(0.25) }, { logprob: 0 }];
  it("surprise is −log p per token", () => {
    expect(surprisals(steps)).toEqual([Math.LN2, 2 * Math.LN2, -0].map((v) => expect.closeTo(v, 12)));
    expect(Math.LN2 * BITS_PER_NAT).toBeCloseTo(1, 12); // p = 1/2 is one bit of surprise
  });
  it("cross-entropy is the mean surprise and perplexity its exp", () => {
    expect(meanCrossEntropy(steps)).toBeCloseTo(Math.LN2, 12); // (ln2 + 2 ln2 + 0) / 3
    expect(perplexity(steps)).toBeCloseTo(2, 12);
    // A uniform choice among 4 tokens every step has perplexity 4.
    expect(perplexity([{ logprob: Math.log(0.25) }, { logprob: Math.log(0.25) }])).toBeCloseTo(4, 12);
  });
  it("is null for an empty reply", () => {
    expect(meanCrossEntropy([])).toBeNull();
    expect(perplexity([])).toBeNull();
    expect(traceStats({ steps: [] })).toEqual({ surprisals: [], meanCrossEntropy: null, perplexity: null });
  });
});

describe("on the wire: done without its steps, put back by the reader", () => {
  const step = (index: number) => ({ index, tokenId: index, text: `t${index}` }) as unknown as TraceStep;
  const trace = { version: 1, steps: [step(0), step(1)], reply: { text: "t0t1" } } as unknown as Trace;

  it("wireEvent drops the done trace's steps and leaves every other event as it is", () => {
    const prompt = { type: "prompt" as const };
    expect(wireEvent(prompt)).toBe(prompt);
    const wire = wireEvent({ type: "done" as const, trace });
    expect(wire.type).toBe("done");
    expect((wire as { trace: object }).trace).toEqual({ version: 1, reply: { text: "t0t1" } });
    expect(trace.steps).toHaveLength(2); // the original is untouched
  });

  it("createStreamedSteps puts back the steps streamed since the last prompt, and leaves a whole trace alone", () => {
    const restore = createStreamedSteps();
    const events = [{ type: "prompt" }, { type: "step", step: step(0) }, { type: "step", step: step(1) }, wireEvent({ type: "done" as const, trace })];
    const out = events.map(restore);
    expect((out.at(-1) as unknown as { trace: Trace }).trace).toEqual(trace);
    // A second stream through the same reader starts over at its prompt.
    const again = [{ type: "prompt" }, { type: "step", step: step(0) }, wireEvent({ type: "done" as const, trace: { ...trace, steps: [step(0)] } })].map(restore);
    expect((again.at(-1) as unknown as { trace: Trace }).trace.steps).toEqual([step(0)]);
    // An old server's whole trace is kept as it came.
    const whole = { type: "done", trace };
    expect(createStreamedSteps()(whole)).toBe(whole);
  });
});
