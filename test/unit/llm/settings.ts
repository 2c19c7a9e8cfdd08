import type { SamplingSettings } from "@/lib/llm/trace";

/** Sampler settings with every stage off (T = 1), overridden per test. */
export function stagesOff(over: Partial<SamplingSettings> = {}): SamplingSettings {
  return {
    temperature: 1,
    topK: 0,
    topP: 1,
    minP: 0,
    repetitionPenalty: 1,
    presencePenalty: 0,
    frequencyPenalty: 0,
    copyBoost: 0,
    quote: false,
    greedy: false,
    ...over,
  };
}
