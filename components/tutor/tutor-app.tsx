"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import type { GenerationSettings } from "@/lib/llm/trace";
import { path as visible, siblingsOf, type ChatMessage } from "@/lib/tutor/client/chat-state";
import { inspectorGrounding } from "@/lib/tutor/client/reply-grounding";
import type { Starter } from "@/lib/tutor/starters";
import { Composer } from "./composer";
import { ConversationList } from "./conversation-list";
import { EmptyChat } from "./empty-chat";
import { AssistantMessage, UserMessage } from "./message-view";
import { TutorToolbar } from "./tutor-toolbar";
import { newSeed, useTutorChat, type RegenerateOptions } from "./use-tutor-chat";

// The inspector (its charts and pipeline) is its own chunk, fetched the first time a reply is inspected.
const InspectorDialog = dynamic(() => import("./inspector-dialog").then((m) => m.InspectorDialog), {
  ssr: false,
  loading: () => (
    <div role="status" className="fixed inset-0 z-50 grid place-items-center bg-slate-900/40 text-sm text-white">
      Loading the inspector…
    </div>
  ),
});

export function TutorApp({ signedIn, starters }: { signedIn: boolean; starters: Starter[] }) {
  const tutor = useTutorChat(signedIn);
  const { chat, busy, isBusy, stop, loadProgress, modelId, opening } = tutor;
  const [inspecting, setInspecting] = useState<string | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const bottomRef = useRef<HTMLDivElement>(null);

  // Esc stops a reply (the inspector's dialog handles its own Esc).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && isBusy() && !inspecting) {
        e.preventDefault();
        stop();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [inspecting, isBusy, stop]);

  const shown = useMemo(() => visible(chat), [chat]);
  const lastReply = [...shown].reverse().find((m) => m.role === "assistant") ?? null;
  const streamingReply = shown.find((m) => m.status === "streaming") ?? null;
  const meterReply = streamingReply ?? lastReply;

  useEffect(() => {
    bottomRef.current?.scrollIntoView({ block: "nearest" });
  }, [shown.length, streamingReply?.content]);

  const regenerate = (reply: ChatMessage, options: RegenerateOptions = {}) => {
    setInspecting(null);
    tutor.regenerate(reply, options);
  };

  const newConversation = () => {
    if (tutor.newConversation()) inputRef.current?.focus();
  };

  const inspected = inspecting ? chat.messages.find((m) => m.id === inspecting) : undefined;
  const inspectedGrounding = useMemo(() => (inspected ? inspectorGrounding(inspected.content, inspected.grounding) : undefined), [inspected]);
  const fraction = loadProgress && loadProgress.total > 0 ? loadProgress.loaded / loadProgress.total : 0;
  const replyTokens = meterReply ? (meterReply.steps?.length ?? meterReply.trace?.steps.length ?? 0) : 0;
  const conversationList = (
    <ConversationList
      conversations={tutor.conversations}
      activeId={chat.conversationId}
      disabled={busy || opening}
      onOpen={tutor.openConversation}
      onNew={newConversation}
      onRename={tutor.renameConversation}
      onDelete={tutor.removeConversation}
      error={tutor.listError}
    />
  );

  return (
    <div className={`grid gap-6 ${signedIn ? "md:grid-cols-[15rem_minmax(0,1fr)]" : ""}`}>
      {signedIn && (
        <aside className="md:sticky md:top-20 md:self-start">
          <details className="group rounded-xl border border-slate-200 p-3 md:hidden dark:border-slate-800">
            <summary className="cursor-pointer text-sm font-medium">Conversations{tutor.conversations ? ` (${tutor.conversations.length})` : ""}</summary>
            <div className="mt-3">{conversationList}</div>
          </details>
          <div className="hidden md:block">{conversationList}</div>
        </aside>
      )}

      <section aria-label="Chat with the tutor" className="flex min-w-0 flex-col gap-4">
        <TutorToolbar
          backend={tutor.backend}
          onBackend={tutor.setBackend}
          modelId={modelId}
          onModel={tutor.setModelId}
          models={tutor.models}
          busy={busy}
          onNew={signedIn ? undefined : newConversation}
          chatEmpty={chat.messages.length === 0}
        />

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
            <EmptyChat modelId={modelId} starters={starters} busy={busy} onAsk={tutor.send} />
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
                  onSelectSibling={tutor.selectSibling}
                  onInspect={m.trace && m.status === "done" ? () => setInspecting(m.id) : undefined}
                  onRegenerate={m.status !== "streaming" ? () => regenerate(m, { settings: { ...(m.trace?.settings ?? {}), seed: newSeed() } }) : undefined}
                />
              ),
            )
          )}
          <div ref={bottomRef} />
        </div>

        <Composer
          input={tutor.input}
          onInput={tutor.setInput}
          onSend={tutor.send}
          onStop={stop}
          busy={busy}
          hydrated={tutor.hydrated}
          notice={tutor.notice}
          inputRef={inputRef}
          context={meterReply?.grounding?.context ?? null}
          replyTokens={replyTokens}
          live={Boolean(streamingReply)}
        />
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
