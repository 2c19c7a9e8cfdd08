import { describe, expect, it } from "vitest";
import {
  formatBits,
  formatCount,
  formatDelta,
  formatLogit,
  formatMs,
  formatNats,
  formatPerplexity,
  formatProb,
  formatProbShort,
  formatRate,
  formatSurprise,
  liveTokenRate,
  ordinal,
} from "@/lib/inspector/format";
import { describeSurprise, surpriseSummary } from "@/lib/inspector/surprise";
import { aborted, greedy, sampled } from "./fixtures";

describe("surprise and perplexity", () => {
  it("is −log p per token, in nats and bits (hand-computed)", () => {
    // p = 1/2, 1/4, 1/8: 1, 2, 3 bits; mean 2 bits = 2 ln 2 nats; perplexity 2² = 4.
    const steps = [0.5, 0.25, 0.125].map((p, index) => ({ index, tokenId: index, text: `t${index}`, logprob: Math.log(p) }));
    const s = surpriseSummary({ steps } as never);
    expect(s.rows.map((r) => r.bits)).toEqual([1, 2, 3].map((b) => expect.closeTo(b, 12)));
    expect(s.rows.map((r) => r.nats)).toEqual([1, 2, 3].map((b) => expect.closeTo(b * Math.LN2, 12)));
    expect(s.crossEntropyBits).toBeCloseTo(2, 12);
    expect(s.crossEntropyNats).toBeCloseTo(2 * Math.LN2, 12);
    expect(s.perplexity).toBeCloseTo(4, 12);
    expect(s.totalNats).toBeCloseTo(6 * Math.LN2, 12);
    expect(s.mostSurprising.map((r) => r.index)).toEqual([2, 1, 0]);
  });

  it("matches the trace's own maths on a real reply", () => {
    const s = surpriseSummary(sampled, 5);
    expect(s.rows).toHaveLength(sampled.steps.length);
    const mean = -sampled.steps.reduce((sum, st) => sum + st.logprob, 0) / sampled.steps.length;
    expect(s.crossEntropyNats).toBeCloseTo(mean, 12);
    expect(s.perplexity).toBeCloseTo(Math.exp(mean), 9);
    expect(s.mostSurprising).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(s.mostSurprising[i].nats).toBeLessThanOrEqual(s.mostSurprising[i - 1].nats);
    expect(Math.min(...s.mostSurprising.map((r) => r.nats))).toBeGreaterThanOrEqual(Math.max(...s.rows.filter((r) => !s.mostSurprising.includes(r)).map((r) => r.nats)));
    expect(describeSurprise(s)).toMatch(/^32 tokens; mean surprise \d+\.\d\d nats \(\d+\.\d\d bits\) per token, perplexity \d+/);
  });

  it("handles an empty reply", () => {
    const s = surpriseSummary(aborted);
    expect(s).toMatchObject({ rows: [], crossEntropyNats: null, crossEntropyBits: null, perplexity: null, totalNats: 0, mostSurprising: [] });
    expect(describeSurprise(s)).toMatch(/no tokens/);
  });

  it("a greedy reply still has surprise: it is measured at T = 1, not on the one-hot choice", () => {
    const s = surpriseSummary(greedy);
    expect(s.rows.every((r) => r.nats > 0)).toBe(true);
  });
});

describe("formatting", () => {
  it("writes probabilities with about three significant digits, keeping 0 and tiny apart", () => {
    expect(formatProb(1)).toBe("100%");
    expect(formatProb(0.87345)).toBe("87.3%");
    expect(formatProb(0.0421)).toBe("4.21%");
    expect(formatProb(0.0042)).toBe("0.42%");
    expect(formatProb(0.00042)).toBe("0.042%");
    expect(formatProb(0)).toBe("0%");
    expect(formatProb(1e-9)).toBe("<0.001%");
    expect(formatProb(0.99999)).toBe(">99.9%");
    expect(formatProb(Number.NaN)).toBe("—");
    expect(formatProbShort(0.873)).toBe("87%");
    expect(formatProbShort(0.042)).toBe("4.2%");
    expect(formatProbShort(0.0004)).toBe("<0.1%");
  });

  it("writes surprise in nats and bits", () => {
    expect(formatNats(Math.LN2)).toBe("0.69 nats");
    expect(formatBits(Math.LN2)).toBe("1.00 bits");
    expect(formatSurprise(2 * Math.LN2)).toBe("1.39 nats (2.00 bits)");
    expect(formatNats(Number.POSITIVE_INFINITY)).toBe("—");
  });

  it("writes perplexity with three significant digits", () => {
    expect(formatPerplexity(4)).toBe("4.00");
    expect(formatPerplexity(21.74)).toBe("21.7");
    expect(formatPerplexity(133.2)).toBe("133");
    expect(formatPerplexity(2055.4)).toBe("2,055");
    expect(formatPerplexity(null)).toBe("—");
  });

  it("uses a real minus sign for logits and deltas", () => {
    expect(formatLogit(-1.234)).toBe("−1.23");
    expect(formatLogit(2)).toBe("2.00");
    expect(formatLogit(Number.NEGATIVE_INFINITY)).toBe("−∞");
    expect(formatDelta(-1.5)).toBe("−1.50");
    expect(formatDelta(0.421)).toBe("+0.42");
    expect(formatDelta(0.001)).toBe("0");
  });

  it("writes timings, rates, counts and ranks", () => {
    expect(formatMs(7.08)).toBe("7.1 ms");
    expect(formatMs(283.4)).toBe("283 ms");
    expect(formatMs(1420)).toBe("1.42 s");
    expect(formatRate(424.03)).toBe("424 tok/s");
    expect(formatRate(74.8)).toBe("74.8 tok/s");
    expect(formatRate(null)).toBe("—");
    expect(formatCount(2048)).toBe("2,048");
    expect([0, 1, 2, 3, 10, 11, 12, 20, 21, 22].map(ordinal)).toEqual(["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd"]);
  });
});

describe("live decode speed", () => {
  it("counts the tokens after the first over the time since the first arrived (hand-computed)", () => {
    expect(liveTokenRate(11, 500, 600)).toBe(100); // 10 tokens in 0.1 s
    expect(liveTokenRate(3, 1000, 1040)).toBe(50);
    expect(liveTokenRate(1, 1000, 1000)).toBeNull(); // one token: no interval yet
    expect(liveTokenRate(2, 1000, 1000)).toBeNull(); // no time between them
    expect(formatRate(liveTokenRate(11, 500, 600))).toBe("100 tok/s");
  });
});
