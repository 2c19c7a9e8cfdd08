"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { browserEngineSupported, type LoadProgressEvent } from "@/lib/llm/browser/client";
import { MAX_SEED } from "@/lib/llm/prng";
import type { GenerationSettings, GenerationSettingsInput } from "@/lib/llm/trace";
import {
  askTutor,
  deleteConversation,
  listConversations,
  listModels,
  loadConversation,
  renameConversation,
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
  siblingsOf,
  updateMessage,
  type ChatMessage,
  type ChatState,
} from "@/lib/tutor/client/chat-state";
import { clearLocalChat, loadLocalChat, saveLocalChat } from "@/lib/tutor/client/local-store";
import { inspectorGrounding } from "@/lib/tutor/client/reply-grounding";
import type { ConversationSummary } from "@/lib/tutor/conversations-types";
import { conversationTitle } from "@/lib/tutor/grounding";
import type { Starter } from "@/lib/tutor/starters";
import type { TutorEvent } from "@/lib/tutor/types";
import { ContextMeter } from "./context-meter";
import { ConversationList } from "./conversation-list";
import { InspectorDialog } from "./inspector-dialog";
import { AssistantMessage, UserMessage } from "./message-view";

type Backend = "server" | "browser";

/** Longest question (app/api/tutor/schema.ts). */
const MAX_MESSAGE_CHARS = 800;

interface Turn {
  question: string;
  /** Another reply to this existing question (regenerate / replay / branch). */
  answering?: ChatMessage;
  /** A new question following this reply (null: the first question). */
  follows?: string | null;
  settings?: GenerationSettingsInput;
  forcedTokens?: number[];
  model?: string;
}

const newSeed = () => Math.floor(Math.random() * MAX_SEED);
const noSubscription = () => () => {};

export function TutorApp({ signedIn, starters }: { signedIn: boolean; starters: Starter[] }) {
  // The chat lives in a ref (every change applies there at once, in order) and is rendered
  // at most once per frame: a reply's tokens can arrive faster than the page can re-render,
  // and a rendering backlog would show the reply behind the model (and make Stop late).
  const [chat, setChat] = useState<ChatState>(emptyChat);
  const chatRef = useRef<ChatState>(chat);
  const frame = useRef<number | null>(null);
  const commit = useCallback((next: ChatState) => {
    chatRef.current = next;
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setChat(chatRef.current);
    });
  }, []);
  const apply = useCallback((fn: (s: ChatState) => ChatState) => commit(fn(chatRef.current)), [commit]);
  useEffect(() => () => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
  }, []);

  const [conversations, setConversations] = useState<ConversationSummary[] | null>(signedIn ? null : []);
  const [listError, setListError] = useState<string | null>(null);
  const [backend, setBackend] = useState<Backend>("server");
  const browserOk = useSyncExternalStore(noSubscription, browserEngineSupported, () => false);
  const [modelId, setModelId] = useState("course-lm");
  const [models, setModels] = useState<ModelOption[] | null>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const [input, setInput] = useState("");
  const [inspecting, setInspecting] = useState<string | null>(null);
  const [loadProgress, setLoadProgress] = useState<LoadProgressEvent | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const bottomRef = useRef<HTMLDivElement>(null);

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

  // Esc stops a reply (the inspector's dialog handles its own Esc).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && busyRef.current && !inspecting) {
        e.preventDefault();
        stop();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [inspecting, stop]);

  const shown = useMemo(() => visible(chat), [chat]);
  const lastReply = [...shown].reverse().find((m) => m.role === "assistant") ?? null;
  const streamingReply = shown.find((m) => m.status === "streaming") ?? null;
  const meterReply = streamingReply ?? lastReply;

  useEffect(() => {
    bottomRef.current?.scrollIntoView({ block: "nearest" });
  }, [shown.length, streamingReply?.content]);

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
            ...(model !== "course-lm" ? { model } : {}),
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
          apply((s) => applyEvent(s, ids, event));
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
          apply((s) => finishStopped(s, ids.assistant, s.messages.find((m) => m.id === ids.assistant)?.grounding?.context?.limit ?? 512));
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
    [apply, backend, commit, modelId, refreshList, signedIn],
  );

  const send = (text: string) => {
    const question = text.trim();
    if (!question || busyRef.current) return;
    const follows = [...visible(chatRef.current)].reverse().find((m) => m.role === "assistant" && m.status === "done")?.id ?? null;
    setInput("");
    void runTurn({ question, follows });
  };

  const regenerate = (reply: ChatMessage, options: { settings?: GenerationSettingsInput; forcedTokens?: number[]; model?: string } = {}) => {
    const question = chatRef.current.messages.find((m) => m.id === reply.parentId);
    if (!question) return;
    setInspecting(null);
    void runTurn({ question: question.content, answering: question, ...options });
  };

  const newConversation = () => {
    if (busyRef.current) return;
    commit(emptyChat());
    if (!signedIn) clearLocalChat();
    setNotice(null);
    inputRef.current?.focus();
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

  const rename = async (id: string, title: string) => {
    try {
      const updated = await renameConversation(id, title);
      setConversations((list) => list?.map((c) => (c.id === id ? updated : c)) ?? null);
      if (chatRef.current.conversationId === id) apply((s) => ({ ...s, title: updated.title }));
    } catch (e) {
      setListError(`Could not rename: ${(e as Error).message}`);
    }
  };

  const remove = async (id: string) => {
    try {
      await deleteConversation(id);
      setConversations((list) => list?.filter((c) => c.id !== id) ?? null);
      if (chatRef.current.conversationId === id) commit(emptyChat());
    } catch (e) {
      setListError(`Could not delete: ${(e as Error).message}`);
    }
  };

  const inspected = inspecting ? chat.messages.find((m) => m.id === inspecting) : undefined;
  const inspectedGrounding = useMemo(() => (inspected ? inspectorGrounding(inspected.content, inspected.grounding) : undefined), [inspected]);
  const available = (models ?? []).filter((m) => (backend === "browser" ? m.kind !== "local" : true));
  const fraction = loadProgress && loadProgress.total > 0 ? loadProgress.loaded / loadProgress.total : 0;
  const replyTokens = meterReply ? (meterReply.steps?.length ?? meterReply.trace?.steps.length ?? 0) : 0;

  return (
    <div className={`grid gap-6 ${signedIn ? "md:grid-cols-[15rem_minmax(0,1fr)]" : ""}`}>
      {signedIn && (
        <aside className="md:sticky md:top-20 md:self-start">
          <details className="group rounded-xl border border-slate-200 p-3 md:hidden dark:border-slate-800">
            <summary className="cursor-pointer text-sm font-medium">Conversations{conversations ? ` (${conversations.length})` : ""}</summary>
            <div className="mt-3">
              <ConversationList conversations={conversations} activeId={chat.conversationId} disabled={busy || opening} onOpen={openConversation} onNew={newConversation} onRename={rename} onDelete={remove} error={listError} />
            </div>
          </details>
          <div className="hidden md:block">
            <ConversationList conversations={conversations} activeId={chat.conversationId} disabled={busy || opening} onOpen={openConversation} onNew={newConversation} onRename={rename} onDelete={remove} error={listError} />
          </div>
        </aside>
      )}

      <section aria-label="Chat with the tutor" className="flex min-w-0 flex-col gap-4">
        <div className="flex flex-wrap items-end gap-x-4 gap-y-3 rounded-xl border border-slate-200 px-3 py-2.5 text-sm dark:border-slate-800">
          <fieldset className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <legend className="sr-only">Where the model runs</legend>
            <span className="font-medium">Run on</span>
            <label className="inline-flex cursor-pointer items-center gap-1.5">
              <input type="radio" name="backend" value="server" checked={backend === "server"} onChange={() => setBackend("server")} disabled={busy} className="accent-brand-600" />
              the server
            </label>
            <label className="inline-flex cursor-pointer items-center gap-1.5" title={browserOk ? undefined : "This browser cannot run the model (no module workers)"}>
              <input type="radio" name="backend" value="browser" checked={backend === "browser"} onChange={() => setBackend("browser")} disabled={busy || !browserOk} className="accent-brand-600" />
              in my browser
            </label>
          </fieldset>
          <label className="flex items-center gap-2">
            <span className="font-medium">Model</span>
            <select
              value={modelId}
              onChange={(e) => setModelId(e.target.value)}
              disabled={busy}
              className="max-w-[14rem] rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
            >
              {(available.length ? available : [{ id: "course-lm", label: "course-lm", availableOffline: true, needsNetwork: false } as ModelOption]).map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                  {m.availableOffline ? "" : m.needsNetwork ? " (download needed; unavailable offline)" : " (unavailable)"}
                </option>
              ))}
            </select>
          </label>
          {!signedIn && (
            <button type="button" onClick={newConversation} disabled={busy || chat.messages.length === 0} className="ml-auto rounded-lg border border-slate-300 px-3 py-1 font-medium hover:bg-slate-50 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800">
              New conversation
            </button>
          )}
        </div>

        {!signedIn && (
          <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-600 dark:bg-slate-900 dark:text-slate-400" data-testid="anonymous-hint">
            This conversation is kept in this browser only.{" "}
            <Link href="/signin?callbackUrl=/tutor" className="font-medium text-brand-700 underline dark:text-brand-400">
              Sign in
            </Link>{" "}
            to save your conversations and come back to them.
          </p>
        )}

        {loadProgress && (
          <div role="status" aria-live="polite">
            <progress className="h-2 w-full accent-brand-600" aria-label="Loading the model in your browser" value={fraction} max={1} />
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">Loading {modelId} into this page: {Math.round(fraction * 100)}%</p>
          </div>
        )}

        <div aria-live="polite" aria-relevant="additions" className="flex flex-col gap-4" data-testid="chat">
          {opening ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">Opening the conversation…</p>
          ) : shown.length === 0 ? (
            <div className="rounded-xl border border-dashed border-slate-300 p-6 dark:border-slate-700">
              <h2 className="font-semibold">Ask about anything in the course</h2>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                The tutor looks up the lesson passages that match your question and gives them to the model, {modelId === "course-lm" ? "course-lm, a small model trained on this course" : modelId}. Each reply links its sources and opens in the inspector. If nothing in the lessons matches, it says so instead of guessing.
              </p>
              {starters.length > 0 && (
                <ul className="mt-4 grid gap-2 sm:grid-cols-2" aria-label="Starter questions">
                  {starters.map((s) => (
                    <li key={s.question} className="flex flex-col rounded-lg border border-slate-200 p-3 dark:border-slate-800">
                      <button type="button" onClick={() => send(s.question)} disabled={busy} className="text-left font-medium text-brand-700 hover:underline disabled:opacity-50 dark:text-brand-400">
                        {s.question}
                      </button>
                      <span className="mt-1 text-xs text-slate-500 dark:text-slate-400">
                        From the lesson <Link href={s.href} className="underline">{s.lessonTitle}</Link>
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ) : (
            shown.map((m) =>
              m.role === "user" ? (
                <UserMessage key={m.id} message={m} />
              ) : (
                <AssistantMessage
                  key={m.id}
                  message={m}
                  siblings={siblingsOf(chat, m)}
                  busy={busy}
                  onSelectSibling={(s) => apply((state) => select(state, s))}
                  onInspect={m.trace && m.status === "done" ? () => setInspecting(m.id) : undefined}
                  onRegenerate={m.status !== "streaming" ? () => regenerate(m, { settings: { ...(m.trace?.settings ?? {}), seed: newSeed() } }) : undefined}
                />
              ),
            )
          )}
          <div ref={bottomRef} />
        </div>

        <form
          className="sticky bottom-0 z-10 -mx-4 flex flex-col gap-2 border-t border-slate-200 bg-white/95 px-4 pt-3 pb-4 backdrop-blur sm:mx-0 sm:rounded-xl sm:border sm:px-3 dark:border-slate-800 dark:bg-slate-950/95"
          onSubmit={(e) => {
            e.preventDefault();
            send(input);
          }}
        >
          <ContextMeter context={meterReply?.grounding?.context ?? null} replyTokens={replyTokens} live={Boolean(streamingReply)} />
          {notice && (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              {notice}
            </p>
          )}
          <div className="flex items-end gap-2">
            <label htmlFor="tutor-question" className="sr-only">
              Your question
            </label>
            <textarea
              id="tutor-question"
              ref={inputRef}
              rows={2}
              value={input}
              // Typing before this browser's conversation is loaded would be lost as React takes the box over.
              readOnly={!hydrated}
              maxLength={MAX_MESSAGE_CHARS}
              placeholder="Ask the tutor… (Enter sends, Shift+Enter for a new line)"
              onChange={(e) => setInput(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  send(input);
                }
              }}
              className="min-h-11 min-w-0 flex-1 resize-y rounded-lg border border-slate-300 bg-white px-3 py-2 text-base shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 dark:border-slate-700 dark:bg-slate-900"
            />
            {busy ? (
              <button type="button" onClick={stop} className="h-11 shrink-0 rounded-lg bg-slate-800 px-4 text-sm font-medium text-white hover:bg-slate-700 dark:bg-slate-200 dark:text-slate-900" aria-keyshortcuts="Escape">
                Stop
              </button>
            ) : (
              <button type="submit" disabled={!input.trim()} className="h-11 shrink-0 rounded-lg bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50 dark:bg-brand-500">
                Send
              </button>
            )}
          </div>
          <p className="flex justify-between text-xs text-slate-500 dark:text-slate-400">
            <span>{busy ? "Esc stops the reply." : "Replies come from a small model: check them against the linked lessons."}</span>
            {input.length > MAX_MESSAGE_CHARS * 0.8 && <span className="tabular-nums">{input.length}/{MAX_MESSAGE_CHARS}</span>}
          </p>
        </form>
      </section>

      {inspected?.trace && (
        <InspectorDialog
          trace={inspected.trace}
          branchPoint={inspected.branchFromStep ?? undefined}
          grounding={inspectedGrounding}
          busy={busy}
          onClose={() => setInspecting(null)}
          onReplay={(settings: GenerationSettings) => regenerate(inspected, { settings, model: inspected.trace!.model.id })}
          onBranch={(stepIndex, tokenId) =>
            regenerate(inspected, {
              settings: inspected.trace!.settings,
              model: inspected.trace!.model.id,
              forcedTokens: [...inspected.trace!.steps.slice(0, stepIndex).map((s) => s.tokenId), tokenId],
            })
          }
        />
      )}
    </div>
  );
}
