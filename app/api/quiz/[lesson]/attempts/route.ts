import { currentUser } from "@/lib/auth";
import type { AttemptResponse } from "@/lib/course/api-types";
import { ATTEMPT_BODY_LIMIT_BYTES, parseAttemptRequest } from "@/lib/course/attempt-request";
import { gradeWithoutSaving, IdempotencyKeyReusedError, submitQuizAttempt } from "@/lib/course/attempts";
import { getQuiz } from "@/lib/course/quizzes";
import { isDatabaseBusy } from "@/lib/db/busy";
import { jsonError, readJson, validationError } from "@/lib/http/responses";

/**
 * POST /api/quiz/[lesson]/attempts {idempotencyKey, answers, durationMs?}
 * → 201 stored | 200 replayed or anonymous (graded, not stored) | 400 | 404 | 409 | 413 | 503 busy (Retry-After; resubmit with the same key)
 */
export async function POST(request: Request, { params }: { params: Promise<{ lesson: string }> }) {
  const { lesson } = await params;
  const quiz = getQuiz(lesson);
  if (!quiz) return jsonError(404, `No quiz for lesson "${lesson}"`);

  const body = await readJson(request, ATTEMPT_BODY_LIMIT_BYTES);
  if (!body.ok) return body.response;
  const parsed = parseAttemptRequest(quiz, body.value);
  if (!parsed.success) return validationError(parsed.error);
  const { idempotencyKey, answers, durationMs } = parsed.data;

  const user = await currentUser();
  if (!user) {
    const result = await gradeWithoutSaving(quiz, answers);
    return Response.json({ saved: false, result } satisfies AttemptResponse);
  }
  try {
    const saved = await submitQuizAttempt(quiz, { userId: user.id, idempotencyKey, answers, durationMs });
    return Response.json({ saved: true, ...saved } satisfies AttemptResponse, { status: saved.replayed ? 200 : 201 });
  } catch (error) {
    if (error instanceof IdempotencyKeyReusedError) return jsonError(409, error.message, { fields: { idempotencyKey: error.message } });
    if (isDatabaseBusy(error)) {
      return jsonError(503, "The server is busy and your answers were not saved yet. Try again in a moment.", { headers: { "Retry-After": "2" } });
    }
    throw error;
  }
}
