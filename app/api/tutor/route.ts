import { randomUUID } from "node:crypto";
import { currentUser } from "@/lib/auth";
import { ndjsonLinesResponse } from "@/lib/http/ndjson";
import { jsonError, readJson } from "@/lib/http/responses";
import { generationErrorResponse, getServerModel, limitGeneration, resolveServerModel, startGeneration } from "@/lib/llm/server";
import type { Trace } from "@/lib/llm/trace";
import { addUserMessage, createConversation, saveReply } from "@/lib/tutor/conversations";
import { retrieveForQuestion } from "@/lib/tutor/retrieval";
import { conversationTitle } from "@/lib/tutor/grounding";
import { generationInput, promptToolsFor } from "@/lib/tutor/model-prompt";
import { fallbackPlan, planTurn } from "@/lib/tutor/plan";
import { QuestionTooLongError } from "@/lib/tutor/prompt";
import { tutorStream } from "@/lib/tutor/stream";
import { resolveTurnPosition } from "@/lib/tutor/turn-position";
import type { Grounding, TutorEvent } from "@/lib/tutor/types";
import { MAX_TUTOR_BODY_BYTES, parseTutorBody } from "./schema";

/**
 * POST /api/tutor — ask the tutor; the reply streams as NDJSON, one JSON object per line:
 *
 *   {"type":"conversation",conversationId,title,userMessageId,messageId,parentId,branchFromStep}  (signed in)
 *   {"type":"sources",sources:[…],query}            the lesson sections retrieved (before any step)
 *   {"type":"context",used,limit,reserved,parts,keptTurns,droppedTurns,passages,droppedPassages,trimmedPassages}
 *   {"type":"prompt",…} {"type":"step",…}× {"type":"done",trace}      as POST /api/generate
 *   {"type":"saved",conversationId,messageId,finishReason}                                         (signed in)
 *
 * When retrieval finds nothing relevant the model is not run: after "sources" (empty, with
 * `suggestions`) comes {"type":"fallback",text,suggestions} — a fixed reply from the lesson
 * index — then "saved". A failure part-way ends the stream with {"type":"error",error,code}.
 *
 * Signed in, the exchange is saved: a new conversation (titled by the question) unless
 * conversationId is given, the question, and the reply with its trace and sources when it
 * ends — also when stopped (finishReason "aborted"). parentId naming a question adds another
 * reply to it (regenerate, replay with other settings, or a branch with forcedTokens, whose
 * branchFromStep is forcedTokens.length − 1). Anonymous callers keep the conversation
 * themselves and send `history`.
 *
 * Refused before streaming with JSON `{ error, fields? }`: 400 invalid body or question too
 * long for the context window, 401 conversationId without a session, 404 a conversation
 * or message that is not the caller's, 413 body too large, 503 model unavailable or queue full.
 */
export async function POST(request: Request) {
  const body = await readJson(request, MAX_TUTOR_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = parseTutorBody(body.value);
  if (!parsed.ok) return jsonError(400, parsed.error, { fields: parsed.fields });
  const { message, conversationId, parentId, settings, model: modelId, forcedTokens, internals } = parsed.body;

  const user = await currentUser();
  if (!user && conversationId !== undefined) return jsonError(401, "Sign in to continue a saved conversation");

  let entry;
  try {
    entry = resolveServerModel(modelId);
  } catch (error) {
    return generationErrorResponse(error);
  }
  const limited = await limitGeneration(request, { route: "tutor", modelId: entry.id, userId: user?.id });
  if (limited) return limited;

  // Where the question sits: a saved conversation's thread, or the history the browser sent.
  const placed = await resolveTurnPosition({ userId: user?.id ?? null, message, conversationId, parentId, forcedTokens, history: parsed.body.history });
  if (!placed.ok) {
    const summary = placed.field ? `${placed.field}: ${placed.error}` : placed.error;
    return jsonError(placed.status, summary, placed.field ? { fields: { [placed.field]: placed.error } } : undefined);
  }
  const { history, previousQuestions, answering, follows, branchFromStep } = placed.position;
  let conversation = placed.position.conversation;

  const retrieval = retrieveForQuestion(message, previousQuestions);
  const userId = user?.id ?? null;

  /** Saves the conversation and question (signed in) and announces where the reply will go. */
  const persistQuestion = async (): Promise<{ event: TutorEvent; conversationId: string; userMessageId: string; messageId: string } | null> => {
    if (!userId) return null;
    conversation ??= await createConversation(userId, conversationTitle(message), entry.id);
    const userMessageId = answering ? answering.id : (await addUserMessage(conversation.id, message, follows?.id ?? null)).id;
    const messageId = randomUUID();
    return {
      conversationId: conversation.id,
      userMessageId,
      messageId,
      event: { type: "conversation", conversationId: conversation.id, title: conversation.title, userMessageId, messageId, parentId: userMessageId, branchFromStep },
    };
  };

  // Nothing relevant: the fixed reply from the lesson index — the model is not asked to make one up.
  if (retrieval.passages.length === 0) {
    const plan = fallbackPlan(retrieval);
    const stored = await persistQuestion();
    const lines: TutorEvent[] = [];
    if (stored) lines.push(stored.event);
    const { sources, suggestions, query } = plan.grounding;
    lines.push({ type: "sources", sources, suggestions, query }, { type: "fallback", text: plan.text, suggestions: retrieval.suggestions });
    if (stored) {
      await saveReply({ id: stored.messageId, conversationId: stored.conversationId, parentId: stored.userMessageId, content: plan.text, trace: null, grounding: plan.grounding });
      lines.push({ type: "saved", conversationId: stored.conversationId, messageId: stored.messageId, finishReason: null });
    }
    return ndjsonLinesResponse(lines);
  }

  let generation;
  let loaded;
  let grounding: Grounding;
  try {
    loaded = await getServerModel(entry);
    const tools = promptToolsFor(loaded);
    let plan;
    try {
      plan = planTurn({ question: message, retrieval, history, ...tools });
    } catch (error) {
      if (error instanceof QuestionTooLongError) return jsonError(400, `message: ${error.message}`, { fields: { message: error.message } });
      throw error;
    }
    if (plan.kind !== "generate") throw new Error("unreachable");
    grounding = plan.grounding;
    generation = await startGeneration({ ...generationInput(plan.prompt), model: entry.id, settings, forcedTokens, internals, signal: request.signal });
  } catch (error) {
    return generationErrorResponse(error);
  }

  let stored;
  try {
    stored = await persistQuestion();
  } catch (error) {
    generation.cancel();
    await generation.return();
    console.error("[tutor] saving the question failed:", error);
    return jsonError(500, "the conversation could not be saved");
  }

  const { context, ...sources } = grounding;
  const prelude: TutorEvent[] = [];
  if (stored) prelude.push(stored.event);
  prelude.push({ type: "sources", ...sources }, { type: "context", ...context! });

  return tutorStream({
    prelude,
    generation,
    onDone: async (trace: Trace) => {
      if (!stored) return [];
      await saveReply({
        id: stored.messageId,
        conversationId: stored.conversationId,
        parentId: stored.userMessageId,
        content: trace.reply.text,
        trace,
        grounding,
        branchFromStep,
      });
      return [{ type: "saved", conversationId: stored.conversationId, messageId: stored.messageId, finishReason: trace.finishReason }];
    },
  });
}
