import { z } from "zod";
import { parseBody, type ParsedBody } from "@/lib/http/parse-body";
import { GenerationSettingsSchema } from "@/lib/llm/settings";
import { MAX_CANDIDATES, MAX_NEW_TOKENS, MAX_TRACKED_TOKENS } from "@/lib/llm/trace";

/**
 * POST /api/generate body:
 *
 *   { prompt: string }  or  { messages: [{ role, content }, …] }  or  { promptIds: [id, …] }   (exactly one;
 *                  promptIds: a trace's prompt tokens as they were, so a replay sees exactly what the model saw)
 *   model?         registry id (GET /api/models), default "course-lm"
 *   settings?      sampling settings (lib/llm/trace.ts: ranges written down once)
 *   forcedTokens?  replay/branch: [id, id, …] (the reply's first tokens) or { "7": id } (step → id)
 *   stopStrings?   end the reply when its text contains one of these
 *   candidateCount? candidates recorded per step, top N by raw logit: an integer in [1, 200], default 20
 *   trackTokens?   token ids (at most 8) reported at every step wherever they rank, each candidate with its rank
 *   internals?     true: each step also records the model's attention and logit lens (lib/llm/internals.ts;
 *                  models with an internals graph only, i.e. course-lm)
 *
 * Every field is checked here, with a message that names it and the rule; what only the
 * loaded model can tell (prompt length in tokens, token ids within the vocabulary, roles
 * the chat template accepts) is checked by lib/llm/server before streaming starts.
 */

/** Largest request body. A prompt filling a 32k-token window is ~130 KB of text. */
export const MAX_GENERATE_BODY_BYTES = 256 * 1024;
export const MAX_MESSAGES = 64;
export const MAX_STOP_STRINGS = 8;
/** The longest context of any registry model; the loaded model's own window is checked later. */
export const MAX_PROMPT_IDS = 32768;
/** Token ids are checked against the model's vocabulary later; this only bounds the number. */
const MAX_TOKEN_ID = 0x7fff_ffff;

const FIELDS = ["prompt", "messages", "promptIds", "model", "settings", "forcedTokens", "stopStrings", "candidateCount", "trackTokens", "internals"] as const;

/** Candidates per step (the labs' distribution charts ask for 50). Shared with /api/score. */
export const candidateCountSchema = z
  .number({ error: (issue) => `candidateCount must be an integer in [1, ${MAX_CANDIDATES}]; got ${typeof issue.input === "string" ? JSON.stringify(issue.input) : String(issue.input)}` })
  .int(`candidateCount must be an integer in [1, ${MAX_CANDIDATES}]`)
  .min(1, `candidateCount must be an integer in [1, ${MAX_CANDIDATES}]`)
  .max(MAX_CANDIDATES, `candidateCount must be an integer in [1, ${MAX_CANDIDATES}]`);

/** A string that is valid Unicode: JSON can carry half of a UTF-16 surrogate pair ("\ud800"), which no tokenizer can encode faithfully. */
const text = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .refine((s) => s.isWellFormed(), `${field} must be valid Unicode text (it contains a lone surrogate, half of a UTF-16 pair)`);

const message = z.strictObject(
  {
    role: z
      .string({ error: "role must be a string such as \"user\", \"assistant\" or \"system\"" })
      .regex(/^[a-z][a-z_]{0,31}$/, 'role must be a lowercase word such as "user", "assistant" or "system"'),
    content: text("content").max(MAX_GENERATE_BODY_BYTES, "content is too long"),
  },
  { error: "each message must be an object { role, content }" },
);

const tokenId = (field: string, value: unknown): string | null =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_TOKEN_ID
    ? null
    : `${field} must be a token id (an integer ≥ 0); got ${typeof value === "number" || typeof value === "string" ? JSON.stringify(value) : typeof value}`;

/** A list of token ids, each checked (out-of-vocabulary ids are the loaded model's to refuse). */
const tokenIdList = (field: string, min: number, max: number) =>
  z
    .array(z.unknown(), { error: `${field} must be a list of token ids` })
    .min(min, `${field} must not be empty`)
    .max(max, `${field} may hold at most ${max} token ids`)
    .superRefine((ids, ctx) => {
      ids.forEach((id, i) => {
        const error = tokenId(`${field}[${i}]`, id);
        if (error) ctx.addIssue({ code: "custom", path: [i], message: error });
      });
    })
    .transform((ids) => ids as number[]);

/**
 * [id, …] or { "step": id }. Validated by hand rather than with z.record: JSON.parse makes
 * "__proto__" an own key, which z.record silently drops; here every own key must be a
 * step index. The object form becomes a Map, so user keys never touch an object prototype.
 */
const forcedTokens = z.unknown().transform((value, ctx): number[] | Map<number, number> => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", message, path });
  if (Array.isArray(value)) {
    if (value.length > MAX_NEW_TOKENS) issue([], `forcedTokens may hold at most ${MAX_NEW_TOKENS} tokens (maxNewTokens' cap); got ${value.length}`);
    value.forEach((id, i) => {
      const error = tokenId(`forcedTokens[${i}]`, id);
      if (error) issue([i], error);
    });
    return value as number[];
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const map = new Map<number, number>();
    for (const key of Object.keys(value)) {
      const step = /^(0|[1-9][0-9]{0,5})$/.test(key) ? Number(key) : NaN;
      if (!(step < MAX_NEW_TOKENS)) {
        issue([key], `forcedTokens keys must be step indices, integers in [0, ${MAX_NEW_TOKENS - 1}]; got ${JSON.stringify(key)}`);
        continue;
      }
      const id = (value as Record<string, unknown>)[key];
      const error = tokenId(`forcedTokens.${key}`, id);
      if (error) issue([key], error);
      else map.set(step, id as number);
    }
    return map;
  }
  issue([], 'forcedTokens must be a list of token ids [id, …] or an object {"step": id}');
  return [];
});

export const generateBodySchema = z
  .strictObject({
    prompt: text("prompt").min(1, "prompt must not be empty").optional(),
    messages: z
      .array(message, { error: "messages must be a list of { role, content }" })
      .min(1, "messages must not be empty")
      .max(MAX_MESSAGES, `messages may hold at most ${MAX_MESSAGES} messages`)
      .optional(),
    promptIds: tokenIdList("promptIds", 1, MAX_PROMPT_IDS).optional(),
    model: z
      .string({ error: "model must be a string: a model id from GET /api/models" })
      .min(1, "model must not be empty")
      .max(200, "model is too long")
      .optional(),
    settings: GenerationSettingsSchema.optional(),
    forcedTokens: forcedTokens.optional(),
    stopStrings: z
      .array(text("stopStrings[]").min(1, "stop strings must not be empty").max(100, "stop strings are at most 100 characters"), {
        error: "stopStrings must be a list of strings",
      })
      .max(MAX_STOP_STRINGS, `stopStrings may hold at most ${MAX_STOP_STRINGS} strings`)
      .optional(),
    candidateCount: candidateCountSchema.optional(),
    trackTokens: tokenIdList("trackTokens", 0, MAX_TRACKED_TOKENS).optional(),
    internals: z.boolean({ error: "internals must be true or false" }).optional(),
  })
  .superRefine((body, ctx) => {
    const given = (["prompt", "messages", "promptIds"] as const).filter((k) => body[k] !== undefined);
    if (given.length === 0) {
      ctx.addIssue({ code: "custom", path: ["prompt"], message: "give either prompt (a string), messages (a list of { role, content }) or promptIds (token ids)" });
    } else if (given.length > 1) {
      ctx.addIssue({ code: "custom", path: [given[1]!], message: `give one of prompt, messages and promptIds, not ${given.join(" and ")}` });
    }
  });

export type GenerateBody = z.output<typeof generateBodySchema>;

/**
 * Validate a parsed JSON body. Failures come back as `{ field: message }` — unknown keys
 * (including "__proto__" and "constructor") named as fields of their own — ready for
 * jsonError(400, …, { fields }).
 */
export function parseGenerateBody(value: unknown): ParsedBody<GenerateBody> {
  return parseBody(generateBodySchema, value, {
    expected: `a JSON object with prompt, messages or promptIds (and optionally ${FIELDS.slice(3).join(", ")})`,
    allowedAt: (at) => (at === "settings" ? Object.keys(GenerationSettingsSchema.shape) : at === "" ? FIELDS : ["role", "content"]),
  });
}

