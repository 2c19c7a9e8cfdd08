/**
 * The gallery's and these tests' fixtures are real course-lm runs (lib/inspector/sample-traces/,
 * made by scripts/inspector/sample-traces.ts). Check they are what the tests assume, and that
 * they hang together the way only real runs do: the branch replays the sampled reply's logits
 * exactly.
 */
import { describe, expect, it } from "vitest";
import { isGreedy } from "@/lib/llm/trace";
import { aborted, branch, bytes, greedy, sampled } from "./fixtures";

describe("trace fixtures", () => {
  it("come from course-lm and cover the states the inspector must show", () => {
    for (const t of [greedy, sampled, bytes, branch, aborted]) {
      expect(t.version).toBe(1);
      expect(t.model).toMatchObject({ id: "course-lm", dtype: "fp32", backend: "node" });
      expect(t.vocabSize).toBe(2048);
    }
    expect(isGreedy(greedy.settings)).toBe(true);
    expect(greedy.finishReason).toBe("eos");
    expect(sampled.settings).toMatchObject({ topK: 40, topP: 0.9, minP: 0.02, repetitionPenalty: 1.3, presencePenalty: 0.5, frequencyPenalty: 0.3 });
    expect(bytes.prompt.tokens.some((t) => t.bytes)).toBe(true); // 🙂 and 温度 split into bytes
    expect(bytes.prompt.tokens.filter((t) => t.special).map((t) => t.text)).toEqual(["<|endoftext|>", "<|user|>", "<|end|>", "<|assistant|>"]);
    expect(aborted).toMatchObject({ finishReason: "aborted", steps: [] });
  });

  it("the branch replays the sampled reply's first steps with identical logits, then differs at step 6", () => {
    for (let i = 0; i < 5; i++) {
      expect(branch.steps[i].forced).toBe(true);
      expect(branch.steps[i].tokenId).toBe(sampled.steps[i].tokenId);
      expect(branch.steps[i].candidates.map((c) => c.logit)).toEqual(sampled.steps[i].candidates.map((c) => c.logit));
    }
    expect(branch.steps[5].forced).toBe(true);
    expect(branch.steps[5].tokenId).not.toBe(sampled.steps[5].tokenId);
    expect(branch.steps[5].candidates.map((c) => c.logit)).toEqual(sampled.steps[5].candidates.map((c) => c.logit));
    expect(branch.steps.slice(6).every((s) => !s.forced && s.u !== null)).toBe(true);
  });
});
