import { describe, expect, it } from "vitest";
import { BUCKET_EDGES, BUCKETS, chosenProbability, probBucket } from "@/lib/inspector/color-scale";
import { greedy, sampled } from "./fixtures";

describe("probability colour buckets", () => {
  it("has six ordered buckets covering [0, 1] without gaps", () => {
    expect(BUCKETS).toHaveLength(6);
    expect(BUCKETS[0].min).toBe(0);
    expect(BUCKETS[BUCKETS.length - 1].max).toBe(1);
    for (let i = 1; i < BUCKETS.length; i++) expect(BUCKETS[i].min).toBe(BUCKETS[i - 1].max);
    expect(BUCKETS.map((b) => b.label)).toEqual(["< 1%", "1–5%", "5–15%", "15–40%", "40–75%", "≥ 75%"]);
  });

  it("puts each edge in the bucket above it (lower bounds inclusive)", () => {
    expect(probBucket(0).index).toBe(0);
    expect(probBucket(0.0099).index).toBe(0);
    BUCKET_EDGES.forEach((edge, i) => {
      expect(probBucket(edge).index).toBe(i + 1);
      expect(probBucket(edge - 1e-12).index).toBe(i);
    });
    expect(probBucket(0.9999).index).toBe(5);
    expect(probBucket(1).index).toBe(5);
  });

  it("handles values outside [0, 1]", () => {
    expect(probBucket(Number.NaN).index).toBe(0);
    expect(probBucket(-0.1).index).toBe(0);
    expect(probBucket(1.5).index).toBe(5);
  });

  it("colours by the model's probability or by the sampled one", () => {
    const step = sampled.steps[0];
    expect(chosenProbability(step, "model")).toBeCloseTo(Math.exp(step.logprob), 15);
    const chosen = step.candidates.find((c) => c.id === step.tokenId)!;
    expect(chosenProbability(step, "sampled")).toBe(chosen.probFinal);
    // Greedy: the sampled distribution is one-hot.
    expect(chosenProbability(greedy.steps[0], "sampled")).toBe(1);
  });
});
