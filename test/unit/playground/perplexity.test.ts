import { describe, expect, it } from "vitest";
import { compareTexts, expectations, surpriseLevel, textStats, topSurprises } from "@/lib/playground/perplexity";
import type { TraceCandidate, TraceStep } from "@/lib/llm/trace";

/** A scored step whose candidates have logits; logprob consistent with log Z = `logZ`. */
function step(index: number, tokenId: number, logits: Record<number, number>, logZ: number): TraceStep {
  const candidates: TraceCandidate[] = Object.entries(logits)
    .map(([id, logit]) => ({ id: Number(id), text: `t${id}`, logit, logitAfterPenalty: logit, probAtTemperature: Math.exp(logit - logZ), probFinal: 0 }))
    .sort((a, b) => b.logit - a.logit);
  return {
    index,
    tokenId,
    text: `t${tokenId}`,
    logprob: logits[tokenId] - logZ,
    rank: candidates.findIndex((c) => c.id === tokenId),
    entropy: 0,
    u: null,
    kept: { afterPenalties: 10, afterTopK: 10, afterTopP: 10, afterMinP: 10 },
    candidates,
    forced: true,
  };
}

describe("perplexity maths", () => {
  // p(token) = 1/2, 1/4, 1/8: surprises ln 2, 2 ln 2, 3 ln 2 — mean 2 ln 2 nats = 2 bits, perplexity 4.
  const steps = [
    step(0, 1, { 1: Math.log(0.5), 2: Math.log(0.3) }, 0),
    step(1, 2, { 1: Math.log(0.5), 2: Math.log(0.25), 3: Math.log(0.2) }, 0),
    step(2, 3, { 3: Math.log(0.125), 4: Math.log(0.6), 5: Math.log(0.2) }, 0),
  ];

  it("per-token surprise, cross-entropy in nats and bits, and perplexity by hand", () => {
    const s = textStats(steps);
    expect(s.tokens.map((t) => t.nats)).toEqual([Math.LN2, 2 * Math.LN2, 3 * Math.LN2].map((x) => expect.closeTo(x, 12)));
    expect(s.tokens.map((t) => t.bits)).toEqual([1, 2, 3].map((x) => expect.closeTo(x, 12)));
    expect(s.crossEntropyNats).toBeCloseTo(2 * Math.LN2, 12);
    expect(s.crossEntropyBits).toBeCloseTo(2, 12);
    expect(s.perplexity).toBeCloseTo(4, 10);
    expect(s.totalNats).toBeCloseTo(6 * Math.LN2, 12);
    expect(s.tokens[2].p).toBeCloseTo(0.125, 12);
  });

  it("what the model expected instead: the other candidates by logit, with their probability", () => {
    const e = expectations(steps[2], 2);
    expect(e.map((x) => x.id)).toEqual([4, 5]);
    expect(e[0].p).toBeCloseTo(0.6, 12);
    expect(e[1].p).toBeCloseTo(0.2, 12);
    expect(textStats(steps).tokens[0].expected.map((x) => x.id)).toEqual([2]);
  });

  it("the log-partition comes from the step, so probabilities are right whatever log Z is", () => {
    const shifted = step(0, 1, { 1: Math.log(0.5) + 7, 2: Math.log(0.3) + 7 }, 7);
    expect(expectations(shifted)[0].p).toBeCloseTo(0.3, 12);
    expect(textStats([shifted]).tokens[0].p).toBeCloseTo(0.5, 12);
  });

  it("top surprises: highest first, ties by position, at most n", () => {
    const s = textStats(steps);
    expect(topSurprises(s.tokens, 2).map((t) => t.index)).toEqual([2, 1]);
    expect(topSurprises(s.tokens, 10)).toHaveLength(3);
    const tie = textStats([steps[0], { ...steps[0], index: 1 }]);
    expect(topSurprises(tie.tokens, 5).map((t) => t.index)).toEqual([0, 1]);
  });

  it("an empty text has no cross-entropy and no perplexity", () => {
    const s = textStats([]);
    expect(s.crossEntropyNats).toBeNull();
    expect(s.perplexity).toBeNull();
    expect(compareTexts(s, textStats(steps))).toBeNull();
  });

  it("compares two texts: the lower perplexity is more natural, ratio = e^(H_a − H_b)", () => {
    const a = { crossEntropyNats: Math.log(4) };
    const b = { crossEntropyNats: Math.log(16) };
    const c = compareTexts(a, b)!;
    expect(c.moreNatural).toBe("a");
    expect(c.ratio).toBeCloseTo(0.25, 12);
    expect(c.differenceBits).toBeCloseTo(-2, 12);
    expect(compareTexts(b, a)!.moreNatural).toBe("b");
    expect(compareTexts(a, { crossEntropyNats: Math.log(4.001) })!.moreNatural).toBe("tie");
  });

  it("heat-map levels widen with surprise", () => {
    expect([0, 0.49, 0.5, 1.4, 2, 4, 7.9, 8, 30].map(surpriseLevel)).toEqual([0, 0, 1, 1, 2, 3, 4, 5, 5]);
  });
});
