import "server-only";
import type { Prisma } from "../generated/prisma/client.ts";
import { getPrisma } from "../db/index.ts";
import type { Trace } from "../llm/trace.ts";
import { compactTrace } from "./compact.ts";
import type { ConversationSummary, StoredMessage } from "./conversations-types.ts";
import type { Grounding } from "./types.ts";

/**
 * Saved conversations (Prisma: Conversation, Message). Every function takes the user's id
 * and only ever touches that user's rows: a conversation of someone else's is "not found",
 * exactly like one that does not exist, so ids cannot be probed.
 *
 * A message's `trace` is the reply's full trace with its floats rounded (./compact.ts);
 * `sources` holds its Grounding (sources, suggestions, context report).
 */

export type { ConversationSummary, StoredMessage };

export const MAX_TITLE_LENGTH = 120;

type ConversationRow = { id: string; title: string; model: string; createdAt: Date; updatedAt: Date };
type MessageRow = {
  id: string;
  role: string;
  content: string;
  parentId: string | null;
  branchFromStep: number | null;
  createdAt: Date;
  trace: Prisma.JsonValue | null;
  sources: Prisma.JsonValue | null;
};

function summary(c: ConversationRow): ConversationSummary {
  return { id: c.id, title: c.title, model: c.model, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString() };
}

function message(m: MessageRow): StoredMessage {
  return {
    id: m.id,
    role: m.role === "assistant" ? "assistant" : "user",
    content: m.content,
    parentId: m.parentId,
    branchFromStep: m.branchFromStep,
    createdAt: m.createdAt.toISOString(),
    trace: (m.trace ?? null) as unknown as Trace | null,
    grounding: (m.sources ?? null) as unknown as Grounding | null,
  };
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** The user's conversations, most recently active first. */
export async function listConversations(userId: string): Promise<ConversationSummary[]> {
  const prisma = await getPrisma();
  const rows = await prisma.conversation.findMany({
    where: { userId },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    select: { id: true, title: true, model: true, createdAt: true, updatedAt: true },
  });
  return rows.map(summary);
}

/** The conversation if it is this user's, else null. */
export async function findConversation(userId: string, id: string): Promise<ConversationSummary | null> {
  const prisma = await getPrisma();
  const row = await prisma.conversation.findFirst({
    where: { id, userId },
    select: { id: true, title: true, model: true, createdAt: true, updatedAt: true },
  });
  return row ? summary(row) : null;
}

/** The conversation with every message (traces included), or null when it is not this user's. */
export async function getConversation(userId: string, id: string): Promise<{ conversation: ConversationSummary; messages: StoredMessage[] } | null> {
  const prisma = await getPrisma();
  const row = await prisma.conversation.findFirst({
    where: { id, userId },
    include: { messages: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
  });
  if (!row) return null;
  return { conversation: summary(row), messages: row.messages.map(message) };
}

/** The conversation's messages without traces (enough to build a prompt's history). */
export async function threadMessages(conversationId: string): Promise<StoredMessage[]> {
  const prisma = await getPrisma();
  const rows = await prisma.message.findMany({
    where: { conversationId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, role: true, content: true, parentId: true, branchFromStep: true, createdAt: true, sources: true },
  });
  return rows.map((r) => message({ ...r, trace: null }));
}

export async function renameConversation(userId: string, id: string, title: string): Promise<ConversationSummary | null> {
  const prisma = await getPrisma();
  const { count } = await prisma.conversation.updateMany({ where: { id, userId }, data: { title } });
  return count === 0 ? null : findConversation(userId, id);
}

export async function deleteConversation(userId: string, id: string): Promise<boolean> {
  const prisma = await getPrisma();
  // Messages go with it (onDelete: Cascade).
  const { count } = await prisma.conversation.deleteMany({ where: { id, userId } });
  return count > 0;
}

export async function createConversation(userId: string, title: string, model: string): Promise<ConversationSummary> {
  const prisma = await getPrisma();
  const row = await prisma.conversation.create({ data: { userId, title, model } });
  return summary(row);
}

export async function addUserMessage(conversationId: string, content: string, parentId: string | null): Promise<StoredMessage> {
  const prisma = await getPrisma();
  const [row] = await prisma.$transaction([
    prisma.message.create({ data: { conversationId, role: "user", content, parentId } }),
    prisma.conversation.update({ where: { id: conversationId }, data: { updatedAt: new Date() } }),
  ]);
  return message(row);
}

export interface ReplyToSave {
  /** Chosen by the caller (announced to the client before the reply streams). */
  id?: string;
  conversationId: string;
  /** The question it answers. */
  parentId: string;
  content: string;
  trace: Trace | null;
  grounding: Grounding;
  branchFromStep?: number | null;
}

/** Store a reply (its trace compacted) and mark the conversation active. */
export async function saveReply(reply: ReplyToSave): Promise<StoredMessage> {
  const prisma = await getPrisma();
  const [row] = await prisma.$transaction([
    prisma.message.create({
      data: {
        ...(reply.id ? { id: reply.id } : {}),
        conversationId: reply.conversationId,
        role: "assistant",
        content: reply.content,
        parentId: reply.parentId,
        branchFromStep: reply.branchFromStep ?? null,
        trace: reply.trace ? json(compactTrace(reply.trace)) : undefined,
        sources: json(reply.grounding),
      },
    }),
    prisma.conversation.update({ where: { id: reply.conversationId }, data: { updatedAt: new Date() } }),
  ]);
  return message(row);
}
