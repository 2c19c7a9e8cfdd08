import { challengeAnswers } from "@/lib/course/challenge-answers";
import { answersSchema, challengeById, gradeAnswers } from "@/lib/course/challenges";
import { jsonError, readJson, validationError } from "@/lib/http/responses";
import { generationErrorResponse, limitGeneration } from "@/lib/llm/server";

/** Bodies are a handful of numbers. */
const BODY_LIMIT_BYTES = 4 * 1024;

/**
 * POST /api/challenges/[id] {answers: {field: number}} — checks a learner's answers to an
 * inspector challenge (lib/course/challenges.ts) against the values course-lm gives
 * (lib/course/challenge-answers.ts, run once per model and cached).
 * → 200 {correct, fields: [{name, given, expected, correct}], method} | 400 invalid answers |
 *   404 unknown challenge | 413 | 429 rate limited | 503 model busy or unavailable.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const challenge = challengeById(id);
  if (!challenge) return jsonError(404, `No challenge "${id}"`);

  const body = await readJson(request, BODY_LIMIT_BYTES);
  if (!body.ok) return body.response;
  const parsed = answersSchema(challenge).safeParse(body.value);
  if (!parsed.success) return validationError(parsed.error);

  const limited = await limitGeneration(request, { route: "challenge", modelId: "course-lm" });
  if (limited) return limited;
  try {
    const result = gradeAnswers(challenge, parsed.data.answers, await challengeAnswers(challenge));
    return Response.json({ ...result, method: challenge.method }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return generationErrorResponse(error);
  }
}
