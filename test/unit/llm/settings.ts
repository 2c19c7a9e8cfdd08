import { SCORE_SETTINGS } from "@/lib/llm/score";
import type { SamplingSettings } from "@/lib/llm/trace";

/** Sampler settings with every stage off (T = 1): the model's own distribution, as scoring uses it, overridden per test. */
export function stagesOff(over: Partial<SamplingSettings> = {}): SamplingSettings {
  return { ...SCORE_SETTINGS, copyBoost: 0, quote: false, ...over };
}
