/**
 * Saved conversations as the API returns them (GET /api/conversations[/:id]). Separate from
 * ./conversations.ts (server-only, Prisma) so the page can import the types.
 */
import type { Trace } from "../llm/trace.ts";
import type { Grounding } from "./types.ts";

export interface ConversationSummary {
  id: string;
  title: string;
  model: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  parentId: string | null;
  branchFromStep: number | null;
  createdAt: string;
  trace: Trace | null;
  grounding: Grounding | null;
}

