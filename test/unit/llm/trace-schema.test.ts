/**
 * The trace's runtime schema (lib/llm/trace-schema.ts) accepts what the decode loop writes and
 * rejects what it never would. (That the schema and the Trace type name the same fields is
 * checked at compile time, in the schema's own file.)
 */
import { describe, expect, it } from "vitest";
import { partialTrace, MAX_CANDIDATES, MAX_TRACKED_TOKENS, type Trace } from "@/lib/llm/trace";
import { traceSchema } from "@/lib/llm/trace-schema";
import sampledJson from "@/lib/inspector/sample-traces/sampled.json";

const sampled = sampledJson as unknown as Trace;

describe("trace schema", () => {
  it("accepts a recorded trace, and a partial one built from its start", () => {
    expect(traceSchema.safeParse(sampled).success).toBe(true);
    expect(traceSchema.safeParse(partialTrace(sampled, sampled.steps.slice(0, 2))).success).toBe(true);
  });

  it("allows as many candidates as a request may ask for, plus the chosen token and the tracked tokens, and no more", () => {
    const withCandidates = (n: number) => {
      const step = sampled.steps[0];
      const candidates = Array.from({ length: n }, (_, i) => ({ ...step.candidates[0], id: i }));
      return { ...sampled, steps: [{ ...step, candidates }] };
    };
    expect(traceSchema.safeParse(withCandidates(MAX_CANDIDATES + 1 + MAX_TRACKED_TOKENS)).success).toBe(true);
    expect(traceSchema.safeParse(withCandidates(MAX_CANDIDATES + 2 + MAX_TRACKED_TOKENS)).success).toBe(false);
  });

  it("knows every stage that can remove a candidate, the quote stage included, and nothing else", () => {
    const removedBy = (stage: string) => ({ ...sampled, steps: [{ ...sampled.steps[0], candidates: [{ ...sampled.steps[0].candidates[0], removedBy: stage }] }] });
    expect(traceSchema.safeParse(removedBy("quote")).success).toBe(true);
    expect(traceSchema.safeParse(removedBy("vibes")).success).toBe(false);
  });

  it("a partial trace reads its reply from the streamed steps and ends 'aborted'", () => {
    const partial = partialTrace(sampled, sampled.steps.slice(0, 3), 12);
    expect(partial).toMatchObject({ finishReason: "aborted", vocabSize: sampled.vocabSize, contextLength: sampled.contextLength, timings: { totalMs: 12 } });
    expect(sampled.reply.text.startsWith(partial.reply.text)).toBe(true);
  });
});
