/**
 * The replay form's state: text fields in, validated GenerationSettings out.
 *
 * The form keeps what the learner typed as strings (so "0." or "" can be edited freely) and
 * validates on submit with the same zod schema the API and the decode loop use
 * (validateSettings in lib/llm/trace.ts), so a range is written down once and the form's
 * error messages are the API's: "topP must be a number in (0, 1] (1 = off); got 0".
 *
 * Isomorphic, no React.
 */
import { validateSettings } from "../llm/settings.ts";
import { DEFAULT_SETTINGS, type GenerationSettings } from "../llm/trace.ts";
import { MAX_SEED } from "../llm/prng.ts";

export const NUMBER_FIELDS = [
  "temperature",
  "topK",
  "topP",
  "minP",
  "repetitionPenalty",
  "presencePenalty",
  "frequencyPenalty",
  "copyBoost",
  "seed",
  "maxNewTokens",
] as const;

export type NumberField = (typeof NUMBER_FIELDS)[number];

/** The switches: greedy, and the quote stage (lib/llm/quote.ts). */
export const SWITCH_FIELDS = ["greedy", "quote"] as const;
export type SwitchField = (typeof SWITCH_FIELDS)[number];

export type ReplayFormValues = Record<NumberField, string> & Record<SwitchField, boolean>;

export type ReplayFormErrors = Partial<Record<NumberField | SwitchField | "form", string>>;

export interface FieldSpec {
  label: string;
  hint: string;
  step: string;
  min: number;
  max: number;
  /** Integers only. */
  int?: boolean;
}

/** Labels, hints and input attributes; the ranges mirror the schema (which has the last word). */
export const FIELD_SPECS: Record<NumberField, FieldSpec> = {
  temperature: { label: "Temperature", hint: "0–2; 0 = greedy", step: "0.05", min: 0, max: 2 },
  topK: { label: "Top-k", hint: "0 = off", step: "1", min: 0, max: 1 << 20, int: true },
  topP: { label: "Top-p", hint: "(0, 1]; 1 = off", step: "0.01", min: 0, max: 1 },
  minP: { label: "Min-p", hint: "[0, 1); 0 = off", step: "0.01", min: 0, max: 1 },
  repetitionPenalty: { label: "Repetition penalty", hint: "1–2; 1 = off", step: "0.05", min: 1, max: 2 },
  presencePenalty: { label: "Presence penalty", hint: "−2 to 2; 0 = off", step: "0.1", min: -2, max: 2 },
  frequencyPenalty: { label: "Frequency penalty", hint: "−2 to 2; 0 = off", step: "0.1", min: -2, max: 2 },
  copyBoost: { label: "Copy boost", hint: "0–10 logit for continuing a quote of the prompt; 0 = off", step: "0.5", min: 0, max: 10 },
  seed: { label: "Seed", hint: "same seed + settings ⇒ same reply", step: "1", min: 0, max: MAX_SEED, int: true },
  maxNewTokens: { label: "Max new tokens", hint: "1–256", step: "1", min: 1, max: 256, int: true },
};

/** The form's starting values: the trace's own settings, so an unchanged replay reproduces it. */
export function settingsToForm(settings: GenerationSettings): ReplayFormValues {
  const values = { greedy: settings.greedy, quote: settings.quote ?? DEFAULT_SETTINGS.quote } as ReplayFormValues;
  // A trace saved before a setting existed lacks it: it ran with that setting's default.
  for (const f of NUMBER_FIELDS) values[f] = String(settings[f] ?? DEFAULT_SETTINGS[f]);
  return values;
}

/** A field's text as the schema should see it: a number when it reads as one, else the text itself (so the error quotes it). */
function parseField(text: string): number | string {
  const t = text.trim().replace(/\u2212/g, "-");
  if (t === "") return t;
  const n = Number(t);
  return Number.isNaN(n) ? text : n;
}

export type ReplayFormResult = { ok: true; settings: GenerationSettings } | { ok: false; errors: ReplayFormErrors };

/** Validate the form with the settings schema; errors are keyed by field for inline display. */
export function formToSettings(values: ReplayFormValues): ReplayFormResult {
  const input: Record<string, unknown> = { greedy: values.greedy, quote: values.quote };
  for (const f of NUMBER_FIELDS) input[f] = parseField(values[f]);
  const r = validateSettings(input);
  if (r.ok) return { ok: true, settings: r.settings };
  const errors: ReplayFormErrors = {};
  for (const issue of r.issues) {
    const known = (NUMBER_FIELDS as readonly string[]).includes(issue.field) || (SWITCH_FIELDS as readonly string[]).includes(issue.field);
    const key = known ? (issue.field as NumberField | SwitchField) : "form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** Which fields differ from the trace's settings (to say "same settings: replay reproduces the reply"). */
export function changedSettings(a: GenerationSettings, b: GenerationSettings): (NumberField | SwitchField)[] {
  const changed: (NumberField | SwitchField)[] = [];
  for (const f of NUMBER_FIELDS) if (a[f] !== b[f]) changed.push(f);
  if (a.greedy !== b.greedy) changed.push("greedy");
  if ((a.quote ?? DEFAULT_SETTINGS.quote) !== (b.quote ?? DEFAULT_SETTINGS.quote)) changed.push("quote");
  return changed;
}
