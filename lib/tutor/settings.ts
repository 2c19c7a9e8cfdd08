import type { GenerationSettingsInput } from "../llm/trace.ts";

/**
 * The tutor samples cooler than the app-wide default (T 0.7, lib/llm/trace.ts).
 *
 * course-lm is small, and every extra bit of randomness shows in its answers. Measured on the
 * previous course-lm (`npm run model:eval` then counted lesson concepts named), replies were on
 * topic 47 % of the time at T 0.7 and 58 % at 0.3; greedy 59 %. On the current model the strict
 * eval reads sampled (T 0.3) and greedy replies side by side: sentences copied from a passage
 * 23 % sampled vs 19 % greedy, repeated 4-grams 10 % both. At 0.3 a reply is still a real draw —
 * the inspector shows it, regenerate gives another. Explicit settings (replay, regenerate,
 * `--temperature`) always win; the playground keeps the app-wide default.
 */
export const TUTOR_TEMPERATURE = 0.3;

/**
 * The tutor turns the sampler's copy stage on (lib/llm/copy.ts): once a reply has begun to
 * quote its passages, finishing the quote gets +4 in logit. Measured on the dev questions
 * (scripts/train/decoding-help.ts, greedy, the shipped course-lm): reply sentences copied from
 * a passage 8 % → 19 %, repeated 4-grams unchanged (10 %); +8 gained little more (21 %). The
 * inspector shows the stage on every step, and replay can switch it off.
 */
export const TUTOR_COPY_BOOST = 4;

/**
 * The tutor turns the sampler's quote stage on (lib/llm/quote.ts): course-lm's reply may only
 * be whole prose sentences of the passages in its prompt, which sentences and how many being
 * the model's choice. Measured on the dev questions (`npm run model:eval`, and a blind review of
 * the replies; see the model card): without it about half the replies are word salad; with it
 * nearly none, because no reply can leave the course's own sentences. What it cannot do is
 * make the model choose the right sentence — that is what the review's "helpful" measures.
 * Other models' prompts carry no context turns, so for them the stage has nothing to quote
 * and changes nothing.
 */
export const TUTOR_QUOTE = true;

/**
 * Room for a reply: a common question's answer is quoted whole (lib/llm/quote.ts), and the
 * longest of them is 190 course-lm tokens (59 of 600 are over the app-wide 128;
 * test/integration/course-lm.test.ts keeps every answer within this).
 */
export const TUTOR_MAX_NEW_TOKENS = 200;

/** The longest question the tutor takes, in characters: the API's limit (app/api/tutor/schema.ts) and the question box's. */
export const MAX_MESSAGE_CHARS = 800;

/** A tutor request's settings with the tutor's defaults (temperature, copy and quote stages, reply length) where none is given. */
export function withTutorDefaults(settings: GenerationSettingsInput | undefined): GenerationSettingsInput {
  return { temperature: TUTOR_TEMPERATURE, copyBoost: TUTOR_COPY_BOOST, quote: TUTOR_QUOTE, maxNewTokens: TUTOR_MAX_NEW_TOKENS, ...settings };
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
