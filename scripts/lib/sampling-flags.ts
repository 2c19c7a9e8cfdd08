/**
 * Command-line sampling flags shared by `npm run generate` and `npm run ask`: the same flag
 * names, the same parsing, and errors reported by the settings schema itself
 * (lib/llm/trace.ts GenerationSettingsSchema), so the two CLIs cannot drift apart.
 */
import path from "node:path";
import type { ModelEntry } from "../../lib/llm/registry.ts";
import type { GenerationSettings } from "../../lib/llm/trace.ts";

/** CLI flag → settings field. */
export const SAMPLING_FLAGS = {
  temperature: "temperature",
  "top-k": "topK",
  "top-p": "topP",
  "min-p": "minP",
  "repetition-penalty": "repetitionPenalty",
  "presence-penalty": "presencePenalty",
  "frequency-penalty": "frequencyPenalty",
  "copy-boost": "copyBoost",
  "max-new-tokens": "maxNewTokens",
  seed: "seed",
} as const;

export const SAMPLING_USAGE = `[--temperature T] [--top-k K] [--top-p P] [--min-p M]
         [--repetition-penalty R] [--presence-penalty X] [--frequency-penalty X] [--copy-boost B]
         [--max-new-tokens N] [--seed S] [--greedy] [--quote | --no-quote]`;

/** A bad flag or argument: the CLI prints the message and its usage, and exits with code 2. */
export class UsageError extends Error {}

/** parseArgs option specs for the sampling flags (all strings; converted by samplingSettings). */
export const samplingOptions = {
  greedy: { type: "boolean" },
  // The quote stage (lib/llm/quote.ts): on by default for the tutor (scripts/ask.ts), off elsewhere.
  quote: { type: "boolean" },
  "no-quote": { type: "boolean" },
  ...(Object.fromEntries(Object.keys(SAMPLING_FLAGS).map((flag) => [flag, { type: "string" }])) as Record<
    keyof typeof SAMPLING_FLAGS,
    { type: "string" }
  >),
} as const;

/** Allow `--presence-penalty -1` (node's parseArgs would read "-1" as an option): join it as `--presence-penalty=-1`. */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].replace(/^--/, "");
    if (argv[i].startsWith("--") && flag in SAMPLING_FLAGS && /^-[0-9.]/.test(argv[i + 1] ?? "")) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** A number when the text is one; otherwise the text itself, so the settings schema reports it ("got \"abc\""). */
export function numberOrText(raw: string): number | string {
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw.trim()) ? Number(raw) : raw;
}

/** The settings object (unvalidated) named by the parsed flags. */
export function samplingSettings(values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(SAMPLING_FLAGS)) {
    const raw = values[flag];
    if (typeof raw === "string") settings[field] = numberOrText(raw);
  }
  if (values.greedy) settings.greedy = true;
  if (values.quote && values["no-quote"]) throw new UsageError("--quote and --no-quote contradict each other: give one");
  if (values.quote) settings.quote = true;
  if (values["no-quote"]) settings.quote = false;
  return settings;
}

/** The flag that sets a settings field, for error messages ("--top-p: …"). */
export const flagOf = (field: string): string | undefined => Object.entries(SAMPLING_FLAGS).find(([, f]) => f === field)?.[0];

/**
 * The settings the flags name, validated, and the model `--model` names (GLASSBOX_MODEL_DIR
 * adds `local`); a bad value ends the CLI through `fail(2, …)` with the flag in the message.
 * The modules are imported here, lazily: they are light (zod), so a typo fails before the
 * heavy inference modules load.
 */
export async function checkSamplingAndModel(
  cli: { settings: Record<string, unknown>; model?: string },
  fail: (code: 2, message: string) => never,
): Promise<{ settings: GenerationSettings; entry: ModelEntry }> {
  const [{ validateSettings }, { resolveModel, UnknownModelError }, { serverEnv }] = await Promise.all([
    import("../../lib/llm/settings.ts"),
    import("../../lib/llm/registry.ts"),
    import("../../lib/env/server.ts"),
  ]);
  const checked = validateSettings(cli.settings);
  if (!checked.ok) fail(2, checked.issues.map((i) => (flagOf(i.field) ? `--${flagOf(i.field)}: ${i.message}` : i.message)).join("; "));
  try {
    const dir = serverEnv().GLASSBOX_MODEL_DIR; // validated, trimmed, empty = unset (lib/env)
    return { settings: checked.settings, entry: resolveModel(cli.model, { localModelDir: dir ? path.resolve(dir) : undefined }) };
  } catch (error) {
    if (error instanceof UnknownModelError) fail(2, `--model: ${error.message}`);
    throw error;
  }
}
