/**
 * The inspector's "Inside the model" maths (lib/inspector/internals.ts), on small hand-made
 * steps whose answers can be worked out by reading them.
 */
import { describe, expect, it } from "vitest";
import { attentionByPassage, attentionRow, lensGrid, passageSpans, replayBody, tokenFates, topAttended, visibleTokens } from "@/lib/inspector/internals";
import type { Trace } from "@/lib/llm/trace";

// 2 layers × 2 heads over 3 positions; every row sums to 1.
const step = {
  attention: [
    [
      [1, 0, 0],
      [0, 1, 0],
    ],
    [
      [0.5, 0.5, 0],
      [0, 0, 1],
    ],
  ],
};

describe("attentionRow", () => {
  it("picks one layer and head", () => {
    expect(attentionRow(step, 1, 0)).toEqual([0.5, 0.5, 0]);
  });
  it("averages heads, layers, or both; a mean of rows summing to 1 sums to 1", () => {
    expect(attentionRow(step, 0, "mean")).toEqual([0.5, 0.5, 0]);
    expect(attentionRow(step, "mean", 1)).toEqual([0, 0.5, 0.5]);
    const all = attentionRow(step, "mean", "mean");
    expect(all).toEqual([0.375, 0.375, 0.25]);
    expect(all.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
  });
  it("is empty for a step recorded without internals", () => {
    expect(attentionRow({}, "mean", "mean")).toEqual([]);
  });
});

describe("passages in a tutor prompt", () => {
  const tokens = ["<|system|>", "Be", "<|end|>", "<|context|>", "[A § B]", " x", "<|end|>", "<|context|>", "[C § D]", " y", " z", "<|end|>", "<|user|>", "q"].map((text) => ({ text }));
  it("finds each <|context|> turn's span and its source label", () => {
    expect(passageSpans(tokens)).toEqual([
      { start: 4, end: 6, label: "A § B" },
      { start: 8, end: 11, label: "C § D" },
    ]);
    expect(passageSpans([{ text: "plain" }])).toEqual([]);
  });
  it("sums a row's attention over each passage", () => {
    const row = [0.1, 0, 0, 0, 0.2, 0.1, 0, 0, 0.05, 0.3, 0.15, 0, 0, 0.1];
    const shares = attentionByPassage(row, passageSpans(tokens)).map((p) => Number(p.share.toFixed(10)));
    expect(shares).toEqual([0.3, 0.5]);
  });
});

describe("topAttended, visibleTokens, lensGrid", () => {
  it("orders positions by weight, earlier first on ties", () => {
    expect(topAttended([0.2, 0.5, 0.2, 0.1], 3)).toEqual([
      { position: 1, weight: 0.5 },
      { position: 0, weight: 0.2 },
      { position: 2, weight: 0.2 },
    ]);
  });
  it("a step sees the prompt and the reply tokens before it", () => {
    const trace = { prompt: { text: "ab", tokens: [{ id: 1, text: "a" }, { id: 2, text: "b" }] }, steps: [{ text: "c" }, { text: "d" }] } as unknown as Trace;
    expect(visibleTokens(trace, 1).map((t) => t.text)).toEqual(["a", "b", "c"]);
  });
  it("lays the lens out as layers × steps of each step's top entry", () => {
    const e = (id: number) => ({ id, text: `t${id}`, prob: id / 10 });
    expect(lensGrid([{ logitLens: [[e(1), e(2)], [e(3)]] }, {}, { logitLens: [[e(4)], [e(5)]] }])).toEqual([
      [e(1), null, e(4)],
      [e(3), null, e(5)],
    ]);
  });
});

describe("tokenFates", () => {
  it("reads the tracked token's model probability from its logit and the step's log-partition (logZ = chosen logit − logprob)", () => {
    // logits (2, 1, 0): logZ = ln(e² + e + 1); chosen id 0 with logprob 2 − logZ.
    const logZ = Math.log(Math.exp(2) + Math.exp(1) + 1);
    const step = {
      index: 0,
      tokenId: 0,
      text: "a",
      logprob: 2 - logZ,
      candidates: [
        { id: 0, text: "a", logit: 2, rank: 0, probAtTemperature: 0.6, probFinal: 1 },
        { id: 2, text: "c", logit: 0, rank: 2, probAtTemperature: 0.1, probFinal: 0, removedBy: "topK" },
      ],
    };
    const [fate] = tokenFates({ steps: [step] } as unknown as Trace, 2);
    expect(fate!.probModel).toBeCloseTo(1 / Math.exp(logZ), 12);
    expect(fate).toMatchObject({ step: 0, rank: 2, probAtTemperature: 0.1, probFinal: 0, removedBy: "topK" });
    expect(tokenFates({ steps: [step] } as unknown as Trace, 1)).toEqual([]); // not tracked there
  });
});

describe("replayBody", () => {
  it("replays the reply exactly: its prompt ids, its tokens forced, its settings, internals on", () => {
    const trace = {
      model: { id: "course-lm", revision: "r", dtype: "fp32", backend: "node" },
      prompt: { text: "ab", tokens: [{ id: 7, text: "a" }, { id: 9, text: "b" }] },
      steps: [{ tokenId: 3 }, { tokenId: 4 }],
      settings: { temperature: 0.3, seed: 1, maxNewTokens: 128 },
    } as unknown as Trace;
    expect(replayBody(trace, { trackTokens: [5] })).toMatchObject({ promptIds: [7, 9], forcedTokens: [3, 4], trackTokens: [5] });
    expect(replayBody(trace, { trackTokens: [5] })).not.toHaveProperty("internals");
    expect(replayBody(trace, { internals: true })).toEqual({
      promptIds: [7, 9],
      model: "course-lm",
      settings: { temperature: 0.3, seed: 1, maxNewTokens: 2 },
      forcedTokens: [3, 4],
      internals: true,
    });
  });
});
