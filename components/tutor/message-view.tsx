"use client";

import Link from "next/link";
import { lazy, Suspense, useCallback, useMemo, type ReactNode } from "react";
import { GroundedMark } from "./grounded-mark";
import { FINISH_NOTES } from "./labels";
import type { ChatMessage } from "@/lib/tutor/client/chat-state";
import { formatRate, liveTokenRate } from "@/lib/inspector/format";
import { groundingSummary, replyGrounding } from "@/lib/tutor/client/reply-grounding";
import { Button } from "@/components/ui/button";

/**
 * The Markdown renderer (react-markdown and its plugins, the largest part of the tutor's code)
 * is fetched with the first reply, not with the page: until it arrives, the reply shows as
 * plain text.
 */
const Markdown = lazy(() => import("./markdown").then((m) => ({ default: m.Markdown })));

export function UserMessage({ message }: { message: ChatMessage }) {
  return (
    <div className="flex justify-end" data-testid="user-message">
      <div className="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-br-sm bg-brand-600 px-4 py-2.5 text-white dark:bg-brand-500">
        {message.content}
      </div>
    </div>
  );
}

interface ReplyProps {
  message: ChatMessage;
  /** This reply's siblings (other answers to the same question), oldest first. */
  siblings: ChatMessage[];
  onSelectSibling: (message: ChatMessage) => void;
  onInspect?: () => void;
  onRegenerate?: () => void;
  busy: boolean;
}

/** A reply: its text (Markdown, streamed), sources, sibling navigation and actions. */
export function AssistantMessage({ message, siblings, onSelectSibling, onInspect, onRegenerate, busy }: ReplyProps) {
  const index = siblings.findIndex((s) => s.id === message.id);
  const fallback = Boolean(message.grounding?.suggestions);
  const streaming = message.status === "streaming";
  const trace = message.trace;
  const finish = trace ? FINISH_NOTES[trace.finishReason] : null;
  const sources = message.grounding?.sources ?? [];
  const backend = trace?.model.backend;
  // Recomputed as the text streams in: a few thousand string operations per token.
  const grounded = useMemo(() => replyGrounding(message.content, message.grounding), [message.content, message.grounding]);
  const marks = grounded?.marks;
  const renderMark = useCallback((i: number, children: ReactNode) => (marks?.[i] ? <GroundedMark mark={marks[i]}>{children}</GroundedMark> : children), [marks]);
  return (
    <article
      className="rounded-2xl rounded-bl-sm border border-slate-200 bg-white px-4 py-3 shadow-sm dark:border-slate-800 dark:bg-slate-900/60"
      aria-busy={streaming}
      data-testid="assistant-message"
      data-status={message.status}
      data-message-id={message.id}
    >
      {fallback && (
        <p className="mb-2 inline-flex items-center gap-1.5 rounded-full bg-amber-50 px-2.5 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-900/40 dark:text-amber-300" data-testid="fallback-badge">
          Not generated: no lesson matched, so this reply comes from the lesson index, not the model
        </p>
      )}
      {message.branchFromStep !== null && (
        <p className="mb-2 text-xs font-medium text-brand-700 dark:text-brand-400" data-testid="branch-label">
          Branch: another token chosen at step {message.branchFromStep + 1}
        </p>
      )}
      <div className="relative break-words leading-7" data-testid="reply-text">
        {message.content ? (
          <Suspense fallback={<p className="whitespace-pre-wrap">{message.content}</p>}>
            <Markdown text={message.content} marks={marks} renderMark={renderMark} />
          </Suspense>
        ) : streaming ? (
          <span className="text-slate-500 dark:text-slate-400">{message.prompt ? "Writing…" : "Reading the lessons…"}</span>
        ) : message.status === "done" ? (
          <span className="italic text-slate-500 dark:text-slate-400">(The model wrote no text: it ended the reply at once.)</span>
        ) : null}
        {streaming && message.content && <span aria-hidden className="ml-0.5 inline-block h-4 w-1.5 animate-pulse bg-slate-400 align-middle" />}
      </div>
      {grounded && message.status === "done" && (
        // Only once the reply is complete: "nothing was copied" is not true of a reply still being written.
        <p
          className={"mt-2 flex items-start gap-1.5 text-xs " + (grounded.marks.length > 0 ? "text-slate-600 dark:text-slate-400" : "text-amber-800 dark:text-amber-300")}
          data-testid="grounding-summary"
          data-grounded={grounded.grounded}
          data-sentences={grounded.sentences}
        >
          {grounded.marks.length > 0 && <span aria-hidden className="mt-0.5 inline-block h-3 w-5 shrink-0 rounded-sm border-b-2 border-dotted border-teal-600 bg-teal-100/60 dark:border-teal-400 dark:bg-teal-400/15" />}
          <span>{groundingSummary(grounded)}</span>
        </p>
      )}
      {message.status === "error" && (
        <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">
          {message.error ?? "The reply failed."}
        </p>
      )}
      {(finish || message.stopped) && message.status === "done" && (finish?.show || message.stopped) && (
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">{message.stopped ? "Stopped: the reply ends where you stopped it." : finish!.text}</p>
      )}

      {sources.length > 0 && (
        <div className="mt-3 border-t border-slate-100 pt-2 dark:border-slate-800">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Sources</h3>
          <ul className="mt-1 space-y-0.5 text-sm" aria-label="Sources">
            {sources.map((s) => (
              <li key={`${s.lessonSlug}#${s.sectionSlug}`} className="flex flex-wrap items-baseline gap-x-2">
                <Link href={s.href} className="font-medium text-brand-700 hover:underline dark:text-brand-400" title={s.excerpt}>
                  {s.lessonTitle} § {s.heading}
                </Link>
                {!s.used && <span className="text-xs text-slate-500 dark:text-slate-400">(retrieved, not in the prompt)</span>}
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-2 text-sm">
        {siblings.length > 1 && (
          <nav aria-label="Other replies to this question" className="inline-flex items-center gap-1 text-slate-600 dark:text-slate-400">
            <button
              type="button"
              className="rounded px-1.5 py-0.5 hover:bg-slate-100 disabled:opacity-40 dark:hover:bg-slate-800"
              disabled={busy || index <= 0}
              onClick={() => onSelectSibling(siblings[index - 1])}
              aria-label="Previous reply"
            >
              ‹
            </button>
            <span className="tabular-nums" data-testid="sibling-position">
              {index + 1}/{siblings.length}
            </span>
            <button
              type="button"
              className="rounded px-1.5 py-0.5 hover:bg-slate-100 disabled:opacity-40 dark:hover:bg-slate-800"
              disabled={busy || index >= siblings.length - 1}
              onClick={() => onSelectSibling(siblings[index + 1])}
              aria-label="Next reply"
            >
              ›
            </button>
          </nav>
        )}
        {onInspect && trace && (
          <Button type="button" onClick={onInspect} variant="secondary" size="sm">
            Inspect
          </Button>
        )}
        {onRegenerate && !fallback && (
          <Button
            type="button"
            onClick={onRegenerate}
            disabled={busy}
            variant="secondary"
            size="sm"
          >
            Regenerate
          </Button>
        )}
        {streaming && message.steps && message.steps.length > 0 && (
          <span className="ml-auto text-xs tabular-nums text-slate-500 dark:text-slate-400" data-testid="live-rate">
            {message.steps.length} tokens · {formatRate(liveTokenRate(message.steps.length, message.firstStepAtMs ?? 0, message.lastStepAtMs ?? 0))}
          </span>
        )}
        {trace && (
          <span className="ml-auto text-xs text-slate-500 dark:text-slate-400" data-testid="reply-meta" data-backend={backend}>
            {trace.model.id} · {backend === "node" ? "server" : `in your browser (${backend === "webgpu" ? "WebGPU" : "WASM"})`} · {trace.steps.length} tokens
            {trace.timings.tokensPerSecond !== null && ` · ${formatRate(trace.timings.tokensPerSecond)}`}
          </span>
        )}
      </div>
    </article>
  );
}
