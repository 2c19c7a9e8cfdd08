import { describe, expect, it } from "vitest";
import { changedSettings, formToSettings, NUMBER_FIELDS, settingsToForm } from "@/lib/inspector/replay-form";
import { sampled } from "./fixtures";

describe("replay form", () => {
  it("starts from the trace's settings and gives them back unchanged", () => {
    const values = settingsToForm(sampled.settings);
    expect(values.temperature).toBe("0.9");
    expect(values.seed).toBe("4");
    const r = formToSettings(values);
    // A trace saved before the quote stage existed ran without it: the form says so explicitly.
    expect(r).toEqual({ ok: true, settings: { ...sampled.settings, quote: sampled.settings.quote ?? false } });
    expect(changedSettings(sampled.settings, (r as { settings: typeof sampled.settings }).settings)).toEqual([]);
  });

  it("switches the quote stage on and off, and says it changed", () => {
    const on = formToSettings({ ...settingsToForm(sampled.settings), quote: true });
    expect(on.ok && on.settings.quote).toBe(true);
    expect(changedSettings({ ...sampled.settings, quote: false }, (on as { settings: typeof sampled.settings }).settings)).toEqual(["quote"]);
  });

  it("validates with the settings schema, one message per field, quoting what was typed", () => {
    const values = { ...settingsToForm(sampled.settings), topP: "0", topK: "2.5", temperature: "hot", seed: "" };
    const r = formToSettings(values);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.topP).toBe("topP must be a number in (0, 1] (1 = off); got 0");
    expect(r.errors.topK).toMatch(/^topK must be an integer/);
    expect(r.errors.temperature).toBe('temperature must be a number in [0, 2] (0 = greedy); got "hot"');
    expect(r.errors.seed).toMatch(/^seed must be an integer .*; got ""$/);
    expect(Object.keys(r.errors).sort()).toEqual(["seed", "temperature", "topK", "topP"]);
  });

  it("accepts a typographic minus and surrounding spaces, and lists what changed", () => {
    const values = { ...settingsToForm(sampled.settings), presencePenalty: " \u22121.5 ", maxNewTokens: "64", greedy: true };
    const r = formToSettings(values);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.presencePenalty).toBe(-1.5);
    expect(changedSettings(sampled.settings, r.settings)).toEqual(["presencePenalty", "maxNewTokens", "greedy"]);
  });

  it("has a field for every number the schema takes", () => {
    expect([...NUMBER_FIELDS].sort()).toEqual(
      Object.keys(sampled.settings)
        .filter((k) => k !== "greedy")
        .sort(),
    );
  });
});
