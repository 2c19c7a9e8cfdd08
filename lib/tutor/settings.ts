import type { GenerationSettingsInput } from "../llm/trace.ts";

/**
 * The tutor samples cooler than the app-wide default (T 0.7, lib/llm/trace.ts).
 *
 * course-lm is small, and every extra bit of randomness shows in its answers. Asked the dev
 * questions the way the tutor asks them (`npm run model:eval`, "as the tutor samples"), its
 * replies named the lesson's concepts 47 % of the time at T 0.7 and 58 % at 0.3 (three seeds
 * each); greedy, 59 %. At 0.3 a reply is still a real draw — the inspector shows it, regenerate
 * gives another — while answering almost as well as greedy. Explicit settings (replay, regenerate,
 * `--temperature`) always win; the playground keeps the app-wide default.
 */
export const TUTOR_TEMPERATURE = 0.3;

/** A tutor request's settings with the tutor's default temperature where none is given. */
export function withTutorDefaults(settings: GenerationSettingsInput | undefined): GenerationSettingsInput {
  return { temperature: TUTOR_TEMPERATURE, ...settings };
}

/**
 * For a request schema, before the settings schema fills in the app-wide defaults: absent
 * settings or an object get the tutor's temperature; anything else passes through untouched,
 * so the schema reports it as it would.
 */
export function withTutorDefaultsInput(value: unknown): unknown {
  if (value === undefined) return withTutorDefaults(undefined);
  return value !== null && typeof value === "object" && !Array.isArray(value) ? withTutorDefaults(value as GenerationSettingsInput) : value;
}
