import { jsonError, readJson } from "@/lib/http/responses";
import { GenerationAbortedError, generationErrorResponse, getServerModel, limitGeneration, resolveServerModel, startGeneration } from "@/lib/llm/server";
import { coverageOf, planScore, scoreGenerationInput, scoreTokenIds, TextTooShortError, type ScoreResult } from "@/lib/llm/score";
import { MAX_SCORE_BODY_BYTES, parseScoreBody } from "./schema";

/**
 * POST /api/score — how surprised the model is by each token of a text (lib/llm/score.ts):
 * the one decode loop with the text's tokens forced, through the same queue, deadline and
 * rate limit as /api/generate.
 *
 * Body: see ./schema.ts. Response (JSON): `{ trace, totalTokens, keptTokens, scoredTokens,
 * truncated, maxTokens }` — the trace's prompt is the first token, each step one scored token
 * (logprob, rank, entropy, candidates).
 * Refused with JSON `{ error, fields? }`: 400 invalid body / unknown model / fewer than two
 * tokens, 413 body too large, 429 rate limited, 503 queue full or model unavailable.
 */
export async function POST(request: Request) {
  const body = await readJson(request, MAX_SCORE_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = parseScoreBody(body.value);
  if (!parsed.ok) return jsonError(400, parsed.error, { fields: parsed.fields });
  const { text, model: modelId, candidateCount } = parsed.body;

  const limited = await limitGeneration(request, { route: "score", modelId });
  if (limited) return limited;

  try {
    const entry = resolveServerModel(modelId);
    const model = await getServerModel(entry);
    let plan;
    try {
      plan = planScore(scoreTokenIds(model, text), model.contextLength);
    } catch (error) {
      if (error instanceof TextTooShortError) return jsonError(400, `text: ${error.message}`, { fields: { text: error.message } });
      throw error;
    }
    const generation = await startGeneration({ ...scoreGenerationInput(plan), model: entry.id, candidateCount, signal: request.signal });
    for await (const event of generation) {
      if (event.type === "done") {
        const result: ScoreResult = { trace: event.trace, ...coverageOf(plan) };
        return Response.json(result, { headers: { "Cache-Control": "no-store" } });
      }
    }
    throw new GenerationAbortedError();
  } catch (error) {
    return generationErrorResponse(error);
  }
}
