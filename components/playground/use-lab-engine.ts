"use client";

import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { sharedBrowserEngine, type BrowserEngine, type LoadProgressEvent, type ReadyInfo } from "@/lib/llm/browser/client";
import { runLab, scoreLab, type BrowserRunner, type LabRequest, type LabTarget, type RunOptions } from "@/lib/playground/lab-engine";
import type { ScoreResult } from "@/lib/llm/score";
import type { Trace } from "@/lib/llm/trace";
import { fetchModels, type ModelInfo } from "@/lib/llm/model-info";

/** What GET /api/models says about a model. */
export type LabModelInfo = ModelInfo;

/** The browser engine's loading state, shared by every lab and demo on the page (one worker). */
export interface BrowserLoadState {
  phase: "idle" | "loading" | "ready" | "error";
  modelId: string | null;
  progress: LoadProgressEvent | null;
  info: ReadyInfo | null;
  error: string | null;
}

let state: BrowserLoadState = { phase: "idle", modelId: null, progress: null, info: null, error: null };
const listeners = new Set<() => void>();
let loading: { modelId: string; promise: Promise<BrowserEngine> } | null = null;
/** Set while a load is being cancelled: its rejection is the cancel, not a failure. */
let cancelling = false;

/** The message a cancelled download leaves (the error banner offers "Try again"). */
export const CANCELLED_MESSAGE = "the download was cancelled. Files finished before it stay in the browser's cache; nothing partial was kept.";

/**
 * Stop a browser load in progress. transformers.js cannot abort a download, so the worker is
 * terminated (the next load starts a new one).
 */
export function cancelBrowserLoad(): void {
  if (state.phase !== "loading") return;
  cancelling = true;
  sharedBrowserEngine().terminate();
}

function setState(patch: Partial<BrowserLoadState>) {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

const SERVER_STATE: BrowserLoadState = { phase: "idle", modelId: null, progress: null, info: null, error: null };

/** The page's browser engine with `modelId` loaded: loads once, shares the load between callers. */
export function readyBrowserEngine(modelId: string): Promise<BrowserEngine> {
  const engine = sharedBrowserEngine();
  if (engine.info?.modelId === modelId && !loading) return Promise.resolve(engine);
  if (loading?.modelId === modelId) return loading.promise;
  const promise: Promise<BrowserEngine> = (async () => {
    // WASM: what every browser (and headless Chromium) can run; "auto" would try WebGPU,
    // which on many machines is a slow software emulation.
    setState({ phase: "loading", modelId, progress: null, error: null });
    try {
      const info = await engine.load(modelId, { backend: "wasm", onProgress: (progress) => setState({ progress }) });
      setState({ phase: "ready", info, progress: null });
      return engine;
    } catch (error) {
      setState({ phase: "error", info: null, progress: null, error: cancelling ? CANCELLED_MESSAGE : (error as Error).message });
      cancelling = false;
      throw error;
    }
  })();
  loading = { modelId, promise };
  const clear = () => {
    if (loading?.promise === promise) loading = null;
  };
  promise.then(clear, clear);
  return promise;
}

const browserRunner: BrowserRunner = { ready: readyBrowserEngine };

let modelsPromise: Promise<LabModelInfo[]> | null = null;

/** The model list, fetched once per page for every lab on it (a failure is retried next time). */
function labModels(): Promise<LabModelInfo[]> {
  modelsPromise ??= fetchModels().catch((error: unknown) => {
    modelsPromise = null;
    throw error;
  });
  return modelsPromise;
}

/**
 * A lab's connection to the engine: the model list, the browser engine's load state, and
 * run/score functions bound to the lab's target (server or browser).
 */
export function useLabEngine(requested: LabTarget) {
  // A stable object per (backend, model): callers may build the target inline.
  const target = useMemo<LabTarget>(() => ({ backend: requested.backend, model: requested.model }), [requested.backend, requested.model]);
  const browser = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
    () => SERVER_STATE,
  );
  const [models, setModels] = useState<LabModelInfo[] | null>(null);
  const [modelsError, setModelsError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    labModels().then(
      (m) => live && setModels(m),
      (e: Error) => live && setModelsError(e.message),
    );
    return () => {
      live = false;
    };
  }, []);

  // Choosing "in my browser" starts the download at once, so the progress bar shows now.
  useEffect(() => {
    if (target.backend === "browser") readyBrowserEngine(target.model).catch(() => undefined);
  }, [target.backend, target.model]);

  const run = useCallback(
    (request: LabRequest, options: Omit<RunOptions, "browser"> = {}): Promise<Trace> => runLab(target, request, { ...options, browser: browserRunner }),
    [target],
  );
  const score = useCallback(
    (text: string, options: { signal?: AbortSignal; candidateCount?: number } = {}): Promise<ScoreResult> =>
      scoreLab(target, text, { ...options, browser: browserRunner }),
    [target],
  );
  const retryBrowser = useCallback(() => {
    readyBrowserEngine(target.model).catch(() => undefined);
  }, [target.model]);

  return useMemo(
    () => ({ target, models, modelsError, browser, run, score, retryBrowser, cancelBrowserLoad }),
    [target, models, modelsError, browser, run, score, retryBrowser],
  );
}

export type LabEngine = ReturnType<typeof useLabEngine>;
