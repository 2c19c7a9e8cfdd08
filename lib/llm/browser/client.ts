/**
 * BrowserEngine: what React components use to run a model in the browser.
 *
 *   const engine = sharedBrowserEngine();
 *   const info = await engine.load("course-lm", { onProgress: (p) => setBar(p.loaded / p.total) });
 *   for await (const ev of engine.generate({ prompt: "A token is", settings: { greedy: true } }, signal)) {
 *     if (ev.type === "step") append(ev.step.text);
 *     if (ev.type === "done") setTrace(ev.trace);
 *   }
 *
 * The model itself lives in a module Web Worker (./worker.ts); this class only posts
 * messages and turns the answers into promises and async iterators. It imports no
 * transformers.js, so it is safe in client components (and constructing it touches no
 * browser API, so it is safe during server rendering: the worker starts on load()).
 */
import { DEFAULT_MODEL_ID } from "../registry.ts";
import type { ScoreResult } from "../score.ts";
import type { Trace } from "../trace.ts";
import type {
  GenerateEvent,
  GenerateRequest,
  LoadOptions,
  LoadProgressEvent,
  ReadyInfo,
  ScoreRequest,
  WorkerEvent,
  WorkerRequest,
} from "./protocol.ts";

export type { BackendChoice, BrowserBackend, GenerateEvent, GenerateRequest, LoadOptions, LoadProgressEvent, ReadyInfo, ScoreRequest } from "./protocol.ts";

/** An error raised in the worker (its name and message travel across), or the worker died. */
export class BrowserEngineError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Whether this environment can run the engine at all (module workers). */
export function browserEngineSupported(): boolean {
  return typeof window !== "undefined" && typeof Worker !== "undefined";
}

type Listener = (event: WorkerEvent) => void;

export class BrowserEngine {
  private worker: Worker | null = null;
  /** The `threads` option the running worker was started with (onnxruntime-web fixes it once). */
  private workerThreads: number | undefined;
  private nextId = 1;
  private readonly listeners = new Map<number, Listener>();
  private readyInfo: ReadyInfo | null = null;

  /** What is loaded (null before the first successful load). */
  get info(): ReadyInfo | null {
    return this.readyInfo;
  }

  /**
   * Load a model (registry id; default course-lm). Resolves when it can generate, with
   * the backend that actually runs it. Loading again replaces the model.
   */
  async load(
    modelId: string = DEFAULT_MODEL_ID,
    options: LoadOptions & { onProgress?: (event: LoadProgressEvent) => void } = {},
  ): Promise<ReadyInfo> {
    const { onProgress, ...loadOptions } = options;
    if (this.worker && loadOptions.threads !== this.workerThreads) this.terminate();
    const worker = this.ensureWorker(loadOptions.threads);
    const id = this.nextId++;
    this.readyInfo = null;
    try {
      return await new Promise<ReadyInfo>((resolve, reject) => {
        this.listeners.set(id, (event) => {
          if (event.type === "progress") onProgress?.(event);
          else if (event.type === "ready") resolve(event.info);
          else if (event.type === "error") reject(new BrowserEngineError(event.name, event.message));
        });
        this.send(worker, { type: "load", id, modelId, options: loadOptions });
      }).then((info) => (this.readyInfo = info));
    } finally {
      this.listeners.delete(id);
    }
  }

  /**
   * Generate, streaming "prompt", one "step" per token, then "done" with the trace (also
   * the iterator's return value). Aborting `signal` — or leaving the loop early — stops
   * the worker within one step; after an abort the stream still ends with "done"
   * (finishReason "aborted") so the partial trace is not lost.
   */
  async *generate(request: GenerateRequest, signal?: AbortSignal): AsyncGenerator<GenerateEvent, Trace, void> {
    const worker = this.worker;
    if (!worker || !this.readyInfo) throw new BrowserEngineError("NotLoadedError", "no model is loaded: call load() first");
    const id = this.nextId++;
    const inbox: WorkerEvent[] = [];
    let wake: (() => void) | null = null;
    this.listeners.set(id, (event) => {
      inbox.push(event);
      wake?.();
      wake = null;
    });
    const abort = () => this.send(worker, { type: "abort", id });
    signal?.addEventListener("abort", abort, { once: true });
    let finished = false;
    try {
      this.send(worker, { type: "generate", id, request });
      if (signal?.aborted) abort();
      for (;;) {
        if (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const event = inbox.shift()!;
        switch (event.type) {
          case "error":
            finished = true;
            throw new BrowserEngineError(event.name, event.message);
          case "prompt":
            yield { type: "prompt", model: event.model, settings: event.settings, prompt: event.prompt, vocabSize: event.vocabSize, contextLength: event.contextLength };
            break;
          case "step":
            yield { type: "step", step: event.step };
            break;
          case "done":
            finished = true;
            yield { type: "done", trace: event.trace };
            return event.trace;
        }
      }
    } finally {
      signal?.removeEventListener("abort", abort);
      this.listeners.delete(id);
      if (!finished && this.worker === worker) abort(); // the caller stopped listening
    }
  }

  /** generate() to the end; returns the trace. `onStep` sees each token as it comes. */
  async run(
    request: GenerateRequest,
    options: { signal?: AbortSignal; onStep?: (step: Trace["steps"][number]) => void } = {},
  ): Promise<Trace> {
    for await (const event of this.generate(request, options.signal)) {
      if (event.type === "step") options.onStep?.(event.step);
      if (event.type === "done") return event.trace;
    }
    throw new BrowserEngineError("ProtocolError", "the worker ended the stream without a trace");
  }

  /** Score a text in the worker (lib/llm/score.ts), as POST /api/score does on the server. */
  async score(request: ScoreRequest, signal?: AbortSignal): Promise<ScoreResult> {
    const worker = this.worker;
    if (!worker || !this.readyInfo) throw new BrowserEngineError("NotLoadedError", "no model is loaded: call load() first");
    const id = this.nextId++;
    const abort = () => this.send(worker, { type: "abort", id });
    signal?.addEventListener("abort", abort, { once: true });
    try {
      return await new Promise<ScoreResult>((resolve, reject) => {
        this.listeners.set(id, (event) => {
          if (event.type === "scored") resolve(event.result);
          else if (event.type === "error") reject(new BrowserEngineError(event.name, event.message));
        });
        this.send(worker, { type: "score", id, request });
        if (signal?.aborted) abort();
      });
    } finally {
      signal?.removeEventListener("abort", abort);
      this.listeners.delete(id);
    }
  }

  /** Stop the worker and free the model (a later load() starts a new one). */
  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    this.readyInfo = null;
    this.failAll("TerminatedError", "the engine was terminated");
  }

  private ensureWorker(threads: number | undefined): Worker {
    if (this.worker) return this.worker;
    // The literal `new Worker(new URL("./worker.ts", import.meta.url), …)` is the pattern
    // Next's bundler (Turbopack) recognises: it builds the worker as its own entry point.
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "glassbox-model" });
    worker.onmessage = (message: MessageEvent<WorkerEvent>) => this.listeners.get(message.data.id)?.(message.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.worker = null;
      this.readyInfo = null;
      worker.terminate();
      this.failAll("WorkerError", `the model worker crashed: ${event.message || "unknown error"}`);
    };
    this.worker = worker;
    this.workerThreads = threads;
    return worker;
  }

  private send(worker: Worker, request: WorkerRequest): void {
    worker.postMessage(request);
  }

  private failAll(name: string, message: string): void {
    for (const [id, listener] of [...this.listeners]) listener({ type: "error", id, name, message });
  }
}

let shared: BrowserEngine | null = null;

/** One engine per page: the tutor, the playground and lesson demos share a loaded model
 *  (one copy of the weights in memory, one download). */
export function sharedBrowserEngine(): BrowserEngine {
  shared ??= new BrowserEngine();
  return shared;
}
