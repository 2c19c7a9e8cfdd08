"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { LoadProgressEvent } from "@/lib/llm/browser/client";
import { MAX_SEED } from "@/lib/llm/prng";
import { DEFAULT_MODEL_ID } from "@/lib/llm/registry";
import type { GenerationSettingsInput } from "@/lib/llm/trace";
import {
  askTutor,
  deleteConversation,
  listConversations,
  listModels,
  loadConversation,
  renameConversation as renameOnServer,
  saveExchange,
  TutorApiError,
  type ModelOption,
} from "@/lib/tutor/client/api";
import { runBrowserTurn } from "@/lib/tutor/client/browser-turn";
import {
  addMessage,
  applyEvent,
  emptyChat,
  finishStopped,
  fromStored,
  localId,
  nowIso,
  path as visible,
  promptContext,
  renameIds,
  select,
  updateMessage,
  type ChatMessage,
  type ChatState,
} from "@/lib/tutor/client/chat-state";
import { clearLocalChat, loadLocalChat, saveLocalChat } from "@/lib/tutor/client/local-store";
import type { ConversationSummary } from "@/lib/tutor/conversations-types";
import { conversationTitle } from "@/lib/tutor/grounding";
import type { TutorEvent } from "@/lib/tutor/types";
import { useFrameState } from "./use-frame-state";

export type Backend = "server" | "browser";

/** How to answer an existing question again: regenerate (new seed), replay (its settings), branch (forced tokens). */
export interface RegenerateOptions {
  settings?: GenerationSettingsInput;
  forcedTokens?: number[];
  model?: string;
}

interface Turn extends RegenerateOptions {
  question: string;
  /** Another reply to this existing question (regenerate / replay / branch). */
  answering?: ChatMessage;
  /** A new question following this reply (null: the first question). */
  follows?: string | null;
}

export const newSeed = () => Math.floor(Math.random() * MAX_SEED);

/**
 * The tutor's chat: the conversation and the reply streaming into it, the turns (ask,
 * regenerate, stop) on the server or in this browser, and the saved conversations
 * (signed in: list, open, rename, delete) or this browser's one (anonymous).
 */
export function useTutorChat(signedIn: boolean) {
  // The chat changes at once in chatRef and renders at most once per frame (./use-frame-state.ts).
  const [chat, chatRef, commit, apply] = useFrameState<ChatState>(emptyChat);

  const [conversations, setConversations] = useState<ConversationSummary[] | null>(signedIn ? null : []);
  const [listError, setListError] = useState<string | null>(null);
  const [backend, setBackend] = useState<Backend>("server");
  const [modelId, setModelId] = useState<string>(DEFAULT_MODEL_ID);
  const [models, setModels] = useState<ModelOption[] | null>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const [input, setInput] = useState("");
  const [loadProgress, setLoadProgress] = useState<LoadProgressEvent | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  const abortRef = useRef<AbortController | null>(null);

  const refreshList = useCallback(async () => {
    if (!signedIn) return;
    try {
      setConversations(await listConversations());
      setListError(null);
    } catch (e) {
      setListError(`Could not load your conversations: ${(e as Error).message}`);
      setConversations((c) => c ?? []);
    }
  }, [signedIn]);

  // First render: the saved conversations (signed in) or this browser's conversation (anonymous), and the models.
  // (After hydration: the server rendered the empty chat, so this browser's copy comes in now.)
  useEffect(() => {
    let live = true;
    void Promise.resolve().then(() => {
      if (!live) return;
      if (signedIn) void refreshList();
      else {
        const local = loadLocalChat();
        if (local) commit(local);
      }
      setHydrated(true);
    });
    listModels()
      .then((list) => live && setModels(list))
      .catch(() => live && setModels([]));
    return () => {
      live = false;
    };
  }, [signedIn, refreshList, commit]);

  // Anonymous: keep the conversation in this browser (not while a reply streams: once it ends).
  useEffect(() => {
    if (!signedIn && hydrated && !busy) saveLocalChat(chat);
  }, [chat, busy, signedIn, hydrated]);

  const stop = useCallback(() => abortRef.current?.abort(), []);
  /** Whether a reply is running right now (not a render behind, as `busy` may be). */
  const isBusy = useCallback(() => busyRef.current, []);

  /** Run one turn on the chosen backend, streaming into the chat. */
  const runTurn = useCallback(
    async (turn: Turn) => {
      if (busyRef.current) return;
      setNotice(null);
      const before = chatRef.current;
      const question = turn.question;
      const ids = { user: turn.answering?.id ?? localId(), assistant: localId() };
      const context = promptContext(before.messages, turn.answering ? { answering: turn.answering.id } : { follows: turn.follows ?? null });
      const base = { trace: null, grounding: null, branchFromStep: null } as const;
      let next = before;
      if (!turn.answering) {
        next = addMessage(next, { ...base, id: ids.user, role: "user", content: question, parentId: turn.follows ?? null, createdAt: nowIso(), status: "done" });
      }
      next = addMessage(next, {
        ...base,
        id: ids.assistant,
        role: "assistant",
        content: "",
        parentId: ids.user,
        createdAt: nowIso(),
        status: "streaming",
        branchFromStep: turn.forcedTokens ? turn.forcedTokens.length - 1 : null,
      });
      if (!next.title) next = { ...next, title: conversationTitle(question) };
      commit(next);

      busyRef.current = true;
      setBusy(true);
      const controller = new AbortController();
      abortRef.current = controller;
      const model = turn.model ?? modelId;
      const settings = turn.settings ?? { seed: newSeed() };
      const conversationId = signedIn ? before.conversationId : null;
      let events: AsyncGenerator<TutorEvent>;
      if (backend === "server") {
        events = askTutor(
          {
            message: question,
            ...(conversationId
              ? { conversationId, parentId: turn.answering ? turn.answering.id : (turn.follows ?? undefined) }
              : { history: context.history }),
            settings,
            ...(model !== DEFAULT_MODEL_ID ? { model } : {}),
            ...(turn.forcedTokens ? { forcedTokens: turn.forcedTokens } : {}),
          },
          controller.signal,
        );
      } else {
        events = runBrowserTurn(
          { question, history: context.history, previousQuestions: context.previousQuestions, modelId: model, settings, forcedTokens: turn.forcedTokens, onLoadProgress: setLoadProgress },
          controller.signal,
        );
      }

      let refused = false;
      try {
        for await (const event of events) {
          const receivedAtMs = performance.now();
          apply((s) => applyEvent(s, ids, event, receivedAtMs));
          if (event.type === "conversation" && event.conversationId !== before.conversationId) void refreshList();
          if (event.type === "prompt") setLoadProgress(null);
        }
      } catch (error) {
        if (!controller.signal.aborted) {
          const message = error instanceof Error ? error.message : String(error);
          if (error instanceof TutorApiError && error.status < 500 && !turn.answering) {
            // Refused before anything ran (e.g. too long for the context window): take the question back.
            refused = true;
            commit(before);
            setInput(question);
            setNotice(message);
          } else if (error instanceof TutorApiError && turn.answering) {
            refused = true;
            commit(before);
            setNotice(message);
          } else {
            apply((s) => updateMessage(s, ids.assistant, (m) => ({ ...m, status: "error", error: message })));
          }
        }
      } finally {
        setLoadProgress(null);
        if (!refused) {
          apply((s) => finishStopped(s, ids.assistant));
          // The browser ran it: save the exchange on the server (signed in).
          const reply = chatRef.current.messages.find((m) => m.id === ids.assistant);
          if (backend === "browser" && signedIn && reply && reply.status === "done") {
            try {
              const saved = await saveExchange({
                ...(conversationId ? { conversationId, parentId: turn.answering ? turn.answering.id : (turn.follows ?? undefined) } : {}),
                message: question,
                reply: { content: reply.content, trace: reply.trace, grounding: reply.grounding ?? { sources: [] }, branchFromStep: reply.branchFromStep },
              });
              const map: Record<string, string> = { [ids.assistant]: saved.messageId };
              if (ids.user !== saved.userMessageId) map[ids.user] = saved.userMessageId;
              apply((s) => ({ ...renameIds(s, map), conversationId: saved.conversationId, title: s.title || saved.title }));
              if (saved.conversationId !== conversationId) void refreshList();
            } catch (e) {
              setNotice(`This reply could not be saved: ${(e as Error).message}`);
            }
          }
        }
        abortRef.current = null;
        busyRef.current = false;
        setBusy(false);
      }
    },
    [apply, backend, chatRef, commit, modelId, refreshList, signedIn],
  );

  /** Ask a new question, following the last finished reply on screen. */
  const send = (text: string) => {
    const question = text.trim();
    if (!question || busyRef.current) return;
    const follows = [...visible(chatRef.current)].reverse().find((m) => m.role === "assistant" && m.status === "done")?.id ?? null;
    setInput("");
    void runTurn({ question, follows });
  };

  /** Another reply to `reply`'s question. */
  const regenerate = (reply: ChatMessage, options: RegenerateOptions = {}) => {
    const question = chatRef.current.messages.find((m) => m.id === reply.parentId);
    if (!question) return;
    void runTurn({ question: question.content, answering: question, ...options });
  };

  const selectSibling = (sibling: ChatMessage) => apply((state) => select(state, sibling));

  /** Start over with an empty chat; false (nothing done) while a reply runs. */
  const newConversation = () => {
    if (busyRef.current) return false;
    commit(emptyChat());
    if (!signedIn) clearLocalChat();
    setNotice(null);
    return true;
  };

  const openConversation = async (id: string) => {
    if (busyRef.current) return;
    setOpening(true);
    setNotice(null);
    try {
      const { conversation, messages } = await loadConversation(id);
      commit({ conversationId: conversation.id, title: conversation.title, messages: fromStored(messages), selected: {} });
    } catch (e) {
      setNotice(`Could not open the conversation: ${(e as Error).message}`);
      void refreshList();
    } finally {
      setOpening(false);
    }
  };

  const renameConversation = async (id: string, title: string) => {
    try {
      const updated = await renameOnServer(id, title);
      setConversations((list) => list?.map((c) => (c.id === id ? updated : c)) ?? null);
      if (chatRef.current.conversationId === id) apply((s) => ({ ...s, title: updated.title }));
    } catch (e) {
      setListError(`Could not rename: ${(e as Error).message}`);
    }
  };

  const removeConversation = async (id: string) => {
    try {
      await deleteConversation(id);
      setConversations((list) => list?.filter((c) => c.id !== id) ?? null);
      if (chatRef.current.conversationId === id) commit(emptyChat());
    } catch (e) {
      setListError(`Could not delete: ${(e as Error).message}`);
    }
  };

  return {
    // The chat and the reply streaming into it
    chat, busy, isBusy, hydrated, opening, notice, loadProgress,
    // The question box and the settings bar
    input, setInput, backend, setBackend, modelId, setModelId, models,
    // Turns
    send, regenerate, stop, selectSibling,
    // Conversations
    conversations, listError, newConversation, openConversation, renameConversation, removeConversation,
  };
}
