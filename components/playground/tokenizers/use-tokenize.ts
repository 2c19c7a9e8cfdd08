"use client";

import { useEffect, useMemo, useState } from "react";
import type { CompareTokenizerId } from "@/lib/tokenizers/catalog";
import { fetchTokenize, type TokenizeOutcome } from "./api";

export type TokenizeState =
  | { status: "loading"; previous?: TokenizeOutcome }
  | { status: "done"; outcome: TokenizeOutcome }
  | { status: "error"; error: string };

/** The last answer per tokenizer, with the request it answers. */
type Answer = { request: string } & ({ outcome: TokenizeOutcome } | { error: string });

/**
 * The text through each tokenizer, re-asked `delayMs` after the last change (typing does not
 * send a request per key). One request per tokenizer, so each card fills in as soon as its
 * own answer arrives; a newer text aborts the older requests. While a new answer is on its
 * way the previous one stays on screen (marked loading), so the view does not flicker.
 */
export function useTokenize(text: string, ids: readonly CompareTokenizerId[], options: { chatTemplate?: boolean; delayMs?: number } = {}) {
  const { chatTemplate = false, delayMs = 300 } = options;
  const [answers, setAnswers] = useState<Partial<Record<CompareTokenizerId, Answer>>>({});
  const key = ids.join(",");
  const request = `${chatTemplate ? 1 : 0}:${text}`;

  useEffect(() => {
    const wanted = key === "" ? [] : (key.split(",") as CompareTokenizerId[]);
    const controller = new AbortController();
    const timer = setTimeout(() => {
      for (const id of wanted) {
        fetchTokenize(id, text, { chatTemplate, signal: controller.signal })
          .then((outcome) => {
            if (!controller.signal.aborted) setAnswers((a) => ({ ...a, [id]: { request, outcome } }));
          })
          .catch((error: unknown) => {
            if (controller.signal.aborted) return;
            setAnswers((a) => ({ ...a, [id]: { request, error: error instanceof Error ? error.message : String(error) } }));
          });
      }
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, key, chatTemplate, delayMs, request]);

  return useMemo(() => {
    const states: Partial<Record<CompareTokenizerId, TokenizeState>> = {};
    for (const id of ids) {
      const answer = answers[id];
      if (answer?.request === request) states[id] = "outcome" in answer ? { status: "done", outcome: answer.outcome } : { status: "error", error: answer.error };
      else states[id] = { status: "loading", previous: answer && "outcome" in answer ? answer.outcome : undefined };
    }
    return states;
  }, [answers, ids, request]);
}

/** The outcome to draw for a state: the fresh one, or the previous one while reloading. */
export function shownOutcome(state: TokenizeState | undefined): TokenizeOutcome | undefined {
  if (!state) return undefined;
  if (state.status === "done") return state.outcome;
  if (state.status === "loading") return state.previous;
  return undefined;
}
