import { describe, expect, it } from "vitest";
import { labTargetFields } from "@/lib/playground/lab-engine";
import { nextTokenHref, nextTokenSpec, type NextTokenState } from "@/lib/playground/next-token";
import { perplexityHref, perplexitySpec, type PerplexityState } from "@/lib/playground/perplexity-state";
import { decodeState, encodeState } from "@/lib/playground/url-state";

const roundTrip = <T,>(spec: Parameters<typeof decodeState<T>>[0], state: T) => decodeState(spec, new URLSearchParams(encodeState(spec, state).toString()));

describe("model labs' URL state", () => {
  it("next-token: every field survives encode → decode", () => {
    const state: NextTokenState = {
      prompt: "Über & ünïcode 🤖 = ?",
      chosen: [0, 17, 2047],
      temperature: 0.35,
      topK: 40,
      topP: 0.9,
      minP: 0.05,
      repetitionPenalty: 1.3,
      presencePenalty: -0.5,
      frequencyPenalty: 1.2,
      copyBoost: 4.5,
      quote: true,
      seed: 4294967295,
      show: "50",
      backend: "browser",
      model: "SmolLM2-135M-Instruct",
    };
    expect(roundTrip(nextTokenSpec, state)).toEqual(state);
  });

  it("next-token: defaults leave the URL empty; bad values fall back to defaults", () => {
    const defaults = decodeState(nextTokenSpec, new URLSearchParams());
    expect(encodeState(nextTokenSpec, defaults).toString()).toBe("");
    const bad = decodeState(nextTokenSpec, new URLSearchParams("temperature=9&topP=0&chosen=1,x&seed=-1&show=7&backend=gpu&model=../etc"));
    expect(bad).toEqual(defaults);
  });

  it("perplexity: texts and compare mode round-trip", () => {
    const state: PerplexityState = { text: "one\ntwo", compare: true, textB: "a, b & c?", backend: "server", model: "course-lm" };
    expect(roundTrip(perplexitySpec, state)).toEqual(state);
    expect(encodeState(perplexitySpec, state).has("model")).toBe(false);
  });

  it("model ids in the URL: registry-like ids only", () => {
    expect(labTargetFields.model.parse("HuggingFaceTB/SmolLM2-135M-Instruct")).toBe("HuggingFaceTB/SmolLM2-135M-Instruct");
    expect(labTargetFields.model.parse("../../secret")).toBeUndefined();
    expect(labTargetFields.model.parse("https://x.y/z")).toBeUndefined();
  });

  it("demo links open the lab in the demo's state", () => {
    const href = nextTokenHref({ prompt: "Once upon a time", temperature: 0, chosen: [3, 4] });
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/playground/next-token");
    expect(decodeState(nextTokenSpec, url.searchParams)).toMatchObject({ prompt: "Once upon a time", temperature: 0, chosen: [3, 4] });
    const p = new URL(perplexityHref({ text: "The cat sat." }), "http://x");
    expect(p.pathname).toBe("/playground/perplexity");
    expect(decodeState(perplexitySpec, p.searchParams).text).toBe("The cat sat.");
  });
});
