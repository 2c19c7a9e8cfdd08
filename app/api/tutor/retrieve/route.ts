import { z } from "zod";
import { jsonError, readJson, validationError } from "@/lib/http/responses";
import { retrieveForQuestion } from "@/lib/tutor/retrieval";
import { MAX_HISTORY_CHARS, MAX_MESSAGE_CHARS } from "../schema";

/**
 * POST /api/tutor/retrieve { message, previous?: [earlier questions, oldest first] }
 *   → 200 { passages: [{ id, kind, lessonSlug, lessonTitle, sectionSlug, heading, text, href, score }], query, suggestions }
 *
 * The tutor's retrieval alone, for the "in my browser" backend: the page builds the prompt
 * with the same code as the server (lib/tutor/plan.ts) and runs the model itself. Empty
 * `passages` means nothing relevant was found; `suggestions` then names lessons to try.
 */
const schema = z.strictObject({
  message: z
    .string({ error: "message must be a string" })
    .transform((s) => s.trim())
    .pipe(z.string().min(1, "message must not be empty").max(MAX_MESSAGE_CHARS, `message is too long: at most ${MAX_MESSAGE_CHARS} characters`)),
  previous: z.array(z.string().max(MAX_HISTORY_CHARS), { error: "previous must be a list of strings" }).max(40).optional(),
});

export async function POST(request: Request) {
  const body = await readJson(request, 256 * 1024);
  if (!body.ok) return body.response;
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) return validationError(parsed.error);
  if (!parsed.data.message.isWellFormed()) return jsonError(400, "message must be valid Unicode text");
  const retrieval = retrieveForQuestion(parsed.data.message, parsed.data.previous ?? []);
  return Response.json(retrieval, { headers: { "Cache-Control": "no-store" } });
}
