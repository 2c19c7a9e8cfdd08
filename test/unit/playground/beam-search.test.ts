/**
 * The beam-search demo's model glue (lib/playground/beam-search.ts): the requests it sends
 * (accepted by the API's own schema) and how a trace step becomes exact next-token
 * log-probabilities, on a hand-made step whose numbers are worked out by hand.
 */
import { describe, expect, it } from "vitest";
import { generateBodySchema } from "@/app/api/generate/schema";
import { generateBody } from "@/lib/playground/lab-engine";
import { beamRequest, DEFAULT_BEAM_WIDTH, greedyRequest, greedyTokens, parseBeamWidth, stepNextTokens, traceNextTokens } from "@/lib/playground/beam-search";
import type { TraceCandidate, TraceStep } from "@/lib/llm/trace";

const server = { backend: "server", model: "course-lm" } as const;

function candidate(id: number, text: string, logit: number): TraceCandidate {
  return { id, text, logit, logitAfterPenalty: logit, probAtTemperature: 0, probFinal: 0 };
}

/**
 * A greedy step: logits 2, 1, 0 for ids 10, 11, 12 (and the rest of the vocabulary with
 * log Z = 2.5, say). The chosen token's logprob is 2 − 2.5 = −0.5, so log Z = 2.5 and the
 * others are 1 − 2.5 = −1.5 and 0 − 2.5 = −2.5.
 */
const step: TraceStep = {
  index: 2,
  text: " sunny",
  tokenId: 10,
  logprob: -0.5,
  rank: 0,
  entropy: 0,
  u: null,
  kept: { afterPenalties: 100, afterTopK: 1, afterTopP: 1, afterMinP: 1 },
  candidates: [candidate(10, " sunny", 2), candidate(11, " cold", 1), candidate(12, " wet", 0)],
};

describe("beam-search demo requests", () => {
  it("asks for one greedy step after the beam's tokens, forced", () => {
    const request = beamRequest("The weather today is", [5, 6], 3);
    expect(request).toEqual({
      prompt: "The weather today is",
      settings: { greedy: true, temperature: 0, maxNewTokens: 3 },
      forcedTokens: [5, 6],
      candidateCount: 3,
    });
    expect(generateBodySchema.safeParse(generateBody(server, request)).success).toBe(true);
    expect(generateBodySchema.safeParse(generateBody(server, beamRequest("x", []))).success).toBe(true);
    expect(greedyRequest("x", 4).settings).toEqual({ greedy: true, temperature: 0, maxNewTokens: 4 });
    expect(generateBodySchema.safeParse(generateBody(server, greedyRequest("x", 4))).success).toBe(true);
  });

  it("reads a width from a tag prop: 1–4, else the default", () => {
    expect(["1", "4", 2, "0", "5", "2.5", "", undefined, "x"].map(parseBeamWidth)).toEqual([1, 4, 2, 3, 3, 3, 3, 3, 3]);
    expect(DEFAULT_BEAM_WIDTH).toBe(3);
  });
});

describe("next tokens from a trace step", () => {
  it("gives each recorded candidate its exact log-probability, the argmax its step's own logprob", () => {
    const next = stepNextTokens(step, 3);
    expect(next.map((t) => t.id)).toEqual([10, 11, 12]);
    expect(next[0].logprob).toBe(-0.5);
    expect(next[1].logprob).toBeCloseTo(-1.5, 12);
    expect(next[2].logprob).toBeCloseTo(-2.5, 12);
    expect(next[1].token).toEqual({ text: " cold" });
    expect(stepNextTokens(step, 2).map((t) => t.id)).toEqual([10, 11]);
  });

  it("takes the step after the forced tokens, and nothing when the text ended before it", () => {
    const forced = { ...step, index: 0, forced: true as const };
    expect(traceNextTokens({ steps: [forced, { ...step, index: 1 }] }, 1, 1).map((t) => t.id)).toEqual([10]);
    // The forced token ended the text: no live step.
    expect(traceNextTokens({ steps: [forced] }, 1, 3)).toEqual([]);
  });

  it("reads the greedy path of a trace as tokens with their logprobs", () => {
    expect(greedyTokens({ steps: [step] })).toEqual([{ id: 10, logprob: -0.5, token: { text: " sunny" } }]);
  });
});
