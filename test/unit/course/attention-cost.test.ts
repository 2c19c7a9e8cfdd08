import { describe, expect, it } from "vitest";
import { attentionFlops, causalPairs, crossoverTokens, formatCount, formatShare, layerCost, matrixFlops } from "@/lib/course/attention-cost";

describe("matrixFlops and attentionFlops", () => {
  it("16 tokens at GPT-2 Small's width 768", () => {
    // 24 · 16 · 768² = 384 · 589,824 = 235,929,600 − 9,437,184 = 226,492,416.
    expect(matrixFlops(16, 768)).toBe(226_492_416);
    // 2 · 16² · 768 = 512 · 768 = 393,216.
    expect(attentionFlops(16, 768)).toBe(393_216);
  });

  it("32,768 tokens at width 768: attention has taken over", () => {
    // 24 · 2^15 · 768² = (3 · 2^18) · (9 · 2^16) = 27 · 2^34 = 463,856,467,968.
    expect(matrixFlops(32_768, 768)).toBe(463_856_467_968);
    // 2 · 2^30 · 768 = 2^31 · 3 · 2^8 = 3 · 2^39 = 1,649,267,441,664.
    expect(attentionFlops(32_768, 768)).toBe(1_649_267_441_664);
  });

  it("is zero for no tokens and rejects negative or non-finite inputs", () => {
    expect(matrixFlops(0, 768)).toBe(0);
    expect(attentionFlops(0, 768)).toBe(0);
    expect(() => matrixFlops(-1, 768)).toThrow(/tokens/);
    expect(() => attentionFlops(4, Number.NaN)).toThrow(/width/);
  });
});

describe("layerCost", () => {
  it("attention's share is T / (T + 12d)", () => {
    // T = d = 768: 2·768³ / (24·768³ + 2·768³) = 2/26 = 1/13.
    expect(layerCost(768, 768).attentionShare).toBeCloseTo(1 / 13, 12);
    // T = 32,768, d = 768: 32,768 / (32,768 + 9,216) = 32,768 / 41,984 ≈ 0.7805.
    expect(layerCost(32_768, 768).attentionShare).toBeCloseTo(32_768 / 41_984, 12);
    expect(layerCost(0, 768).attentionShare).toBe(0);
  });

  it("adds the two parts", () => {
    // 226,492,416 + 393,216 = 226,885,632.
    expect(layerCost(16, 768).total).toBe(226_885_632);
  });
});

describe("crossoverTokens", () => {
  it("is 12·d, where both parts are equal", () => {
    // 24·T·d² = 2·T²·d ⇔ T = 12·d: 12 · 768 = 9,216; 12 · 4,096 = 49,152.
    expect(crossoverTokens(768)).toBe(9_216);
    expect(crossoverTokens(4_096)).toBe(49_152);
    expect(matrixFlops(9_216, 768)).toBe(attentionFlops(9_216, 768));
    expect(layerCost(9_216, 768).attentionShare).toBe(0.5);
  });
});

describe("causalPairs", () => {
  it("counts each token with itself and the earlier ones", () => {
    // 4 tokens: 1 + 2 + 3 + 4 = 10; 24 tokens: 24 · 25 / 2 = 300.
    expect(causalPairs(4)).toBe(10);
    expect(causalPairs(24)).toBe(300);
    expect(causalPairs(0)).toBe(0);
  });
});

describe("formatCount", () => {
  it("writes large counts in words with three significant digits", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(512)).toBe("512");
    expect(formatCount(393_216)).toBe("393 thousand");
    expect(formatCount(226_492_416)).toBe("226 million");
    expect(formatCount(463_856_467_968)).toBe("464 billion");
    expect(formatCount(1_649_267_441_664)).toBe("1.65 trillion");
    // 2 · 2^40 · 4096 = 2^53 ≈ 9.007 · 10^15.
    expect(formatCount(2 ** 53)).toBe("9.01 quadrillion");
    // Rounding up crosses into the next word.
    expect(formatCount(999_999)).toBe("1 million");
  });
});

describe("formatShare", () => {
  it("keeps small shares readable", () => {
    expect(formatShare(0)).toBe("0 %");
    // 16 / (16 + 9,216) ≈ 0.00173.
    expect(formatShare(16 / 9_232)).toBe("0.2 %");
    expect(formatShare(1 / 13)).toBe("7.7 %");
    expect(formatShare(0.5)).toBe("50 %");
    expect(formatShare(32_768 / 41_984)).toBe("78 %");
    expect(formatShare(0.0000001)).toBe("< 0.1 %");
    expect(formatShare(0.9999)).toBe("> 99.5 %");
    expect(formatShare(1)).toBe("100 %");
  });
});
