/**
 * The sampling settings' zod schema: the API, the CLI and the decode loop all validate with it,
 * so a range is written down once (the limits and defaults it enforces are in ./trace.ts).
 *
 * Isomorphic: depends only on zod.
 */
import { z } from "zod";
import { MAX_SEED } from "./prng.ts";
import { DEFAULT_SETTINGS, MAX_COPY_BOOST, MAX_NEW_TOKENS, MAX_TOP_K } from "./trace.ts";

type Range = { min: number; max: number; minOpen?: boolean; maxOpen?: boolean; int?: boolean };

function describeRange(r: Range): string {
  const kind = r.int ? "an integer" : "a number";
  return `${kind} in ${r.minOpen ? "(" : "["}${r.min}, ${r.max}${r.maxOpen ? ")" : "]"}`;
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  return typeof value;
}

/**
 * A number field with a documented range. Every failure — wrong type, NaN, ±Infinity,
 * out of range, not an integer — gets the same message, which names the field, the range
 * and what was received: "topP must be a number in (0, 1]; got 0". zod 4 already rejects
 * NaN and ±Infinity as "not a number"; the message just says so in the field's terms.
 */
function bounded(field: string, r: Range, hint?: string) {
  const message = (issue: { input?: unknown }) =>
    `${field} must be ${describeRange(r)}${hint ? ` (${hint})` : ""}; got ${show(issue.input)}`;
  let s = z.number({ error: message });
  s = r.minOpen ? s.gt(r.min) : s.gte(r.min);
  s = r.maxOpen ? s.lt(r.max) : s.lte(r.max);
  if (r.int) s = s.int();
  return s;
}

/**
 * The sampler's settings (one reply's worth). Ranges:
 * - temperature [0, 2]: divides the logits; 0 means greedy (always the most likely token).
 * - topK integer [0, MAX_TOP_K]: keep the k most likely tokens; 0 = off.
 * - topP (0, 1]: keep the smallest set of most likely tokens whose probability adds up to
 *   at least p; 1 = off.
 * - minP [0, 1): keep tokens at least minP × the top token's probability; 0 = off.
 * - repetitionPenalty [1, 2]: Hugging Face's rule on every token already seen; 1 = off.
 * - presencePenalty, frequencyPenalty [−2, 2]: OpenAI's rule on generated tokens; 0 = off
 *   (negative values encourage repetition, as in OpenAI's API).
 * - copyBoost [0, 10]: added to the logit of each token that continues, word for word, a run
 *   of the reply found in the prompt (lib/llm/copy.ts); 0 = off.
 * - quote: the reply may only be whole prose sentences of the prompt's `<|context|>` turns (or
 *   of the whole prompt when it has none), chosen and ordered by the model (lib/llm/quote.ts).
 * - greedy: argmax regardless of temperature (same as temperature 0).
 */
export const SamplingSettingsSchema = z.strictObject({
  temperature: bounded("temperature", { min: 0, max: 2 }, "0 = greedy").default(DEFAULT_SETTINGS.temperature),
  topK: bounded("topK", { min: 0, max: MAX_TOP_K, int: true }, "0 = off").default(DEFAULT_SETTINGS.topK),
  topP: bounded("topP", { min: 0, max: 1, minOpen: true }, "1 = off").default(DEFAULT_SETTINGS.topP),
  minP: bounded("minP", { min: 0, max: 1, maxOpen: true }, "0 = off").default(DEFAULT_SETTINGS.minP),
  repetitionPenalty: bounded("repetitionPenalty", { min: 1, max: 2 }, "1 = off").default(
    DEFAULT_SETTINGS.repetitionPenalty,
  ),
  presencePenalty: bounded("presencePenalty", { min: -2, max: 2 }, "0 = off").default(
    DEFAULT_SETTINGS.presencePenalty,
  ),
  frequencyPenalty: bounded("frequencyPenalty", { min: -2, max: 2 }, "0 = off").default(
    DEFAULT_SETTINGS.frequencyPenalty,
  ),
  copyBoost: bounded("copyBoost", { min: 0, max: MAX_COPY_BOOST }, "0 = off").default(DEFAULT_SETTINGS.copyBoost),
  quote: z
    .boolean({ error: (issue) => `quote must be true or false; got ${show(issue.input)}` })
    .default(DEFAULT_SETTINGS.quote),
  greedy: z
    .boolean({ error: (issue) => `greedy must be true or false; got ${show(issue.input)}` })
    .default(DEFAULT_SETTINGS.greedy),
});

/** Sampling settings plus the reply's length cap and the seed of the draw: a full request. */
export const GenerationSettingsSchema = SamplingSettingsSchema.extend({
  maxNewTokens: bounded("maxNewTokens", { min: 1, max: MAX_NEW_TOKENS, int: true }).default(
    DEFAULT_SETTINGS.maxNewTokens,
  ),
  seed: bounded("seed", { min: 0, max: MAX_SEED, int: true }, "an unsigned 32-bit integer").default(
    DEFAULT_SETTINGS.seed,
  ),
});

export type SamplingSettings = z.output<typeof SamplingSettingsSchema>;
export type GenerationSettings = z.output<typeof GenerationSettingsSchema>;
/** What callers may pass: any subset; missing fields take DEFAULT_SETTINGS. */
export type GenerationSettingsInput = z.input<typeof GenerationSettingsSchema>;

export type SettingsResult =
  | { ok: true; settings: GenerationSettings }
  | { ok: false; error: string; issues: { field: string; message: string }[] };

/** Validate untrusted settings (API body, CLI flags) without throwing. `error` joins the
 *  per-field messages, ready for a 400 response's `{ error }`. */
export function validateSettings(input: unknown): SettingsResult {
  const r = GenerationSettingsSchema.safeParse(input ?? {});
  if (r.success) return { ok: true, settings: r.data };
  const issues = r.error.issues.map((i) => ({
    field: i.path.join(".") || (i.code === "unrecognized_keys" ? i.keys.join(", ") : "settings"),
    message:
      i.code === "unrecognized_keys"
        ? `unknown setting${i.keys.length > 1 ? "s" : ""}: ${i.keys.join(", ")} (known: ${Object.keys(
            GenerationSettingsSchema.shape,
          ).join(", ")})`
        : i.path.length === 0
          ? "settings must be an object"
          : i.message,
  }));
  return { ok: false, error: issues.map((i) => i.message).join("; "), issues };
}

/** Validate and fill defaults, or throw a RangeError with the joined messages. */
export function parseSettings(input: unknown): GenerationSettings {
  const r = validateSettings(input);
  if (!r.ok) throw new RangeError(r.error);
  return r.settings;
}
