/**
 * The chat as the page holds it: a conversation's message tree (../thread.ts) with the live
 * state of a reply being streamed, and the pure functions that apply the stream's events
 * to it. No React here, so it is tested as plain functions.
 */
import { partialTrace, stepsText, type Trace, type TraceStep } from "../../llm/trace.ts";
import type { StoredMessage } from "../conversations-types.ts";
import { ancestry, childrenOf, historyFromPath, questionsOnPath, visiblePath, type ThreadMessage } from "../thread.ts";
import type { Grounding, Turn, TutorEvent } from "../types.ts";

export interface ChatMessage extends ThreadMessage {
  trace: Trace | null;
  grounding: Grounding | null;
  branchFromStep: number | null;
  status: "done" | "streaming" | "error";
  /** While streaming: the steps so far, and the prompt (for a partial trace if stopped). */
  steps?: TraceStep[];
  /** While streaming: when the first and the latest step arrived (performance.now(); for the live tokens/s). */
  firstStepAtMs?: number;
  lastStepAtMs?: number;
  prompt?: Extract<TutorEvent, { type: "prompt" }>;
  error?: string;
  /** A reply that was stopped before the server could report it saved. */
  stopped?: boolean;
}

export interface ChatState {
  /** The saved conversation's id; null for a new one, or one kept in the browser only. */
  conversationId: string | null;
  title: string;
  messages: ChatMessage[];
  /** parent id ("" for the roots) → the chosen child (sibling navigation). */
  selected: Record<string, string>;
}

export const emptyChat = (): ChatState => ({ conversationId: null, title: "", messages: [], selected: {} });

export const localId = (): string =>
  `local-${typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : Math.random().toString(36).slice(2)}`;

export const nowIso = (): string => new Date().toISOString();

/** A saved conversation's messages as chat messages. */
export function fromStored(messages: readonly StoredMessage[]): ChatMessage[] {
  return messages.map((m) => ({
    id: m.id,
    role: m.role,
    content: m.content,
    parentId: m.parentId,
    createdAt: m.createdAt,
    trace: m.trace,
    grounding: m.grounding,
    branchFromStep: m.branchFromStep,
    status: "done",
  }));
}

/** A reply whose answer came from the model (not the fixed "not in the course" reply). */
export const isGenerated = (m: Pick<ChatMessage, "grounding">): boolean => !m.grounding?.suggestions;

/** What the server would use as the prompt's history and previous questions, before a question. */
export function promptContext(messages: readonly ChatMessage[], before: { answering: string } | { follows: string | null }): { history: Turn[]; previousQuestions: string[] } {
  const path =
    "answering" in before ? ancestry(messages, before.answering).slice(0, -1) : before.follows ? ancestry(messages, before.follows) : [];
  const done = path.filter((m) => m.status === "done");
  return { history: historyFromPath(done, isGenerated), previousQuestions: questionsOnPath(done) };
}

export function path(state: ChatState): ChatMessage[] {
  return visiblePath(state.messages, state.selected);
}

export function siblingsOf(state: ChatState, message: ChatMessage): ChatMessage[] {
  return childrenOf(state.messages, message.parentId);
}

export function select(state: ChatState, message: Pick<ChatMessage, "id" | "parentId">): ChatState {
  return { ...state, selected: { ...state.selected, [message.parentId ?? ""]: message.id } };
}

export function addMessage(state: ChatState, message: ChatMessage): ChatState {
  return select({ ...state, messages: [...state.messages, message] }, message);
}

export function updateMessage(state: ChatState, id: string, update: (m: ChatMessage) => ChatMessage): ChatState {
  return { ...state, messages: state.messages.map((m) => (m.id === id ? update(m) : m)) };
}

/** Replace message ids (temporary → the server's) everywhere: messages, parents, selection. */
export function renameIds(state: ChatState, map: Readonly<Record<string, string>>): ChatState {
  const r = (id: string) => map[id] ?? id;
  const selected: Record<string, string> = {};
  for (const [parent, child] of Object.entries(state.selected)) selected[parent === "" ? "" : r(parent)] = r(child);
  return {
    ...state,
    selected,
    messages: state.messages.map((m) => ({ ...m, id: r(m.id), parentId: m.parentId === null ? null : r(m.parentId) })),
  };
}

/**
 * Apply one stream event to the reply `ids.assistant` (and, for "conversation", move the
 * temporary ids to the server's: `ids` is updated in place so later events find the reply).
 */
export function applyEvent(state: ChatState, ids: { user: string; assistant: string }, event: TutorEvent, receivedAtMs = 0): ChatState {
  switch (event.type) {
    case "conversation": {
      const map: Record<string, string> = { [ids.assistant]: event.messageId };
      if (ids.user !== event.userMessageId) map[ids.user] = event.userMessageId;
      ids.user = event.userMessageId;
      ids.assistant = event.messageId;
      return { ...renameIds(state, map), conversationId: event.conversationId, title: state.title || event.title };
    }
    case "sources":
      return updateMessage(state, ids.assistant, (m) => ({
        ...m,
        grounding: { sources: event.sources, ...(event.suggestions ? { suggestions: event.suggestions } : {}), ...(event.query ? { query: event.query } : {}) },
      }));
    case "context": {
      const { type: _type, ...context } = event;
      void _type;
      return updateMessage(state, ids.assistant, (m) => ({ ...m, grounding: { sources: [], ...m.grounding, context } }));
    }
    case "fallback":
      return updateMessage(state, ids.assistant, (m) => ({
        ...m,
        content: event.text,
        status: "done",
        grounding: { sources: [], ...m.grounding, suggestions: event.suggestions },
      }));
    case "prompt":
      return updateMessage(state, ids.assistant, (m) => ({ ...m, prompt: event, steps: [] }));
    case "step":
      return updateMessage(state, ids.assistant, (m) => {
        const steps = [...(m.steps ?? []), event.step];
        return { ...m, steps, content: stepsText(steps), firstStepAtMs: m.firstStepAtMs ?? receivedAtMs, lastStepAtMs: receivedAtMs };
      });
    case "done":
      return updateMessage(state, ids.assistant, (m) => ({
        ...m,
        trace: event.trace,
        content: event.trace.reply.text,
        status: "done",
        steps: undefined,
        prompt: undefined,
        firstStepAtMs: undefined,
        lastStepAtMs: undefined,
      }));
    case "saved":
      return updateMessage(state, ids.assistant, (m) => ({ ...m, stopped: false }));
    case "error":
      return updateMessage(state, ids.assistant, (m) => ({ ...m, status: "error", error: event.error }));
  }
}

/** The reply was stopped (or the stream broke) before "done": keep what arrived. */
export function finishStopped(state: ChatState, id: string): ChatState {
  return updateMessage(state, id, (m) => {
    if (m.status !== "streaming") return m;
    const trace = m.prompt ? partialTrace(m.prompt, m.steps ?? []) : null;
    return { ...m, status: "done", stopped: true, trace, content: trace?.reply.text ?? m.content, steps: undefined, prompt: undefined };
  });
}
