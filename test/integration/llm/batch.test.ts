/**
 * Continuous batching (lib/llm/batch.ts) on the real course-lm: generations that share forward
 * passes reply exactly as each would alone — greedy and seeded sampling token for token, every
 * recorded logit within 1e-4 — while sequences of different lengths join and leave between
 * passes; prompts arriving together share prefill passes, which alternate with step passes; a stopped sequence leaves without disturbing
 * the rest; and a pass that never returns is abandoned once everyone in it was stopped.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PassAbandonedError, StepBatcher } from "@/lib/llm/batch";
import { decode, generateTrace } from "@/lib/llm/decode";
import { loadModel, type LoadedModel } from "@/lib/llm/load";
import type { GenerationSettingsInput, Trace } from "@/lib/llm/trace";
import { expectSameAsAlone, PROMPTS, tokens } from "../../helpers/batching";

const MODEL_DIR = path.resolve("public/models/course-lm");

/**
 * Test double for a stuck engine: the real model, except that a forward pass asked while
 * `hangs()` says so goes to `instead` (which may never settle, or call the real pass late).
 */
function withStuckPass(model: LoadedModel, hangs: () => boolean, instead: (real: () => Promise<unknown>) => Promise<unknown>): LoadedModel {
  const inner = model.model;
  const real = inner.forward.bind(inner);
  return {
    ...model,
    model: Object.assign(Object.create(inner), {
      forward: (inputs: unknown) => (hangs() ? instead(() => real(inputs as never)) : real(inputs as never)),
    }),
  };
}

describe("continuous batching on course-lm", () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await loadModel({ id: "course-lm", location: MODEL_DIR, localFilesOnly: true, dtype: "fp32" });
  });

  const alone = (prompt: string, settings: GenerationSettingsInput) => generateTrace({ model, prompt, settings });

  it.each([
    ["greedy", { greedy: true, maxNewTokens: 24 }],
    ["seeded sampling", { seed: 11, temperature: 1, topK: 0, topP: 1, maxNewTokens: 24 }],
    ["the tutor's stages (copy, penalties)", { seed: 3, temperature: 0.7, copyBoost: 4, repetitionPenalty: 1.3, maxNewTokens: 24 }],
  ] as const)("%s: six generations sharing passes equal each run alone, token for token and logit for logit", async (_name, settings) => {
    const expected: Trace[] = [];
    for (const prompt of PROMPTS) expected.push(await alone(prompt, settings));

    const batcher = new StepBatcher(model, { maxBatch: () => 4 });
    const batched = await Promise.all(PROMPTS.map((prompt) => generateTrace({ model, prompt, settings, batcher })));

    expectSameAsAlone(batched, expected, PROMPTS);
    batched.forEach((trace, i) => {
      expect(trace.reply.text).toBe(expected[i]!.reply.text);
      expect(trace.finishReason).toBe(expected[i]!.finishReason);
    });
    // It did batch: passes of more than one row, never more than maxBatch.
    expect(batcher.stats.maxRows).toBe(4);
    expect(batcher.stats.stepRows).toBeGreaterThan(batcher.stats.stepPasses);
    expect(batcher.stats.prefills).toBe(PROMPTS.length);
    // The six prompts arrived together: they shared prefill passes too (at most four a pass).
    expect(batcher.stats.prefillPasses).toBe(2);
    // Every group's block was taken back or dropped as its sequences ended.
    expect(batcher.passes.heldBlocks).toBe(0);
  });

  it("sequences join and leave between passes: different lengths, one that ends at once, one that starts late", async () => {
    const settings = (maxNewTokens: number) => ({ greedy: true, maxNewTokens });
    const plan = [
      { prompt: PROMPTS[0]!, settings: settings(30) },
      { prompt: PROMPTS[1]!, settings: settings(1) }, // leaves after its first token
      { prompt: PROMPTS[3]!, settings: settings(12) },
    ];
    const expected = await Promise.all(plan.map((p) => alone(p.prompt, p.settings)));
    const late = await alone(PROMPTS[5]!, settings(10));

    const batcher = new StepBatcher(model, { maxBatch: () => 8 });
    const running = plan.map((p) => generateTrace({ model, ...p, batcher }));
    // A newcomer once the others are a few steps in.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const lateTrace = await generateTrace({ model, prompt: PROMPTS[5]!, settings: settings(10), batcher });
    const traces = await Promise.all(running);

    traces.forEach((trace, i) => expect(tokens(trace)).toEqual(tokens(expected[i]!)));
    expect(tokens(lateTrace)).toEqual(tokens(late));
    expect(batcher.stats.maxRows).toBeGreaterThan(1);
  });

  it("a member late for a pass sits it out (a masked column in its group's cache) and still replies exactly as alone", async () => {
    const settings = { greedy: true, maxNewTokens: 16 };
    const expected = await Promise.all(PROMPTS.slice(0, 4).map((prompt) => alone(prompt, settings)));
    const batcher = new StepBatcher(model, { maxBatch: () => 8 });
    // The first reply's reader is slow: its loop misses the passes its group runs meanwhile.
    const slowReader = async (prompt: string) => {
      for await (const event of decode({ model, prompt, settings, batcher })) {
        if (event.type === "step") await new Promise((resolve) => setTimeout(resolve, 4));
        if (event.type === "done") return event.trace;
      }
      throw new Error("no trace");
    };
    const traces = await Promise.all([slowReader(PROMPTS[0]!), ...PROMPTS.slice(1, 4).map((prompt) => generateTrace({ model, prompt, settings, batcher }))]);
    expectSameAsAlone(traces, expected, PROMPTS);
    expect(batcher.stats.idleRows).toBeGreaterThan(0);
    // Built for the three fast ones (the slow one was not back for the first step pass), rebuilt
    // once when it joined; once the others ended it left the group with its own cache and went
    // on alone — no build for that.
    expect(batcher.stats.groupBuilds).toBe(2);
  });

  it("sequences that end leave idle rows until the group is compacted; the others go on unchanged", async () => {
    const plan = PROMPTS.map((prompt, i) => ({ prompt, settings: { greedy: true, maxNewTokens: i < 4 ? 2 : 20 } }));
    const expected = await Promise.all(plan.map((p) => alone(p.prompt, p.settings)));
    const batcher = new StepBatcher(model, { maxBatch: () => 8 });
    const traces = await Promise.all(plan.map((p) => generateTrace({ model, ...p, batcher })));
    expectSameAsAlone(traces, expected, PROMPTS);
    // Built once for all six; rebuilt once for the two left when four of six rows idled.
    expect(batcher.stats.groupBuilds).toBe(2);
    expect(batcher.stats.maxRows).toBe(6);
  });

  it("prefill passes take the waiting newcomers together and alternate with step passes: a queue of newcomers does not stall the sequences already decoding", async () => {
    const passes: string[] = [];
    const batcher = new StepBatcher(model, { maxBatch: () => 2, onPass: (p) => passes.push(p.kind === "prefill" ? `P${p.rows}` : `S${p.rows}`) });
    const first = generateTrace({ model, prompt: PROMPTS[0]!, settings: { greedy: true, maxNewTokens: 20 }, batcher });
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first one is decoding
    const newcomers = PROMPTS.slice(1).map((prompt) => generateTrace({ model, prompt, settings: { greedy: true, maxNewTokens: 4 }, batcher }));
    await Promise.all([first, ...newcomers]);
    // Never two prefill passes in a row while some sequence was waiting for its step; the five
    // newcomers shared prefill passes, two at a time (maxBatch).
    const order = passes.join(" ");
    expect(order).toMatch(/^P1 /);
    expect(order).not.toMatch(/P\d P/);
    const prefills = passes.filter((p) => p.startsWith("P"));
    expect(prefills.slice(1)).toEqual(["P2", "P2", "P1"]);
  });

  it("a stopped generation leaves at once; the others go on unchanged", async () => {
    const settings = { greedy: true, maxNewTokens: 20 };
    const expected = await alone(PROMPTS[2]!, settings);
    const batcher = new StepBatcher(model, { maxBatch: () => 8 });
    const controller = new AbortController();
    const stopped = (async () => {
      let steps = 0;
      for await (const event of decode({ model, prompt: PROMPTS[4]!, settings, batcher, signal: controller.signal })) {
        if (event.type === "step" && ++steps === 3) controller.abort();
        if (event.type === "done") return event.trace;
      }
      throw new Error("no trace");
    })();
    const other = generateTrace({ model, prompt: PROMPTS[2]!, settings, batcher });
    const [stoppedTrace, otherTrace] = await Promise.all([stopped, other]);
    expect(stoppedTrace.finishReason).toBe("aborted");
    expect(stoppedTrace.steps.length).toBeLessThanOrEqual(4);
    expect(tokens(otherTrace)).toEqual(tokens(expected));
    expect(batcher.passes.heldBlocks).toBe(0);
  });

  it("a pass that never returns is abandoned once every sequence in it was stopped (after the grace); the batcher serves the next one", async () => {
    // The next forward pass never settles.
    let hang = true;
    const stuck = withStuckPass(model, () => hang, () => {
      hang = false;
      return new Promise(() => {});
    });
    const batcher = new StepBatcher(stuck, { maxBatch: () => 8, abandonAfterMs: () => 50 });
    const controller = new AbortController();
    const hung = generateTrace({ model: stuck, prompt: PROMPTS[0]!, settings: { greedy: true, maxNewTokens: 5 }, batcher, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(hung).rejects.toBeInstanceOf(PassAbandonedError);

    const next = await generateTrace({ model: stuck, prompt: PROMPTS[2]!, settings: { greedy: true, maxNewTokens: 8 }, batcher });
    expect(tokens(next)).toEqual(tokens(await alone(PROMPTS[2]!, { greedy: true, maxNewTokens: 8 })));
  });

  it("a group pass that hangs is abandoned, and its late result is dropped: members that sat it out go on exactly as alone", async () => {
    const settings = { greedy: true, maxNewTokens: 40 };
    const slowPrompts = [PROMPTS[2]!, PROMPTS[4]!];
    // End tokens ignored, so both slow replies run their 40 tokens (and share passes to the end).
    const expected = await Promise.all(slowPrompts.map((prompt) => generateTrace({ model: { ...model, eosTokenIds: [] }, prompt, settings })));
    // The pass asked once both slow readers look away answers only 250 ms later — after the
    // batcher has given it up and moved on.
    let hangNext = false;
    let hanging!: () => void;
    const hangStarted = new Promise<void>((resolve) => (hanging = resolve));
    const stuck = withStuckPass(model, () => hangNext, async (real) => {
      hangNext = false;
      hanging();
      await new Promise((resolve) => setTimeout(resolve, 250));
      return real();
    });
    const batcher = new StepBatcher(stuck, { maxBatch: () => 8, abandonAfterMs: () => 50 });
    const stops = [new AbortController(), new AbortController()];
    const fast = [PROMPTS[0]!, PROMPTS[1]!].map((prompt, i) =>
      generateTrace({ model: stuck, prompt, settings: { greedy: true, maxNewTokens: 200 }, batcher, signal: stops[i]!.signal }),
    );
    // Two slow readers: after their second token both look away, and the next pass — the fast
    // two's, without them — hangs. Back, they read on slowly, still running when it answers.
    let away = 0;
    const slow = slowPrompts.map(async (prompt) => {
      let steps = 0;
      for await (const event of decode({ model: { ...stuck, eosTokenIds: [] }, prompt, settings, batcher })) {
        if (event.type === "step" && ++steps === 2) {
          if (++away === 2) hangNext = true;
          await new Promise((resolve) => setTimeout(resolve, 150));
        } else if (event.type === "step" && steps > 2) await new Promise((resolve) => setTimeout(resolve, 6));
        if (event.type === "done") return event.trace;
      }
      throw new Error("no trace");
    });
    await hangStarted;
    stops.forEach((s) => s.abort());
    for (const f of fast) await expect(f).rejects.toBeInstanceOf(PassAbandonedError);
    const slowTraces = await Promise.all(slow);
    expectSameAsAlone(slowTraces, expected, slowPrompts);
  });
});
