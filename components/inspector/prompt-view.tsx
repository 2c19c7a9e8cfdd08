"use client";

import { Fragment, useId, useMemo, useState } from "react";
import type { Trace } from "@/lib/llm/trace";
import { formatCount } from "@/lib/inspector/format";
import { byteRuns, endsWithNewline, spokenText, tokenKindNote, visibleText } from "@/lib/inspector/token-display";
import { GlyphKey, TokenGlyphs, withByteRuns } from "./token";
import { useRovingFocus } from "./use-roving-focus";
import { Button } from "@/components/ui/button";

export interface PromptViewProps {
  prompt: Trace["prompt"];
  /** The model's context window, to show how much of it the prompt uses. */
  contextLength?: number;
  /** Prompts longer than this show their last tokens first, with a button for the rest (default 400). */
  collapseAfter?: number;
}

/**
 * The prompt exactly as the model saw it: the chat template applied, one chip per token,
 * special tokens styled apart, whitespace and stray bytes visible, each token's id on hover
 * or focus (and all ids at once with "Show ids"). The chips are one tab stop; arrow keys
 * move between them.
 */
export function PromptView({ prompt, contextLength, collapseAfter = 400 }: PromptViewProps) {
  const tokens = prompt.tokens;
  const [showIds, setShowIds] = useState(false);
  const [expanded, setExpanded] = useState(false);
  const hidden = !expanded && tokens.length > collapseAfter ? tokens.length - collapseAfter : 0;
  const shown = hidden > 0 ? tokens.slice(hidden) : tokens;
  const roving = useRovingFocus(shown.length);
  const runs = useMemo(() => byteRuns(shown), [shown]);
  const [focused, setFocused] = useState<number | null>(null);
  const statusId = useId();
  const special = tokens.filter((t) => t.special).length;
  const partial = tokens.filter((t) => t.bytes).length;
  const current = focused === null ? null : shown[focused];

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        <p className="text-slate-700 dark:text-slate-300">
          <strong className="font-semibold tabular-nums">{formatCount(tokens.length)}</strong> tokens
          {contextLength ? (
            <span className="text-slate-500 dark:text-slate-400">
              {" "}
              of a {formatCount(contextLength)}-token context window
            </span>
          ) : null}
          {special > 0 && <span className="text-slate-500 dark:text-slate-400"> · {special} special</span>}
          {partial > 0 && <span className="text-slate-500 dark:text-slate-400"> · {partial} partial UTF-8</span>}
        </p>
        <label className="ml-auto inline-flex cursor-pointer items-center gap-2 text-slate-600 dark:text-slate-400">
          <input
            type="checkbox"
            checked={showIds}
            onChange={(e) => setShowIds(e.target.checked)}
            className="size-4 rounded border-slate-300 accent-brand-600 dark:border-slate-600"
          />
          Show ids
        </label>
      </div>
      {contextLength ? (
        <div
          className="h-1.5 w-full overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800"
          role="meter"
          aria-label="Context window used by the prompt"
          aria-valuemin={0}
          aria-valuemax={contextLength}
          aria-valuenow={tokens.length}
          aria-valuetext={`${tokens.length} of ${contextLength} tokens`}
        >
          <div className="h-full rounded-full bg-brand-500" style={{ width: `${Math.min(100, (tokens.length / contextLength) * 100)}%` }} />
        </div>
      ) : null}

      {hidden > 0 && (
        <Button
          type="button"
          onClick={() => setExpanded(true)}
          variant="secondary"
          size="xs"
        >
          Show the first {formatCount(hidden)} tokens
        </Button>
      )}
      <div
        role="list"
        aria-label={`Prompt tokens (${tokens.length}); arrow keys move between them`}
        aria-describedby={statusId}
        onKeyDown={roving.onKeyDown}
        className="flex flex-wrap items-start gap-1 rounded-lg border border-slate-200 bg-slate-50/70 p-3 font-mono text-[13px] leading-5 dark:border-slate-800 dark:bg-slate-950/40"
      >
        {withByteRuns(shown.length, runs, (i) => {
          const token = shown[i];
          const note = tokenKindNote(token);
          const position = hidden + i + 1;
          return (
            <Fragment key={i}>
              <span
                role="listitem"
                {...roving.itemProps(i)}
                onFocus={() => {
                  roving.setActive(i);
                  setFocused(i);
                }}
                onBlur={() => setFocused(null)}
                onMouseEnter={() => setFocused(i)}
                onMouseLeave={() => setFocused(null)}
                aria-label={`Token ${position}: ${spokenText(token)}, id ${token.id}${note && !token.special ? `, ${note}` : ""}`}
                data-token-id={token.id}
                className={
                  "group relative inline-flex min-w-[1.5rem] flex-col items-center rounded-md border px-1.5 py-0.5 outline-none focus-visible:ring-2 focus-visible:ring-brand-500 " +
                  (token.special
                    ? "border-brand-400/60 bg-brand-50 dark:border-brand-500/50 dark:bg-brand-500/10"
                    : token.bytes
                      ? "border-amber-300 bg-amber-50 dark:border-amber-500/40 dark:bg-amber-500/10"
                      : "border-slate-200 bg-white hover:border-slate-400 dark:border-slate-700 dark:bg-slate-900 dark:hover:border-slate-500")
                }
              >
                <span aria-hidden className="whitespace-pre">
                  <TokenGlyphs token={token} />
                </span>
                {showIds && (
                  <span aria-hidden className="text-[10px] leading-3 text-slate-500 tabular-nums dark:text-slate-400">
                    {token.id}
                  </span>
                )}
                <span
                  aria-hidden
                  className="pointer-events-none absolute bottom-full left-1/2 z-20 mb-1 hidden -translate-x-1/2 whitespace-nowrap rounded bg-slate-900 px-1.5 py-0.5 font-sans text-[11px] text-white shadow group-hover:block group-focus:block dark:bg-slate-100 dark:text-slate-900"
                >
                  id {token.id}
                </span>
              </span>
              {endsWithNewline(token) && <span aria-hidden className="h-0 basis-full" />}
            </Fragment>
          );
        })}
      </div>
      <p id={statusId} className="min-h-5 text-xs text-slate-600 dark:text-slate-400">
        {current ? (
          <>
            Token {hidden + (focused ?? 0) + 1}: <span className="font-mono">{visibleText(current)}</span> · id{" "}
            <span className="font-mono tabular-nums">{current.id}</span>
            {tokenKindNote(current) ? ` · ${tokenKindNote(current)}` : ""}
            {current.bytes ? ` · bytes ${current.bytes.map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ")}` : ""}
          </>
        ) : (
          "Hover or focus a token to see its id."
        )}
      </p>
      <GlyphKey />
    </div>
  );
}
