/**
 * The step view model: candidates, penalties, the pipeline stage table and the draw. Hand-
 * computed cases run the real sampler (lib/llm/sampler.ts) on tiny vocabularies where every
 * number can be checked with a calculator; the fixture cases check invariants on real
 * course-lm traces.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "@/lib/llm/prng";
import { createSamplerContext, recordGenerated, sampleStep } from "@/lib/llm/sampler";
import { DEFAULT_SETTINGS, isGreedy, type GenerationSettings, type Trace, type TraceStep } from "@/lib/llm/trace";
import { candidateRows, chartRows, drawLayout, keptMass, penaltyBreakdown, pipelineStages, rawLogPartition, stepSummary } from "@/lib/inspector/pipeline";
import { all, branch, bytes, greedy, sampled } from "./fixtures";

function settings(over: Partial<GenerationSettings> = {}): GenerationSettings {
  return { ...DEFAULT_SETTINGS, temperature: 1, topK: 0, topP: 1, minP: 0, ...over };
}

/** A trace from hand-written logits, one array per step, through the real sampler. */
function traceFrom(logitsPerStep: number[][], s: GenerationSettings, promptIds: number[] = [], forced: (number | undefined)[] = []): Trace {
  const ctx = createSamplerContext(promptIds);
  const rng = createRng(s.seed);
  const steps: TraceStep[] = logitsPerStep.map((logits, index) => {
    const r = sampleStep(logits, ctx, s, rng, { forcedTokenId: forced[index] });
    recordGenerated(ctx, r.tokenId);
    return {
      index,
      text: `t${r.tokenId}`,
      tokenId: r.tokenId,
      logprob: r.logprob,
      rank: r.rank,
      entropy: r.entropy,
      u: r.u,
      kept: r.kept,
      candidates: r.candidates.map((c) => ({ ...c, text: `t${c.id}` })),
      ...(r.forced ? { forced: true as const } : {}),
    };
  });
  const V = logitsPerStep[0].length;
  return {
    version: 1,
    model: { id: "test", revision: "test", dtype: "fp32", backend: "node" },
    settings: s,
    prompt: { text: "", tokens: promptIds.map((id) => ({ id, text: `t${id}` })) },
    steps,
    reply: { text: "" },
    timings: { prefillMs: 0, ttftMs: 0, tokensPerSecond: null, totalMs: 0 },
    finishReason: "length",
    vocabSize: V,
    contextLength: 512,
  };
}

const softmax = (xs: number[], T = 1) => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp((x - m) / T));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
};
const entropyOf = (ps: number[]) => {
  const z = ps.reduce((a, b) => a + b, 0);
  return -ps.reduce((h, p) => h + (p / z) * Math.log(p / z), 0);
};
const stage = (stages: ReturnType<typeof pipelineStages>, id: string) => stages.find((x) => x.id === id)!;

describe("pipeline stages, hand-computed (V = 4, every token recorded)", () => {
  // logits 3, 2, 1, 0 → p ≈ .644, .237, .087, .032. top-k 3 keeps 3; top-p 0.9 over those
  // (renormalised: .665, .245, .090 → cumulative .665, .910) keeps 2; min-p 0.4 × .644 = .258
  // then removes the second (.237): 1 left.
  const logits = [3, 2, 1, 0];
  const p = softmax(logits);

  it("counts survivors and removals stage by stage, in the applied order", () => {
    const t = traceFrom([logits], settings({ topK: 3, topP: 0.9, seed: 7 }));
    const stages = pipelineStages(t, 0);
    expect(stages.map((x) => x.id)).toEqual(["raw", "penalties", "temperature", "topK", "topP", "minP", "renormalise", "draw", "chosen"]);
    expect(stages.map((x) => x.survivors)).toEqual([4, 4, 4, 3, 2, 2, 2, 2, 1]);
    expect(stages.map((x) => x.removed)).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 0]);
    expect(stage(stages, "minP").active).toBe(false);
    expect(stage(stages, "penalties").active).toBe(false);
  });

  it("gives each filter's kept probability and entropy exactly when all its tokens are recorded", () => {
    const t = traceFrom([logits], settings({ topK: 3, topP: 0.9, seed: 7 }));
    const stages = pipelineStages(t, 0);
    expect(stage(stages, "topK").mass).toBeCloseTo(p[0] + p[1] + p[2], 12);
    expect(stage(stages, "topK").entropy).toBeCloseTo(entropyOf(p.slice(0, 3)), 12);
    expect(stage(stages, "topP").mass).toBeCloseTo(p[0] + p[1], 12);
    expect(stage(stages, "topP").entropy).toBeCloseTo(entropyOf(p.slice(0, 2)), 12);
    // The final distribution: the sampler's own entropy, and the mass renormalised away.
    expect(stage(stages, "renormalise").entropy).toBeCloseTo(t.steps[0].entropy, 12);
    expect(stage(stages, "renormalise").entropy).toBeCloseTo(entropyOf(p.slice(0, 2)), 12);
    expect(keptMass(t.steps[0])).toBeCloseTo(p[0] + p[1], 12);
    expect(stage(stages, "renormalise").setting).toBe(`÷ ${(p[0] + p[1]).toFixed(4)}`);
  });

  it("adds min-p, with temperature, and reports what each removed", () => {
    const T = 0.5;
    const q = softmax(logits, T); // ≈ .867, .117, .016, .002
    const t = traceFrom([logits], settings({ temperature: T, topK: 3, topP: 0.99, minP: 0.1, seed: 3 }));
    const stages = pipelineStages(t, 0);
    // top-p 0.99 over the top 3 (renormalised .867/.9997 …) needs all three; min-p 0.1 × .867 = .087 keeps 2.
    expect(stages.map((x) => x.survivors)).toEqual([4, 4, 4, 3, 3, 2, 2, 2, 1]);
    expect(stage(stages, "minP").removed).toBe(1);
    expect(stage(stages, "minP").mass).toBeCloseTo(q[0] + q[1], 12);
    expect(stage(stages, "minP").entropy).toBeCloseTo(entropyOf(q.slice(0, 2)), 12);
    expect(stage(stages, "temperature").note).toMatch(/T < 1 sharpens/);
    expect(stage(stages, "temperature").note).toContain((q[0] * 100).toFixed(1));
  });

  it("says nothing needed renormalising when no filter removed anything", () => {
    const t = traceFrom([logits], settings({ seed: 1 }));
    const r = stage(pipelineStages(t, 0), "renormalise");
    expect(r.setting).toBe("none needed");
    expect(r.active).toBe(false);
    expect(r.entropy).toBeCloseTo(entropyOf(p), 12);
  });

  it("collapses to one token at the temperature stage when greedy, with no draw", () => {
    const t = traceFrom([logits], settings({ greedy: true }));
    const stages = pipelineStages(t, 0);
    expect(stages.map((x) => x.survivors)).toEqual([4, 4, 1, 1, 1, 1, 1, 1, 1]);
    expect(stage(stages, "temperature").entropy).toBe(0);
    expect(["topK", "topP", "minP"].map((id) => stage(stages, id).setting)).toEqual(["skipped", "skipped", "skipped"]);
    expect(stage(stages, "draw").note).toMatch(/argmax was taken/);
    expect(drawLayout(t.steps[0], t.settings)).toBeNull();
  });
});

describe("candidates", () => {
  it("recovers the model's own probability of every candidate from the step's logprob", () => {
    const logits = [0.5, 2, -1, 1.25, 0];
    const t = traceFrom([logits], settings({ topK: 2, seed: 11 }));
    const p = softmax(logits);
    for (const row of candidateRows(t.steps[0])) expect(row.probModel).toBeCloseTo(p[row.id], 12);
    expect(rawLogPartition(t.steps[0])).toBeCloseTo(Math.log(logits.reduce((z, x) => z + Math.exp(x), 0)), 12);
  });

  it("on real traces: the chosen row's probability is exp(logprob), ranks follow the raw logits", () => {
    for (const trace of [sampled, bytes, greedy, branch]) {
      for (const step of trace.steps) {
        const rows = candidateRows(step);
        const chosen = rows.filter((r) => r.chosen);
        expect(chosen).toHaveLength(1);
        expect(chosen[0].probModel).toBeCloseTo(Math.exp(step.logprob), 12);
        expect(chosen[0].rank).toBe(step.rank);
        const sum = rows.reduce((s, r) => s + r.probModel, 0);
        expect(sum).toBeLessThanOrEqual(1 + 1e-9);
        for (let i = 1; i < rows.length; i++) if (!rows[i].chosen) expect(rows[i].logit).toBeLessThanOrEqual(rows[i - 1].logit);
      }
    }
  });

  it("puts the chosen token in the chart even when it ranks below the limit", () => {
    const step = [...sampled.steps, ...bytes.steps].find((st) => st.rank >= 20)!; // appended after the top 20
    expect(step).toBeDefined();
    const rows = chartRows(candidateRows(step), 10);
    expect(rows).toHaveLength(11);
    expect(rows[10].chosen).toBe(true);
    expect(chartRows(candidateRows(greedy.steps[0]), 10)).toHaveLength(10);
  });
});

describe("penalties", () => {
  it("splits each change into the repetition, presence and frequency parts (hand-computed)", () => {
    // Prompt holds token 0; step 0 is forced to token 1, step 1 to token 1 again, step 2 is inspected.
    const logits = [2, 1, -1, 0.5];
    const s = settings({ repetitionPenalty: 2, presencePenalty: 0.5, frequencyPenalty: 0.25, seed: 5 });
    const t = traceFrom([logits, logits, logits], s, [0], [1, 1, undefined]);
    const pen = penaltyBreakdown(t, 2);
    expect(pen.active).toBe(true);
    const byId = new Map(pen.changes.map((c) => [c.row.id, c]));
    // Token 0: in the prompt only. Repetition: 2 / 2 = 1 → −1. Not generated: no presence/frequency.
    expect(byId.get(0)).toMatchObject({ seen: true, count: 0, repetition: -1, presence: 0, frequency: -0, attributed: true });
    // Token 1: generated twice. Repetition 1 / 2 = 0.5 (−0.5); presence −0.5; frequency −0.25 × 2.
    expect(byId.get(1)).toMatchObject({ seen: true, count: 2, repetition: -0.5, presence: -0.5, frequency: -0.5, attributed: true });
    expect(byId.get(1)!.row.logitAfterPenalty).toBeCloseTo(1 - 0.5 - 0.5 - 0.5, 12);
    // Tokens 2 and 3 were never seen: unchanged, so not listed.
    expect(byId.has(2)).toBe(false);
    expect(byId.has(3)).toBe(false);
    // Most changed first.
    expect(pen.changes.map((c) => c.row.id)).toEqual([1, 0]);
  });

  it("multiplies a negative logit by the repetition penalty", () => {
    const t = traceFrom([[-2, 1, 0]], settings({ repetitionPenalty: 1.5, seed: 2 }), [0]);
    const c = penaltyBreakdown(t, 0).changes[0];
    expect(c.row.id).toBe(0);
    expect(c.repetition).toBeCloseTo(-1, 12); // −2 × 1.5 = −3
    expect(c.row.logitAfterPenalty).toBeCloseTo(-3, 12);
  });

  it("attributes every recorded change in the real sampled trace", () => {
    let changed = 0;
    for (let i = 0; i < sampled.steps.length; i++) {
      const pen = penaltyBreakdown(sampled, i);
      for (const c of pen.changes) {
        changed++;
        expect(c.attributed).toBe(true);
        expect(c.row.logit + c.repetition + c.presence + c.frequency).toBeCloseTo(c.row.logitAfterPenalty, 9);
      }
    }
    expect(changed).toBeGreaterThan(10);
    expect(penaltyBreakdown(bytes, 3)).toMatchObject({ active: false, changes: [] });
  });
});

describe("the draw", () => {
  it("lays the kept tokens on [0, 1) most likely first, and u lands on the chosen one (hand-computed)", () => {
    const logits = [3, 2, 1, 0];
    const t = traceFrom([logits], settings({ topK: 3, seed: 42 }));
    const layout = drawLayout(t.steps[0], t.settings)!;
    const p = softmax(logits);
    const z = p[0] + p[1] + p[2];
    expect(layout.exact).toBe(true);
    expect(layout.hiddenCount).toBe(0);
    expect(layout.segments.map((s) => s.id)).toEqual([0, 1, 2]);
    expect(layout.segments[0].end).toBeCloseTo(p[0] / z, 12);
    expect(layout.segments[1].end).toBeCloseTo((p[0] + p[1]) / z, 12);
    expect(layout.segments[2].end).toBe(1);
    expect(layout.u).toBe(t.steps[0].u);
    expect(layout.uInChosen).toBe(true);
  });

  it("on every drawn step of the real traces: contiguous segments summing to 1, u inside the chosen token", () => {
    let checked = 0;
    for (const trace of Object.values(all)) {
      for (const step of trace.steps) {
        const layout = drawLayout(step, trace.settings);
        if (isGreedy(trace.settings)) {
          expect(layout).toBeNull();
          continue;
        }
        expect(layout).not.toBeNull();
        const segs = layout!.segments;
        expect(segs[0].start).toBe(0);
        expect(segs[segs.length - 1].end).toBe(1);
        for (let i = 1; i < segs.length; i++) expect(segs[i].start).toBeCloseTo(segs[i - 1].end, 12);
        const recorded = step.candidates.filter((c) => c.probFinal > 0).reduce((s, c) => s + c.probFinal, 0);
        expect(recorded + layout!.hiddenMass).toBeCloseTo(1, 9);
        expect(layout!.hiddenCount).toBe(step.kept.afterMinP - step.candidates.filter((c) => c.probFinal > 0).length);
        if (step.u !== null) {
          expect(layout!.uInChosen).toBe(true);
          checked++;
        } else {
          expect(step.forced).toBe(true);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe("real traces: stage tables", () => {
  it("survivors never grow, and match the recorded kept counts", () => {
    for (const trace of Object.values(all)) {
      for (let i = 0; i < trace.steps.length; i++) {
        const stages = pipelineStages(trace, i);
        const k = trace.steps[i].kept;
        for (let j = 1; j < stages.length; j++) expect(stages[j].survivors).toBeLessThanOrEqual(stages[j - 1].survivors);
        expect(stage(stages, "raw").survivors).toBe(trace.vocabSize);
        expect(stage(stages, "penalties").survivors).toBe(k.afterPenalties);
        if (!isGreedy(trace.settings)) {
          expect(stage(stages, "topK").survivors).toBe(k.afterTopK);
          expect(stage(stages, "topP").survivors).toBe(k.afterTopP);
          expect(stage(stages, "minP").survivors).toBe(k.afterMinP);
        }
        expect(stage(stages, "renormalise").entropy).toBeCloseTo(trace.steps[i].entropy, 12);
        for (const s of stages) if (s.mass !== null) expect(s.mass).toBeLessThanOrEqual(1 + 1e-9);
      }
    }
  });

  it("the sampled trace: 2,048 → 40 (top-k) → top-p → min-p, renormalised by the kept mass", () => {
    for (let i = 0; i < sampled.steps.length; i++) {
      const step = sampled.steps[i];
      const k = step.kept;
      const stages = pipelineStages(sampled, i);
      expect(stages.map((s) => s.survivors)).toEqual([2048, 2048, 2048, 40, k.afterTopP, k.afterMinP, k.afterMinP, k.afterMinP, 1]);
      const z = keptMass(step);
      for (const c of step.candidates) if (c.probFinal > 0) expect(c.probFinal * z).toBeCloseTo(c.probAtTemperature, 12);
      // top-k kept 40 but only 20-odd are recorded: its mass is not known, and the table says so.
      expect(stage(stages, "topK").mass).toBeNull();
      // The last filter kept the final set: its mass is the renormalising constant, exactly.
      expect(stage(stages, "minP").mass).toBeCloseTo(z, 12);
      if (k.afterTopP === k.afterMinP) expect(stage(stages, "topP").mass).toBeCloseTo(z, 12);
      expect(stage(stages, "draw").setting).toBe(`u = ${step.u!.toFixed(4)}`);
    }
  });

  it("summarises a forced step as imposed, without a draw", () => {
    const s = stepSummary(branch, 5);
    expect(s.forced).toBe(true);
    expect(s.u).toBeNull();
    expect(stage(pipelineStages(branch, 5), "draw").note).toMatch(/imposed/);
    expect(stage(pipelineStages(branch, 5), "chosen").note).toMatch(/imposed, not sampled/);
  });
});
