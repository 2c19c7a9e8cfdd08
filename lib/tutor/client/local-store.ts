/**
 * An anonymous learner's conversation, kept in this browser only (localStorage). Traces are
 * large (a reply's trace is tens of KB); when the browser's quota is reached, the oldest
 * replies lose their traces first (their text stays), so the newest ones can still be
 * inspected after a reload.
 */
import type { ChatMessage, ChatState } from "./chat-state.ts";

export const LOCAL_KEY = "glassbox.tutor.conversation.v1";

interface Stored {
  version: 1;
  chat: ChatState;
}

function storable(chat: ChatState): ChatState {
  return {
    ...chat,
    conversationId: null,
    // A reply still streaming is saved as far as it got.
    messages: chat.messages.map((m): ChatMessage => (m.status === "streaming" ? { ...m, status: "done", stopped: true, steps: undefined, prompt: undefined } : { ...m, steps: undefined, prompt: undefined })),
  };
}

export function saveLocalChat(chat: ChatState): void {
  if (typeof localStorage === "undefined") return;
  let value = storable(chat);
  for (let attempt = 0; attempt <= value.messages.length; attempt++) {
    try {
      localStorage.setItem(LOCAL_KEY, JSON.stringify({ version: 1, chat: value } satisfies Stored));
      return;
    } catch {
      // Over quota: drop the oldest remaining trace and try again.
      const index = value.messages.findIndex((m) => m.trace);
      if (index < 0) return;
      value = { ...value, messages: value.messages.map((m, i) => (i === index ? { ...m, trace: null } : m)) };
    }
  }
}

export function loadLocalChat(): ChatState | null {
  if (typeof localStorage === "undefined") return null;
  try {
    const raw = localStorage.getItem(LOCAL_KEY);
    if (!raw) return null;
    const stored = JSON.parse(raw) as Stored;
    if (stored?.version !== 1 || !Array.isArray(stored.chat?.messages)) return null;
    return stored.chat;
  } catch {
    return null;
  }
}

export function clearLocalChat(): void {
  if (typeof localStorage !== "undefined") localStorage.removeItem(LOCAL_KEY);
}
