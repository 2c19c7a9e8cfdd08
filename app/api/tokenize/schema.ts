import { z } from "zod";
import { parseBody, type FieldErrors } from "@/lib/http/parse-body";
import { COMPARE_TOKENIZER_IDS, MAX_TOKENIZE_CHARS } from "@/lib/tokenizers/catalog";

/**
 * POST /api/tokenize body:
 *
 *   text          the text to tokenize (≤ MAX_TOKENIZE_CHARS UTF-16 units, valid Unicode)
 *   tokenizers?   ids from lib/tokenizers/catalog.ts; default: all of them
 *   chatTemplate? also return each tokenizer's chat-template tokens for a demo conversation
 *
 * Every failure names the field and the rule it broke.
 */

/** 20,000 characters of CJK text are ~60 KB of UTF-8; JSON escapes can double that. */
export const MAX_TOKENIZE_BODY_BYTES = 160 * 1024;

const FIELDS = ["text", "tokenizers", "chatTemplate"] as const;
const KNOWN = COMPARE_TOKENIZER_IDS.join(", ");

export const tokenizeBodySchema = z.strictObject({
  text: z
    .string({ error: "text must be a string" })
    .max(MAX_TOKENIZE_CHARS, `text is too long: at most ${MAX_TOKENIZE_CHARS.toLocaleString("en")} characters`)
    // JSON can carry half of a UTF-16 surrogate pair ("\ud800"), which is no text at all.
    .refine((s) => s.isWellFormed(), "text must be valid Unicode text (it contains a lone surrogate, half of a UTF-16 pair)"),
  tokenizers: z
    .array(
      z.string({ error: `each tokenizer must be a string id (one of ${KNOWN})` }).refine((id) => (COMPARE_TOKENIZER_IDS as readonly string[]).includes(id), {
        error: (issue) => `unknown tokenizer ${JSON.stringify(issue.input)} (known: ${KNOWN})`,
      }),
      { error: `tokenizers must be a list of ids (known: ${KNOWN})` },
    )
    .min(1, `tokenizers must not be empty (known: ${KNOWN})`)
    .max(COMPARE_TOKENIZER_IDS.length * 2, "tokenizers lists too many ids")
    .optional(),
  chatTemplate: z.boolean({ error: "chatTemplate must be true or false" }).optional(),
});

export type TokenizeBody = z.output<typeof tokenizeBodySchema>;

/** Validate a parsed JSON body into `{ field: message }` failures; `tooLong` when the text is over the cap (a 413, not a 400). */
export function parseTokenizeBody(value: unknown): { ok: true; body: TokenizeBody } | { ok: false; error: string; fields: FieldErrors; tooLong: boolean } {
  const parsed = parseBody(tokenizeBodySchema, value, { expected: "a JSON object { text, tokenizers?, chatTemplate? }", allowedAt: (at) => (at === "" ? FIELDS : []) });
  if (parsed.ok) return parsed;
  const tooLong = parsed.issues.some((issue) => issue.code === "too_big" && issue.path.join(".") === "text");
  return { ok: false, error: parsed.error, fields: parsed.fields, tooLong };
}
