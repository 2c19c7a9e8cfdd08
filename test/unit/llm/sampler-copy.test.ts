/**
 * The sampler's copy stage (lib/llm/sampler.ts + lib/llm/copy.ts), hand-computed.
 *
 * Vocabulary of 4 tokens; token 3 ends a sentence. Prompt [0, 1, 2]; the reply so far is
 * [0, 1], so the run "0 1" continues with token 2 in the prompt.
 */
import { describe, expect, it } from "vitest";
import { createCopySource } from "@/lib/llm/copy";
import { createRng } from "@/lib/llm/prng";
import { createSamplerContext, sampleStep } from "@/lib/llm/sampler";
import { stagesOff as settings } from "./settings";

const PROMPT = [0, 1, 2];
const context = () => createSamplerContext(PROMPT, [0, 1], createCopySource(PROMPT, (id) => id === 3));
const LOGITS = [0, 3, 1, 0.5];

describe("copy stage", () => {
  it("off (copyBoost 0): nothing recorded, nothing changed", () => {
    const s = sampleStep(LOGITS, context(), settings({ greedy: true }), createRng(1));
    expect(s.tokenId).toBe(1);
    expect(s.copy).toBeUndefined();
    expect(s.candidates.some((c) => c.copyBonus !== undefined)).toBe(false);
  });

  it("adds the boost to the token that continues the quote, and greedy follows it", () => {
    // Adjusted logits [0, 3, 1 + 2.5, 0.5]: token 2 now leads 3.5 to 3.
    const s = sampleStep(LOGITS, context(), settings({ greedy: true, copyBoost: 2.5 }), createRng(1));
    expect(s.copy).toEqual({ matched: 2, boosted: [2] });
    expect(s.tokenId).toBe(2);
    const c2 = s.candidates.find((c) => c.id === 2)!;
    expect(c2).toMatchObject({ logit: 1, logitAfterPenalty: 1, copyBonus: 2.5 });
    expect(s.candidates.find((c) => c.id === 1)!.copyBonus).toBeUndefined();
    // The model's own log-probability is untouched by the stage: log softmax(raw)[2].
    const z = Math.log(Math.exp(0) + Math.exp(3) + Math.exp(1) + Math.exp(0.5));
    expect(s.logprob).toBeCloseTo(1 - z, 12);
    expect(s.rank).toBe(1);
  });

  it("probabilities at temperature are softmax of the boosted logits", () => {
    const s = sampleStep(LOGITS, context(), settings({ copyBoost: 2.5 }), createRng(1));
    const e = [Math.exp(0), Math.exp(3), Math.exp(3.5), Math.exp(0.5)];
    const sum = e.reduce((a, b) => a + b, 0);
    // By hand: 33.1155 / 55.8497 = 0.59294; 20.0855 / 55.8497 = 0.35963.
    expect(s.candidates.find((c) => c.id === 2)!.probAtTemperature).toBeCloseTo(e[2] / sum, 12);
    expect(s.candidates.find((c) => c.id === 2)!.probAtTemperature).toBeCloseTo(0.59294, 4);
    expect(s.candidates.find((c) => c.id === 1)!.probAtTemperature).toBeCloseTo(0.35963, 4);
  });

  it("comes after the penalties: the bonus is added to the penalised logit", () => {
    // Repetition penalty 2 on every seen token (0, 1, 2 are all in the prompt): 3 → 1.5, 1 → 0.5.
    const s = sampleStep(LOGITS, context(), settings({ greedy: true, repetitionPenalty: 2, copyBoost: 2.5 }), createRng(1));
    const c2 = s.candidates.find((c) => c.id === 2)!;
    expect(c2.logitAfterPenalty).toBe(0.5);
    expect(c2.copyBonus).toBe(2.5);
    expect(s.tokenId).toBe(2); // 0.5 + 2.5 = 3 > 1.5
  });

  it("leaves the choice to the model after a sentence ends", () => {
    const ctx = createSamplerContext(PROMPT, [0, 3], createCopySource(PROMPT, (id) => id === 3));
    const s = sampleStep(LOGITS, ctx, settings({ greedy: true, copyBoost: 5 }), createRng(1));
    expect(s.copy).toEqual({ matched: 0, boosted: [] });
    expect(s.tokenId).toBe(1);
  });

  it("is reproducible: the same context, settings and seed give the same token and draw", () => {
    const a = sampleStep(LOGITS, context(), settings({ copyBoost: 1.5, temperature: 0.8 }), createRng(42));
    const b = sampleStep(LOGITS, context(), settings({ copyBoost: 1.5, temperature: 0.8 }), createRng(42));
    expect(b).toEqual(a);
  });
});
