/**
 * A conversation is a tree of messages. A question's replies are siblings — the first answer,
 * regenerations, replays with other settings, branches from a step — sharing the question as
 * their parent. A follow-up question's parent is the reply it follows, so each sibling can
 * have its own continuation.
 *
 *   question ─┬─ reply 1 ── follow-up ── reply
 *             ├─ reply 2 (regenerated)
 *             └─ reply 3 (branch at step 5)
 *
 * What is on screen is one path from the root: at each question, the sibling chosen (the
 * newest by default). The prompt's history for a new question is the path up to the reply
 * it follows. The server and the page use these same functions.
 *
 * Isomorphic: pure functions.
 */
import type { Turn } from "./types.ts";

export interface ThreadMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  parentId: string | null;
  /** ISO time or anything that sorts in creation order. */
  createdAt: string;
}

/** Children of `parentId` (null: the roots), oldest first. */
export function childrenOf<M extends ThreadMessage>(messages: readonly M[], parentId: string | null): M[] {
  return messages
    .filter((m) => m.parentId === parentId)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/**
 * The path shown: from the newest root question, at each step the chosen child (by
 * `selected[parentId]`, else the newest). Ends at a reply, or at a question still waiting for one.
 */
export function visiblePath<M extends ThreadMessage>(messages: readonly M[], selected: Readonly<Record<string, string>> = {}): M[] {
  const path: M[] = [];
  let parent: string | null = null;
  for (let guard = 0; guard <= messages.length; guard++) {
    const children: M[] = childrenOf(messages, parent);
    if (children.length === 0) break;
    const key = parent ?? "";
    const chosen: M = children.find((c) => c.id === selected[key]) ?? children[children.length - 1];
    path.push(chosen);
    parent = chosen.id;
  }
  return path;
}

/** The message and its ancestors, root first. */
export function ancestry<M extends ThreadMessage>(messages: readonly M[], id: string): M[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const out: M[] = [];
  const seen = new Set<string>();
  for (let m = byId.get(id); m && !seen.has(m.id); m = m.parentId ? byId.get(m.parentId) : undefined) {
    seen.add(m.id);
    out.unshift(m);
  }
  return out;
}

/**
 * Prompt history from a path: its (question, reply) turns, in order. Exchanges whose reply
 * was not generated (the "not in the course" reply, marked by `generated(m) === false`) and
 * questions still without a reply are left out: they would only take room.
 */
export function historyFromPath<M extends ThreadMessage>(path: readonly M[], generated: (reply: M) => boolean = () => true): Turn[] {
  const turns: Turn[] = [];
  for (let i = 0; i < path.length; i++) {
    const m = path[i];
    if (m.role !== "user") continue;
    const reply = path[i + 1];
    if (!reply || reply.role !== "assistant" || !generated(reply) || reply.content.trim() === "") continue;
    turns.push({ role: "user", content: m.content }, { role: "assistant", content: reply.content });
  }
  return turns;
}

/** The questions on a path, oldest first (retrieval for a follow-up looks at the one before). */
export function questionsOnPath(path: readonly ThreadMessage[]): string[] {
  return path.filter((m) => m.role === "user").map((m) => m.content);
}
