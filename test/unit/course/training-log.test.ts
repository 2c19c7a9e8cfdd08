import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { trainingCurve } from "@/lib/course/training-log";

const log = JSON.parse(fs.readFileSync(path.join(process.cwd(), "public/models/course-lm/training-log.json"), "utf8"));

describe("trainingCurve (course-lm's real training-log.json)", () => {
  const curve = trainingCurve(log);

  it("keeps every logged step and evaluation, in order", () => {
    expect(curve.steps).toHaveLength(log.steps.length);
    expect(curve.evals).toHaveLength(log.eval.length);
    for (let i = 1; i < curve.steps.length; i++) expect(curve.steps[i].step).toBeGreaterThan(curve.steps[i - 1].step);
  });

  it("reports the final numbers from the file, perplexity as e^loss", () => {
    expect(curve.final.trainLoss).toBe(log.final.train_loss);
    expect(curve.final.valLoss).toBe(log.final.val_loss);
    expect(curve.final.valPerplexity).toBeCloseTo(Math.exp(log.final.val_loss), 10);
    expect(curve.final.tokensPerS).toBe(log.final.tokens_per_s);
    expect(curve.final.wallTimeS).toBe(log.final.wall_time_s);
  });

  it("the learning rate warms up, peaks near the configured rate, then decays", () => {
    const lrs = curve.steps.map((s) => s.lr);
    const peak = Math.max(...lrs);
    const peakAt = lrs.indexOf(peak);
    expect(peak).toBeLessThanOrEqual(curve.peakLr * (1 + 1e-9));
    expect(curve.steps[peakAt].step).toBeLessThanOrEqual(curve.warmupSteps + 1);
    expect(lrs.at(-1)!).toBeLessThan(peak);
  });

  it("rejects a log without steps, naming the field", () => {
    expect(() => trainingCurve({ ...log, steps: [] })).toThrow(/steps/);
    expect(() => trainingCurve({ ...log, final: undefined })).toThrow(/final/);
  });
});
