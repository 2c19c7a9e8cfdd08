"use client";

import { useEffect, useState } from "react";
import type { ScoreResult } from "@/lib/llm/score";
import type { LabEngine } from "../use-lab-engine";

export interface LiveScore {
  result: ScoreResult | null;
  /** The text `result` scored. */
  scoredText: string | null;
  running: boolean;
  error: string | null;
}

/** Score `text` whenever it (or the target) changes, debounced; cancels the run it replaces. */
export function useLiveScore(engine: LabEngine, text: string, debounceMs = 500): LiveScore {
  const [state, setState] = useState<LiveScore>({ result: null, scoredText: null, running: false, error: null });
  const ready = engine.target.backend === "server" || engine.browser.phase === "ready";
  const { score } = engine;

  useEffect(() => {
    if (!ready || text.trim().length === 0) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setState((s) => ({ ...s, running: true }));
      score(text, { signal: controller.signal }).then(
        (result) => {
          if (!controller.signal.aborted) setState({ result, scoredText: text, running: false, error: null });
        },
        (error: Error) => {
          if (!controller.signal.aborted) setState((s) => ({ ...s, running: false, error: error.message }));
        },
      );
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, ready, score, debounceMs]);

  return state;
}
