import { z } from "zod";
import { currentUser } from "@/lib/auth";
import { jsonError, readJson } from "@/lib/http/responses";
import type { Trace } from "@/lib/llm/trace";
import { addUserMessage, createConversation, findConversation, saveReply, threadMessages, type StoredMessage } from "@/lib/tutor/conversations";
import { conversationTitle } from "@/lib/tutor/grounding";
import { traceSchema } from "@/lib/llm/trace-schema";
import { groundingSchema } from "@/lib/tutor/schemas";
import { visiblePath } from "@/lib/tutor/thread";
import type { Grounding } from "@/lib/tutor/types";
import { issuesToFields } from "@/lib/http/parse-body";
import { MAX_MESSAGE_CHARS } from "../schema";

/**
 * POST /api/tutor/messages — save an exchange the browser ran itself (the "in my browser"
 * backend), signed in only. The same placement rules as POST /api/tutor:
 *
 *   { conversationId?, parentId?, message, reply: { content, trace | null, grounding, branchFromStep? } }
 *   → 201 { conversationId, title, userMessageId, messageId } | 400 | 401 | 404 | 413
 *
 * Without conversationId a new conversation is created (titled by the question). parentId
 * naming a question adds the reply as another sibling; naming a reply, the question follows it.
 */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const schema = z
  .strictObject({
    conversationId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "conversationId must be an id").optional(),
    parentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "parentId must be an id").optional(),
    message: z
      .string({ error: "message must be a string" })
      .transform((s) => s.trim())
      .pipe(z.string().min(1, "message must not be empty").max(MAX_MESSAGE_CHARS, `message is too long: at most ${MAX_MESSAGE_CHARS} characters`)),
    reply: z.strictObject({
      content: z.string().max(64 * 1024),
      trace: traceSchema.nullable(),
      grounding: groundingSchema,
      branchFromStep: z.number().int().min(0).nullable().optional(),
    }),
  })
  .superRefine((body, ctx) => {
    if (body.parentId !== undefined && body.conversationId === undefined) {
      ctx.addIssue({ code: "custom", path: ["parentId"], message: "parentId needs a conversationId" });
    }
  });

export async function POST(request: Request) {
  const user = await currentUser();
  if (!user) return jsonError(401, "Sign in to save conversations");
  const body = await readJson(request, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) {
    const { error, fields } = issuesToFields(parsed.error.issues, (at) => (at === "" ? ["conversationId", "parentId", "message", "reply"] : at === "reply" ? ["content", "trace", "grounding", "branchFromStep"] : []));
    return jsonError(400, error, { fields });
  }
  const { conversationId, parentId, message, reply } = parsed.data;

  let conversation = conversationId !== undefined ? await findConversation(user.id, conversationId) : null;
  if (conversationId !== undefined && !conversation) return jsonError(404, "No such conversation");

  let answering: StoredMessage | null = null;
  let follows: StoredMessage | null = null;
  if (conversation) {
    const thread = await threadMessages(conversation.id);
    const parent = parentId !== undefined ? thread.find((m) => m.id === parentId) : visiblePath(thread).findLast((m) => m.role === "assistant");
    if (parentId !== undefined && !parent) return jsonError(404, "parentId: no such message in this conversation");
    if (parent?.role === "user") {
      if (parent.content.trim() !== message) return jsonError(400, "message: must be the question being answered again (parentId names it)");
      answering = parent;
    } else follows = parent ?? null;
  }
  conversation ??= await createConversation(user.id, conversationTitle(message), reply.trace?.model.id ?? "course-lm");
  const userMessageId = answering ? answering.id : (await addUserMessage(conversation.id, message, follows?.id ?? null)).id;
  const saved = await saveReply({
    conversationId: conversation.id,
    parentId: userMessageId,
    content: reply.content,
    trace: reply.trace as unknown as Trace | null,
    grounding: reply.grounding as Grounding,
    branchFromStep: reply.branchFromStep ?? null,
  });
  return Response.json({ conversationId: conversation.id, title: conversation.title, userMessageId, messageId: saved.id }, { status: 201 });
}
