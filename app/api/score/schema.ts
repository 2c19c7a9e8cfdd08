import { z } from "zod";
import { parseBody, type ParsedBody } from "@/lib/http/parse-body";
import { candidateCountSchema } from "@/app/api/generate/schema";

/**
 * POST /api/score body:
 *
 *   text            the text to score (1 to 20,000 characters of valid Unicode)
 *   model?          registry id (GET /api/models), default "course-lm"
 *   candidateCount? candidates recorded per token (what the model expected instead): [1, 200], default 20
 *
 * Only the first min(257, context window) tokens are scored; the response says whether the
 * text was cut. What only the loaded model can tell (the number of tokens) is checked by the route.
 */

/** Largest body: the text cap in UTF-8 (up to 4 bytes a character) plus the other fields. */
export const MAX_SCORE_BODY_BYTES = 96 * 1024;
/** A pasted text longer than this is refused rather than silently cut; the token cap cuts far earlier. */
export const MAX_SCORE_TEXT_CHARS = 20_000;

const FIELDS = ["text", "model", "candidateCount"] as const;

export const scoreBodySchema = z.strictObject({
  text: z
    .string({ error: "text must be a string" })
    .min(1, "text must not be empty")
    .max(MAX_SCORE_TEXT_CHARS, `text may be at most ${MAX_SCORE_TEXT_CHARS.toLocaleString("en-US")} characters`)
    .refine((s) => s.isWellFormed(), "text must be valid Unicode text (it contains a lone surrogate, half of a UTF-16 pair)"),
  model: z
    .string({ error: "model must be a string: a model id from GET /api/models" })
    .min(1, "model must not be empty")
    .max(200, "model is too long")
    .optional(),
  candidateCount: candidateCountSchema.optional(),
});

export type ScoreBody = z.output<typeof scoreBodySchema>;

/** Validate a parsed JSON body; failures as `{ field: message }` for jsonError(400, …, { fields }). */
export function parseScoreBody(value: unknown): ParsedBody<ScoreBody> {
  return parseBody(scoreBodySchema, value, { expected: "a JSON object { text, model?, candidateCount? }", allowedAt: (at) => (at === "" ? FIELDS : []) });
}
