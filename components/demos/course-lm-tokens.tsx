"use client";

import type { ReactNode } from "react";
import type { TokenPiece } from "@/components/playground/tokenizers/api";
import { shownOutcome, useTokenize, type TokenizeState } from "@/components/playground/tokenizers/use-tokenize";

const ONLY_COURSE_LM = ["course-lm"] as const;
const NO_TOKENS: readonly TokenPiece[] = [];

/** A text's real course-lm tokens (POST /api/tokenize, as the tokenizer demo): the last answer stays while a new one loads. */
export function useCourseLmTokens(text: string): { tokens: readonly TokenPiece[]; state: TokenizeState | undefined; loaded: boolean } {
  const state = useTokenize(text, ONLY_COURSE_LM)["course-lm"];
  const outcome = shownOutcome(state);
  return { tokens: outcome?.ok ? outcome.tokens : NO_TOKENS, state, loaded: outcome?.ok === true };
}

/**
 * One line: the token count, or why there is none yet. `unit` follows the count ("course-lm
 * tokens"; a function gets the character count too); `children` follow the unit.
 */
export function TokenCountLine({
  text,
  state,
  unit = "course-lm tokens",
  children,
}: {
  text: string;
  state: TokenizeState | undefined;
  unit?: string | ((chars: number) => string);
  children?: ReactNode;
}) {
  const outcome = shownOutcome(state);
  return (
    <p className="min-h-5 text-sm tabular-nums" aria-live="polite">
      {outcome?.ok ? (
        <>
          <strong data-testid="token-count">{outcome.count}</strong> {typeof unit === "function" ? unit(outcome.chars) : unit}
          {children}
          {state?.status === "loading" && <span className="text-slate-500 dark:text-slate-400"> · updating…</span>}
        </>
      ) : state?.status === "error" ? (
        <span role="alert" className="text-red-600 dark:text-red-400">
          Could not tokenize: {state.error}
        </span>
      ) : outcome && !outcome.ok ? (
        <span role="alert" className="text-red-600 dark:text-red-400">
          {outcome.error}
        </span>
      ) : text === "" ? (
        "Type something."
      ) : (
        "Tokenizing…"
      )}
    </p>
  );
}
