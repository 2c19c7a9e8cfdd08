/**
 * Beam search (lib/llm/beam.ts) on the real course-lm (public/models/course-lm), loaded as the
 * server loads it, with the model behind the same request the lesson demo sends: a beam's
 * tokens forced, one greedy step, its top candidates (lib/playground/beam-search.ts). With
 * B = 1 it must be greedy decoding exactly: the tokens the decode loop picks greedily, and
 * the same summed log-probability.
 * GLASSBOX_TEST_MODEL_DIR points the tests at another transformers.js folder.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { beamSearch, type NextLogprobs } from "@/lib/llm/beam";
import { generateTrace } from "@/lib/llm/decode";
import { loadModel, type LoadedModel } from "@/lib/llm/load";
import { beamRequest, greedyRequest, traceNextTokens, type BeamToken } from "@/lib/playground/beam-search";

const MODEL_DIR = process.env.GLASSBOX_TEST_MODEL_DIR ?? path.resolve("public/models/course-lm");
const PROMPT = "The weather today is";
const STEPS = 12;

describe("beam search on course-lm", () => {
  let model: LoadedModel;
  let calls = 0;
  /** The model as beam search sees it: the demo's request, run by the decode loop. */
  const next: NextLogprobs<BeamToken> = async (ids, k) => {
    calls++;
    const request = beamRequest(PROMPT, ids, k);
    const trace = await generateTrace({ model, prompt: request.prompt, settings: request.settings, forcedTokens: request.forcedTokens, candidateCount: request.candidateCount });
    return traceNextTokens(trace, ids.length, k);
  };

  beforeAll(async () => {
    model = await loadModel({ id: "course-lm", location: MODEL_DIR, localFilesOnly: true, dtype: "fp32" });
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it("B = 1 equals greedy decoding token for token, with the same log-probability", async () => {
    const request = greedyRequest(PROMPT, STEPS);
    const greedy = await generateTrace({ model, prompt: request.prompt, settings: request.settings });
    expect(greedy.steps.length).toBeGreaterThan(0);
    const history = await beamSearch(next, STEPS, { width: 1 });
    const best = history.at(-1)!.beams[0];
    expect(best.tokens.map((t) => t.id)).toEqual(greedy.steps.map((s) => s.tokenId));
    expect(best.tokens.map((t) => t.token.text)).toEqual(greedy.steps.map((s) => s.text));
    let sum = 0;
    for (const s of greedy.steps) sum += s.logprob;
    expect(best.logprob).toBe(sum);
    // Every step kept one beam, extending the one before it.
    history.forEach((h, i) => {
      expect(h.beams).toHaveLength(1);
      if (!h.finished) expect(h.beams[0].tokens).toHaveLength(i + 1);
    });
  });

  it("B = 3 keeps three real beams, best first, and the best is at least as probable as greedy", async () => {
    calls = 0;
    const history = await beamSearch(next, 2, { width: 3 });
    expect(history).toHaveLength(2);
    // Step 1 asks about the prompt once; step 2 asks about each of the three beams.
    expect(calls).toBe(4);
    const [step1, step2] = history;
    expect(step1.beams).toHaveLength(3);
    expect(step2.beams).toHaveLength(3);
    expect(step2.candidates).toHaveLength(9);
    const scores = step2.beams.map((b) => b.logprob);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const b of step2.beams) {
      expect(b.tokens).toHaveLength(2);
      expect(b.logprob).toBeLessThan(0);
      expect(b.tokens.every((t) => t.token.text.length > 0)).toBe(true);
    }
    const greedy = await generateTrace({ model, prompt: PROMPT, settings: greedyRequest(PROMPT, 2).settings });
    const greedyLogprob = greedy.steps.reduce((s, x) => s + x.logprob, 0);
    expect(step2.beams[0].logprob).toBeGreaterThanOrEqual(greedyLogprob);
    // Step 1's beams are the model's three most likely first tokens, greedy's pick first.
    expect(step1.beams[0].tokens[0].id).toBe(greedy.steps[0].tokenId);
  });
});
