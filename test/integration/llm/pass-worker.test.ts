/**
 * Group passes in a worker thread (lib/llm/server/pass-runner.ts + pass-worker.mjs) on the real
 * course-lm: generations batched through it reply exactly as each would alone — greedy and
 * seeded sampling token for token, every recorded logit within 1e-4 — while two groups' passes
 * overlap and groups are rebuilt as sequences end and arrive (their cache blocks move out of the
 * worker and back); and a group pass that never returns is abandoned, the worker replaced, and
 * the next generations run as usual.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PassAbandonedError, StepBatcher } from "@/lib/llm/batch";
import { generateTrace } from "@/lib/llm/decode";
import { loadModel, type LoadedModel } from "@/lib/llm/load";
import { WorkerPasses } from "@/lib/llm/server/pass-runner";
import type { GenerationSettingsInput, Trace } from "@/lib/llm/trace";
import { expectSameAsAlone, PROMPTS, tokens } from "../../helpers/batching";

const MODEL_DIR = path.resolve("public/models/course-lm");
const ONNX_FILE = path.join(MODEL_DIR, "onnx", "model.onnx");

describe("group passes in a worker thread", () => {
  let model: LoadedModel;
  const workers: WorkerPasses[] = [];
  const startWorker = async () => {
    const passes = new WorkerPasses({ onnxFile: ONNX_FILE, intraOpThreads: 1 });
    workers.push(passes);
    await passes.whenReady();
    return passes;
  };
  beforeAll(async () => {
    model = await loadModel({ id: "course-lm", location: MODEL_DIR, localFilesOnly: true, dtype: "fp32", intraOpThreads: 1 });
  });
  afterAll(async () => {
    for (const passes of workers) await passes.dispose();
  });

  it.each([
    ["greedy", (n: number) => ({ greedy: true, maxNewTokens: n })],
    ["seeded sampling with the tutor's stages", (n: number) => ({ seed: 5, temperature: 0.8, copyBoost: 2, repetitionPenalty: 1.2, maxNewTokens: n })],
  ] as const)("%s: six generations in two overlapping groups equal each run alone, as groups are rebuilt", async (_name, settingsFor) => {
    // Different lengths: sequences end at different steps, so groups idle rows and are rebuilt.
    const settings: GenerationSettingsInput[] = PROMPTS.map((_, i) => settingsFor(8 + 6 * i));
    const expected: Trace[] = [];
    for (const [i, prompt] of PROMPTS.entries()) expected.push(await generateTrace({ model, prompt, settings: settings[i]! }));

    const passes = await startWorker();
    const batcher = new StepBatcher(model, { maxBatch: () => 3, passes });
    const batched = await Promise.all(PROMPTS.map((prompt, i) => generateTrace({ model, prompt, settings: settings[i]!, batcher })));

    expectSameAsAlone(batched, expected, PROMPTS);
    // Two groups of three, their passes in flight together; rebuilt (blocks back from the worker) as members ended.
    expect(batcher.stats.maxRows).toBe(3);
    expect(batcher.stats.maxInFlight).toBe(2);
    expect(batcher.stats.groupBuilds).toBeGreaterThan(2);
    // Every group's block was taken back or dropped as its sequences ended.
    expect(passes.heldBlocks).toBe(0);
  });

  it("a group pass that never returns is abandoned once its sequences were stopped: the worker is replaced and the next generations run as alone", async () => {
    const passes = await startWorker();
    // Test double for a stuck engine: the next group pass never settles (the worker itself answers; the batcher cannot tell).
    const realStep = passes.step.bind(passes);
    let hangNext = true;
    passes.step = (...args) => {
      if (!hangNext) return realStep(...args);
      hangNext = false;
      return new Promise(() => {});
    };
    const batcher = new StepBatcher(model, { maxBatch: () => 4, abandonAfterMs: () => 50, passes });
    const stops = [new AbortController(), new AbortController()];
    const hung = PROMPTS.slice(0, 2).map((prompt, i) => generateTrace({ model, prompt, settings: { greedy: true, maxNewTokens: 20 }, batcher, signal: stops[i]!.signal }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    stops.forEach((s) => s.abort());
    for (const generation of hung) await expect(generation).rejects.toBeInstanceOf(PassAbandonedError);

    const settings = { greedy: true, maxNewTokens: 12 };
    const expected: Trace[] = [];
    for (const prompt of PROMPTS.slice(2, 5)) expected.push(await generateTrace({ model, prompt, settings }));
    const next = await Promise.all(PROMPTS.slice(2, 5).map((prompt) => generateTrace({ model, prompt, settings, batcher })));
    next.forEach((trace, i) => expect(tokens(trace)).toEqual(tokens(expected[i]!)));
    expect(passes.workersStarted).toBe(2);
    expect(batcher.stats.groupBuilds).toBeGreaterThanOrEqual(2); // the new group ran its passes in the new worker
    expect(passes.heldBlocks).toBe(0);
  });
});

describe("a pass worker that cannot open its model", () => {
  it("reports it (naming the file) and is not restarted over and over", async () => {
    const passes = new WorkerPasses({ onnxFile: path.join(MODEL_DIR, "onnx", "missing.onnx"), intraOpThreads: 1 });
    await expect(passes.whenReady()).rejects.toThrow(/missing\.onnx/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(passes.workersStarted).toBe(1);
    await passes.dispose();
  });
});
