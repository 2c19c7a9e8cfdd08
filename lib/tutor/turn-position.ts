import "server-only";
import { findConversation, threadMessages, type ConversationSummary, type StoredMessage } from "./conversations.ts";
import { ancestry, historyFromPath, questionsOnPath, visiblePath } from "./thread.ts";
import type { Turn } from "./types.ts";

/**
 * Where a new tutor turn sits: in a saved conversation's thread (signed in, conversationId
 * given), or after the history an anonymous browser sent. Decides which earlier turns the
 * prompt may use, and whether the turn asks a new question or answers an existing one again
 * (regenerate, replay, a branch from a token).
 */
export interface TurnPosition {
  /** The saved conversation, when continuing one. */
  conversation: ConversationSummary | null;
  /** The turns before this one on its path (for the prompt). */
  history: Turn[];
  /** The questions before this one on its path (for follow-up retrieval). */
  previousQuestions: string[];
  /** The existing question a new reply answers (regenerate / replay / branch). */
  answering: StoredMessage | null;
  /** The reply a new question follows. */
  follows: StoredMessage | null;
  /** For a branch (forced tokens), the step it branches from. */
  branchFromStep: number | null;
}

/** Why a turn cannot be placed: the HTTP status, a message, and the field it is about. */
export interface TurnPositionError {
  status: 400 | 404;
  error: string;
  field?: string;
}

export interface TurnRequest {
  userId: string | null;
  message: string;
  conversationId?: string;
  parentId?: string;
  forcedTokens?: readonly number[];
  history?: Turn[];
}

export async function resolveTurnPosition(request: TurnRequest): Promise<{ ok: true; position: TurnPosition } | ({ ok: false } & TurnPositionError)> {
  const { userId, message, conversationId, parentId, forcedTokens } = request;
  let history: Turn[] = request.history ?? [];
  let previousQuestions = history.filter((t) => t.role === "user").map((t) => t.content);
  let answering: StoredMessage | null = null;
  let follows: StoredMessage | null = null;
  const conversation = conversationId !== undefined && userId ? await findConversation(userId, conversationId) : null;
  if (conversationId !== undefined) {
    if (!conversation) return { ok: false, status: 404, error: "No such conversation" };
    const thread = await threadMessages(conversation.id);
    let parent: StoredMessage | null;
    if (parentId !== undefined) {
      parent = thread.find((m) => m.id === parentId) ?? null;
      if (!parent) return { ok: false, status: 404, error: "no such message in this conversation", field: "parentId" };
    } else {
      parent = visiblePath(thread).findLast((m) => m.role === "assistant") ?? null;
    }
    if (parent?.role === "user") {
      if (parent.content.trim() !== message) return { ok: false, status: 400, error: "must be the question being answered again (parentId names it)", field: "message" };
      answering = parent;
    } else follows = parent;
    const path = answering ? ancestry(thread, answering.id).slice(0, -1) : follows ? ancestry(thread, follows.id) : [];
    history = historyFromPath(path, (reply) => !reply.grounding?.suggestions);
    previousQuestions = questionsOnPath(path);
  }
  if (forcedTokens && !answering && conversationId !== undefined) {
    return { ok: false, status: 400, error: "a branch continues a reply, so parentId must name its question", field: "forcedTokens" };
  }
  return {
    ok: true,
    position: { conversation, history, previousQuestions, answering, follows, branchFromStep: forcedTokens ? forcedTokens.length - 1 : null },
  };
}
