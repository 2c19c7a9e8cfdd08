import { jsonError, readJson } from "@/lib/http/responses";
import { generationErrorResponse, limitGeneration, ndjsonResponse, startGeneration } from "@/lib/llm/server";
import { MAX_GENERATE_BODY_BYTES, parseGenerateBody } from "./schema";

/**
 * POST /api/generate — run the model and stream its reply, traced token by token.
 *
 * Body: see ./schema.ts. Response: `application/x-ndjson`, one JSON object per line:
 *   {"type":"prompt","model":…,"settings":…,"prompt":{text,tokens}}
 *   {"type":"step","step":{index,tokenId,text,logprob,rank,entropy,u,kept,candidates}}   × each token
 *   {"type":"done","trace":{…}}   the trace less its steps: they are the step lines (lib/llm/trace.ts wireEvent)
 * or, if the generation fails part-way, a last line {"type":"error","error":…,"code":…}.
 *
 * Refused before streaming, with JSON `{ error, fields? }`: 400 invalid body / unknown
 * model / bad token ids, 413 body too large or prompt beyond the context window, 503 queue
 * full (with Retry-After) or model unavailable.
 */
export async function POST(request: Request) {
  const body = await readJson(request, MAX_GENERATE_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = parseGenerateBody(body.value);
  if (!parsed.ok) return jsonError(400, parsed.error, { fields: parsed.fields });
  const { prompt, messages, promptIds, model, settings, forcedTokens, stopStrings, candidateCount, trackTokens, internals } = parsed.body;

  const limited = await limitGeneration(request, { route: "generate", modelId: model });
  if (limited) return limited;

  try {
    const generation = await startGeneration({
      ...(messages !== undefined ? { messages } : promptIds !== undefined ? { promptIds } : { prompt: prompt ?? "" }),
      model,
      settings,
      forcedTokens,
      stopStrings,
      candidateCount,
      trackTokens,
      internals,
      signal: request.signal,
    });
    return ndjsonResponse(generation);
  } catch (error) {
    return generationErrorResponse(error);
  }
}
