import { jsonError, readJson } from "@/lib/http/responses";
import { COMPARE_TOKENIZER_IDS } from "@/lib/tokenizers/catalog";
import { tokenizeMany } from "@/lib/tokenizers/compare";
import { limitTokenize } from "@/lib/tokenizers/rate-limit";
import { MAX_TOKENIZE_BODY_BYTES, parseTokenizeBody } from "./schema";

/**
 * POST /api/tokenize — the same text through several tokenizers (lib/tokenizers/catalog.ts).
 *
 * Body: see ./schema.ts. Response 200:
 *   { results: [{ tokenizer, ok: true, tokens, count, chars, charsPerToken, chatTemplate? }
 *                              | { tokenizer, ok: false, error }] }
 * in the order asked. A tokenizer that cannot load (course-lm's files missing) fails alone.
 * Refused with JSON `{ error, fields }`: 400 invalid body / unknown tokenizer / lone
 * surrogate, 413 body or text too large; 429 with Retry-After over the per-IP rate limit.
 */
export async function POST(request: Request) {
  const limited = await limitTokenize(request);
  if (limited) return limited;
  const body = await readJson(request, MAX_TOKENIZE_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = parseTokenizeBody(body.value);
  if (!parsed.ok) return jsonError(parsed.tooLong ? 413 : 400, parsed.error, { fields: parsed.fields });
  const { text, tokenizers = [...COMPARE_TOKENIZER_IDS], chatTemplate = false } = parsed.body;
  const ids = [...new Set(tokenizers)].filter((id): id is (typeof COMPARE_TOKENIZER_IDS)[number] => (COMPARE_TOKENIZER_IDS as readonly string[]).includes(id));
  const results = await tokenizeMany(ids, text, { chatTemplate });
  return Response.json({ results }, { headers: { "Cache-Control": "no-store" } });
}
