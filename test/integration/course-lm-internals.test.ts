/**
 * course-lm's internals graph (onnx/model_internals.onnx, scripts/train/internals.py) run by
 * transformers.js in Node, and the decode loop's `internals` contract (lib/llm/internals.ts):
 *   - the graph's attention, residual stream and logit lens equal PyTorch's (reference-internals.json,
 *     written by the export from the checkpoint) within 1e-4;
 *   - its logits are model.onnx's: a reply traced with internals is the same reply;
 *   - each step's attention has a row per layer and head over exactly the P + i positions the
 *     step's position can see, each summing to 1; the last layer's lens top-1 is the step's top candidate;
 *   - a model loaded without its internals graph refuses the option.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forward, generateTrace } from "@/lib/llm/decode";
import { INTERNALS_DECIMALS, INTERNALS_MAX_STEPS, LENS_TOP, readStepInternals, topProbabilities } from "@/lib/llm/internals";
import { loadModel, type LoadedModel } from "@/lib/llm/load";

const DIR = path.resolve(process.env.COURSE_LM_DIR ?? "public/models/course-lm");
const reference = JSON.parse(fs.readFileSync(path.join(DIR, "reference-internals.json"), "utf8")) as {
  ids: number[];
  layers: number;
  heads: number;
  attention: number[][][];
  hiddenStates: number[][];
  lensLogits: number[][];
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
};
const CHAT = [{ role: "user", content: "What does temperature do?" }];

describe("course-lm's internals graph", () => {
  let plain: LoadedModel;
  let inside: LoadedModel;
  beforeAll(async () => {
    [plain, inside] = await Promise.all([
      loadModel({ id: "course-lm", location: DIR, localFilesOnly: true, dtype: "fp32" }),
      loadModel({ id: "course-lm", location: DIR, localFilesOnly: true, dtype: "fp32", internals: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain?.dispose(), inside?.dispose()]);
  });

  it("gives PyTorch's attention, residual stream and logit lens for the last position (max |diff| < 1e-4)", async () => {
    const { outputs, cache } = await forward(inside, reference.ids, 0, null);
    await cache.dispose();
    const T = reference.ids.length;
    let worst = 0;
    for (let layer = 0; layer < reference.layers; layer++) {
      const a = outputs[`attentions.${layer}`]!;
      const [, kvHeads, perKv, sequence, total] = a.dims as number[];
      expect([kvHeads! * perKv!, sequence, total]).toEqual([reference.heads, T, T]);
      const data = a.data as Float32Array;
      for (let h = 0; h < reference.heads; h++) {
        const start = (h * T + (T - 1)) * T;
        worst = Math.max(worst, maxDiff(data.subarray(start, start + T), reference.attention[layer]![h]!));
      }
      const hidden = outputs[`hidden_states.${layer}`]!.data as Float32Array;
      worst = Math.max(worst, maxDiff(hidden.subarray((T - 1) * hidden.length / T), reference.hiddenStates[layer]!));
      const lens = outputs[`lens_logits.${layer}`]!.data as Float32Array;
      worst = Math.max(worst, maxDiff(lens.subarray((T - 1) * lens.length / T), reference.lensLogits[layer]!));
    }
    console.info(`internals vs PyTorch: max |diff| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
  });

  it("computes model.onnx's logits, so a reply traced with internals is the same reply", async () => {
    const settings = { greedy: true, maxNewTokens: 12 };
    const [a, b] = [await generateTrace({ model: plain, messages: CHAT, settings }), await generateTrace({ model: inside, messages: CHAT, settings, internals: true })];
    expect(b.steps.map((s) => s.tokenId)).toEqual(a.steps.map((s) => s.tokenId));
    b.steps.forEach((s, i) => expect(Math.abs(s.candidates[0]!.logit! - a.steps[i]!.candidates[0]!.logit!)).toBeLessThan(1e-4));
    expect(a.steps.every((s) => s.attention === undefined && s.logitLens === undefined)).toBe(true);
  });

  it("records per step: attention rows over exactly the P + i visible positions, each summing to 1; lens ending in the step's top candidate", async () => {
    const trace = await generateTrace({ model: inside, messages: CHAT, settings: { greedy: true, maxNewTokens: 8 }, internals: true });
    const P = trace.prompt.tokens.length;
    const tolerance = 10 ** -INTERNALS_DECIMALS * (P + trace.steps.length);
    for (const step of trace.steps) {
      expect(step.attention).toHaveLength(reference.layers);
      for (const layer of step.attention!) {
        expect(layer).toHaveLength(reference.heads);
        for (const row of layer) {
          expect(row).toHaveLength(P + step.index); // nothing on future positions
          expect(Math.abs(row.reduce((x, y) => x + y, 0) - 1)).toBeLessThanOrEqual(tolerance);
          expect(row.every((w) => w >= 0 && w <= 1)).toBe(true);
        }
      }
      expect(step.logitLens).toHaveLength(reference.layers);
      for (const layer of step.logitLens!) {
        expect(layer).toHaveLength(LENS_TOP);
        for (let i = 1; i < layer.length; i++) expect(layer[i]!.prob).toBeLessThanOrEqual(layer[i - 1]!.prob);
      }
      expect(step.logitLens!.at(-1)![0]!.id).toBe(step.candidates[0]!.id);
    }
    const bytes = JSON.stringify(trace.steps.map((s) => ({ attention: s.attention, logitLens: s.logitLens }))).length / trace.steps.length;
    console.info(`internals: ${Math.round(bytes)} bytes per step of JSON at a ${P}-token prompt`);
  });

  it(`stays within its size cap: internals for the first ${INTERNALS_MAX_STEPS} steps only; bytes per step reported at a long prompt`, async () => {
    const endless = { ...inside, eosTokenIds: [] }; // run every step
    const trace = await generateTrace({ model: endless, prompt: "Tokens, ".repeat(4), settings: { greedy: true, maxNewTokens: INTERNALS_MAX_STEPS + 2 }, internals: true });
    expect(trace.steps).toHaveLength(INTERNALS_MAX_STEPS + 2);
    expect(trace.steps.filter((s) => s.attention !== undefined)).toHaveLength(INTERNALS_MAX_STEPS);
    expect(trace.steps.at(-1)!.attention).toBeUndefined();

    const long = await generateTrace({ model: inside, prompt: "The model reads tokens and predicts the next one. ".repeat(48), settings: { greedy: true, maxNewTokens: 2 }, internals: true });
    const bytes = JSON.stringify({ attention: long.steps[0]!.attention, logitLens: long.steps[0]!.logitLens }).length;
    console.info(`internals: ${Math.round(bytes / 1000)} KB of JSON per step at a ${long.prompt.tokens.length}-token prompt`);
    expect(long.prompt.tokens.length).toBeGreaterThan(400);
    expect(bytes * INTERNALS_MAX_STEPS).toBeLessThan(8e6);
  });

  it("readStepInternals refuses a pass of the plain graph; decode refuses internals on a model loaded without them", async () => {
    const { outputs, cache } = await forward(plain, [1, 2, 3], 0, null);
    await cache.dispose();
    expect(() => readStepInternals(outputs, plain.tokens)).toThrow(/no internals outputs/);
    await expect(generateTrace({ model: plain, prompt: "Hello", settings: { greedy: true, maxNewTokens: 2 }, internals: true })).rejects.toThrow(/internals graph/);
  });
});

describe("topProbabilities (hand-computed)", () => {
  it("softmax over the whole row, top k by logit, ties to the lower id", () => {
    // softmax(ln 1, ln 2, ln 2, ln 5) = (0.1, 0.2, 0.2, 0.5)
    const top = topProbabilities([Math.log(1), Math.log(2), Math.log(2), Math.log(5)], 3);
    expect(top.map((t) => t.id)).toEqual([3, 1, 2]);
    top.forEach((t, i) => expect(t.prob).toBeCloseTo([0.5, 0.2, 0.2][i]!, 12));
  });
});
