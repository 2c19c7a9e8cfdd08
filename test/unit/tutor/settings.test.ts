/** The tutor's sampling defaults (lib/tutor/settings.ts): applied where a request is silent, never over what it sets. */
import { describe, expect, it } from "vitest";
import { TUTOR_COPY_BOOST, TUTOR_MAX_NEW_TOKENS, TUTOR_QUOTE, TUTOR_TEMPERATURE, withTutorDefaults, withTutorDefaultsInput } from "@/lib/tutor/settings";
import { GenerationSettingsSchema } from "@/lib/llm/settings";

describe("withTutorDefaults", () => {
  it("fills in the tutor's temperature, stages and reply room", () => {
    expect(withTutorDefaults(undefined)).toEqual({ temperature: TUTOR_TEMPERATURE, copyBoost: TUTOR_COPY_BOOST, quote: TUTOR_QUOTE, maxNewTokens: TUTOR_MAX_NEW_TOKENS });
  });

  it("leaves what the request sets alone", () => {
    expect(withTutorDefaults({ maxNewTokens: 4, temperature: 1.2 })).toMatchObject({ maxNewTokens: 4, temperature: 1.2, quote: TUTOR_QUOTE });
  });

  it("has room for the longest common question's answer quoted whole, within the app's limit", () => {
    const parsed = GenerationSettingsSchema.parse(withTutorDefaultsInput(undefined));
    expect(parsed.maxNewTokens).toBe(TUTOR_MAX_NEW_TOKENS);
    expect(TUTOR_MAX_NEW_TOKENS).toBeGreaterThanOrEqual(190);
  });
});
