"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { requestKey, type LabRequest } from "@/lib/playground/lab-engine";
import type { Trace } from "@/lib/llm/trace";
import type { LabEngine } from "./use-lab-engine";

export interface LiveRun {
  /** The latest finished trace (kept while a newer request runs, so the chart does not blank). */
  trace: Trace | null;
  /** requestKey() of the request `trace` answers. */
  traceKey: string | null;
  /** requestKey() of the current request. */
  key: string;
  running: boolean;
  error: string | null;
  /** Run the current request now (skipping the debounce); resolves with its trace. */
  runNow: () => Promise<Trace>;
}

/**
 * Re-run a request whenever it changes (debounced: a slider dragged across ten values makes
 * one request, not ten), cancelling the one in flight. `request` null: nothing to run.
 */
export function useLiveRun(engine: LabEngine, request: LabRequest | null, debounceMs = 250): LiveRun {
  const key = request ? requestKey(engine.target, request) : "";
  const [result, setResult] = useState<{ trace: Trace | null; key: string | null; error: string | null }>({ trace: null, key: null, error: null });
  const [running, setRunning] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const latest = useRef<{ request: LabRequest | null; key: string }>({ request, key });
  latest.current = { request, key };
  const browserReady = engine.target.backend === "server" || engine.browser.phase === "ready";

  const start = useCallback(async (): Promise<Trace> => {
    const { request: req, key: k } = latest.current;
    if (!req) throw new Error("nothing to run");
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setRunning(true);
    try {
      const trace = await engine.run(req, { signal: c.signal });
      if (controller.current === c) setResult({ trace, key: k, error: null });
      return trace;
    } catch (error) {
      if (controller.current === c && !c.signal.aborted) setResult((r) => ({ ...r, error: (error as Error).message }));
      throw error;
    } finally {
      if (controller.current === c) {
        controller.current = null;
        setRunning(false);
      }
    }
  }, [engine]);

  useEffect(() => {
    if (!request || !browserReady) return;
    const timer = setTimeout(() => start().catch(() => undefined), debounceMs);
    return () => clearTimeout(timer);
    // `key` captures the request's content; `request` itself is a new object every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, browserReady, start, debounceMs]);

  useEffect(() => () => controller.current?.abort(), []);

  return { trace: result.trace, traceKey: result.key, key, running, error: result.error, runNow: start };
}
