/** The sampler's distribution helpers (lib/llm/distribution.ts), by hand. */
import { describe, expect, it } from "vitest";
import { argmax, entropyTerm, logSumExp, softmax } from "@/lib/llm/distribution";

describe("distribution helpers", () => {
  it("argmax: the first of equal maxima wins; −∞ and NaN never win over a number", () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(argmax([-Infinity, -5, NaN])).toBe(1);
    expect(argmax([])).toBe(-1);
  });

  it("logSumExp is stable for large logits and divides by T", () => {
    // log(e^1000 + e^1000) = 1000 + ln 2, without overflow.
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 10);
    // At T = 2: log(e^(2/2) + e^(0/2)) = log(e + 1) = 1.31326.
    expect(logSumExp([2, 0], 2)).toBeCloseTo(1.31326, 5);
  });

  it("softmax sums to one, keeps the order, and sharpens as T falls", () => {
    const at1 = softmax([2, 1, 0]);
    expect(at1.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // By hand: e² / (e² + e + 1) = 7.389 / 11.107 = 0.66524.
    expect(at1[0]).toBeCloseTo(0.66524, 5);
    expect(softmax([2, 1, 0], 0.5)[0]).toBeGreaterThan(at1[0]);
    expect(softmax([0, -Infinity])).toEqual(Float64Array.of(1, 0));
    expect(() => softmax([-Infinity, -Infinity])).toThrow(/finite/);
  });

  it("entropy terms add up to the entropy of the renormalised distribution", () => {
    // Two kept tokens of mass 0.5 in all, 0.25 each: entropy ln 2.
    expect(entropyTerm(0.25, 0.5) + entropyTerm(0.25, 0.5)).toBeCloseTo(Math.LN2, 12);
    expect(entropyTerm(0, 0.5)).toBe(0);
  });
});
