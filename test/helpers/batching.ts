/**
 * Shared by the batching tests (test/integration/llm/batch.test.ts, pass-worker.test.ts): the
 * prompts they batch, and the check that a batched reply is the reply of the same request alone.
 */
import { expect } from "vitest";
import type { Trace } from "@/lib/llm/trace";

// Different lengths on purpose: the batch left-pads the shorter caches.
export const PROMPTS = [
  "A token is",
  "Temperature divides the logits by T before the softmax, so",
  "The KV cache stores",
  "Byte-pair encoding starts from single bytes and repeatedly merges the most frequent pair of neighbours. The result",
  "Perplexity is",
  "Top-p sampling keeps the smallest set of tokens whose probabilities add up to p; top-k",
];

export const tokens = (trace: Trace) => trace.steps.map((s) => s.tokenId);

/** The largest difference between two traces' recorded logits, candidate by candidate (same tokens assumed). */
export function maxLogitDifference(a: Trace, b: Trace): number {
  let max = 0;
  a.steps.forEach((step, i) =>
    step.candidates.forEach((c, k) => {
      const other = b.steps[i]!.candidates[k]!;
      expect(other.id).toBe(c.id);
      max = Math.max(max, Math.abs(c.logit - other.logit), Math.abs(c.probFinal - other.probFinal));
    }),
  );
  return max;
}

/** Each batched trace replies as the same request alone: token for token, every recorded logit within 1e-4. */
export function expectSameAsAlone(traces: readonly Trace[], expected: readonly Trace[], labels: readonly string[]): void {
  traces.forEach((trace, i) => {
    expect(tokens(trace), labels[i]).toEqual(tokens(expected[i]!));
    expect(maxLogitDifference(trace, expected[i]!), labels[i]).toBeLessThan(1e-4);
  });
}
