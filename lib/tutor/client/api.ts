/**
 * The page's side of the tutor's HTTP API: POST /api/tutor as an async stream of events,
 * the conversation routes, retrieval and saving for the browser backend, the model list.
 * Browser code (fetch only); every failure becomes a TutorApiError with the server's message.
 */
import { readApiError } from "../../http/client-errors.ts";
import type { ConversationSummary, StoredMessage } from "../conversations-types.ts";
import type { Retrieval } from "../types.ts";
import type { Grounding, TutorEvent } from "../types.ts";
import { withStreamedSteps, type Trace } from "../../llm/trace.ts";

export class TutorApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "TutorApiError";
  }
}

async function failure(response: Response): Promise<TutorApiError> {
  const { message, status, fields } = await readApiError(response);
  return new TutorApiError(message, status, fields);
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** Lines of an NDJSON body, parsed, as they arrive. */
export async function* ndjson<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) yield JSON.parse(line) as T;
      }
    }
    buffer += decoder.decode();
    if (buffer.trim()) yield JSON.parse(buffer) as T;
  } finally {
    reader.releaseLock();
  }
}

export interface TutorRequest {
  message: string;
  conversationId?: string;
  parentId?: string;
  settings?: Partial<Trace["settings"]>;
  model?: string;
  forcedTokens?: number[];
  history?: { role: "user" | "assistant"; content: string }[];
}

/** POST /api/tutor: the reply's events as they stream. Aborting `signal` stops the reply (it is still saved, as "aborted"). */
export async function* askTutor(request: TutorRequest, signal?: AbortSignal): AsyncGenerator<TutorEvent> {
  const response = await fetch("/api/tutor", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request),
    signal,
  });
  if (!response.ok || !response.body) throw await failure(response);
  yield* withStreamedSteps(ndjson<TutorEvent>(response.body));
}

export async function retrieve(message: string, previous: string[]): Promise<Retrieval> {
  return json(
    await fetch("/api/tutor/retrieve", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ message, previous }) }),
  );
}

export interface SavedExchange {
  conversationId: string;
  title: string;
  userMessageId: string;
  messageId: string;
}

/** Save a reply the browser generated (signed in). */
export async function saveExchange(body: {
  conversationId?: string;
  parentId?: string;
  message: string;
  reply: { content: string; trace: Trace | null; grounding: Grounding; branchFromStep?: number | null };
}): Promise<SavedExchange> {
  return json(await fetch("/api/tutor/messages", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }));
}

export async function listConversations(): Promise<ConversationSummary[]> {
  return (await json<{ conversations: ConversationSummary[] }>(await fetch("/api/conversations", { cache: "no-store" }))).conversations;
}

export async function loadConversation(id: string): Promise<{ conversation: ConversationSummary; messages: StoredMessage[] }> {
  return json(await fetch(`/api/conversations/${encodeURIComponent(id)}`, { cache: "no-store" }));
}

export async function renameConversation(id: string, title: string): Promise<ConversationSummary> {
  return (
    await json<{ conversation: ConversationSummary }>(
      await fetch(`/api/conversations/${encodeURIComponent(id)}`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ title }) }),
    )
  ).conversation;
}

export async function deleteConversation(id: string): Promise<void> {
  const response = await fetch(`/api/conversations/${encodeURIComponent(id)}`, { method: "DELETE" });
  if (!response.ok) throw await failure(response);
}

/** A model the tutor can run: what GET /api/models says (lib/llm/model-info.ts). */
export type { ModelInfo as ModelOption } from "../../llm/model-info.ts";
export { fetchModels as listModels } from "../../llm/model-info.ts";
