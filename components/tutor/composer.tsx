"use client";

import type { RefObject } from "react";
import { MAX_MESSAGE_CHARS } from "@/lib/tutor/settings";
import type { ContextReport } from "@/lib/tutor/types";
import { ContextMeter } from "./context-meter";
import { Button } from "@/components/ui/button";

/** The question box at the bottom of the chat: the context meter, a notice, the textarea, Send / Stop. */
export function Composer({
  input,
  onInput,
  onSend,
  onStop,
  busy,
  hydrated,
  notice,
  inputRef,
  context,
  replyTokens,
  live,
}: {
  input: string;
  onInput: (text: string) => void;
  onSend: (text: string) => void;
  onStop: () => void;
  busy: boolean;
  /** False until this browser's conversation is loaded: the box is read-only until then. */
  hydrated: boolean;
  notice: string | null;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** For the context meter: the shown reply's context window use, its tokens so far, and whether it is streaming. */
  context: ContextReport | null;
  replyTokens: number;
  live: boolean;
}) {
  return (
    <form
      className="sticky bottom-0 z-10 -mx-4 flex flex-col gap-2 border-t border-slate-200 bg-white/95 px-4 pt-3 pb-4 backdrop-blur sm:mx-0 sm:rounded-xl sm:border sm:px-3 dark:border-slate-800 dark:bg-slate-950/95"
      onSubmit={(e) => {
        e.preventDefault();
        onSend(input);
      }}
    >
      <ContextMeter context={context} replyTokens={replyTokens} live={live} />
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
          onChange={(e) => onInput(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              onSend(input);
            }
          }}
          className="min-h-11 min-w-0 flex-1 resize-y rounded-lg border border-slate-300 bg-white px-3 py-2 text-base shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 dark:border-slate-700 dark:bg-slate-900"
        />
        {busy ? (
          <button type="button" onClick={onStop} className="h-11 shrink-0 rounded-lg bg-slate-800 px-4 text-sm font-medium text-white hover:bg-slate-700 dark:bg-slate-200 dark:text-slate-900" aria-keyshortcuts="Escape">
            Stop
          </button>
        ) : (
          <Button type="submit" disabled={!input.trim()} variant="primary" className="h-11 shrink-0">
            Send
          </Button>
        )}
      </div>
      <p className="flex justify-between text-xs text-slate-500 dark:text-slate-400">
        <span>{busy ? "Esc stops the reply." : "Replies come from a small model: check them against the linked lessons."}</span>
        {input.length > MAX_MESSAGE_CHARS * 0.8 && <span className="tabular-nums">{input.length}/{MAX_MESSAGE_CHARS}</span>}
      </p>
    </form>
  );
}
