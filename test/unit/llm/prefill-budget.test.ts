import { describe, expect, it } from "vitest";
import { PREFILL_TOKEN_BUDGET, prefillsThatFit } from "@/lib/llm/batch";

const prompts = (...lengths: number[]) => lengths.map((n) => ({ ids: Array.from({ length: n }, (_, i) => i) }));

describe("prefillsThatFit: which waiting prompts share the next prefill pass", () => {
  it("takes prompts in arrival order while rows × the longest stays within the budget", () => {
    // 10, 20, 30 → 3 × 30 = 90 ≤ 100; adding 40 → 4 × 40 = 160 > 100.
    expect(prefillsThatFit(prompts(10, 20, 30, 40), 8, 100)).toBe(3);
    // 50, 10 → 2 × 50 = 100 ≤ 100 (the budget is inclusive); a third → 3 × 50 = 150.
    expect(prefillsThatFit(prompts(50, 10, 10), 8, 100)).toBe(2);
  });

  it("never takes more than maxBatch", () => {
    expect(prefillsThatFit(prompts(1, 1, 1, 1, 1), 3, 100)).toBe(3);
  });

  it("always takes the first prompt, even one longer than the budget on its own", () => {
    expect(prefillsThatFit(prompts(500, 1), 8, 100)).toBe(1);
    expect(prefillsThatFit([], 8, 100)).toBe(0);
  });

  it("the default budget holds 32 short questions or five of the tutor's ~400-token prompts", () => {
    expect(prefillsThatFit(prompts(...Array(40).fill(12)), 32)).toBe(32);
    expect(prefillsThatFit(prompts(...Array(8).fill(400)), 32)).toBe(5);
    expect(PREFILL_TOKEN_BUDGET).toBe(2048);
  });
});
