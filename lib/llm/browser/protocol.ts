/**
 * The messages between the page (BrowserEngine, client.ts) and the model worker
 * (worker.ts). One file so both sides are checked against the same types.
 *
 * Every request carries an `id`; every event answers one request and carries its id, so
 * a load and a generation (or two generations, one being aborted) never mix up.
 *
 *   page ──load──────▶ worker   ◀── progress* ── ready | error
 *   page ──generate──▶ worker   ◀── prompt ── step* ── done | error
 *   page ──score─────▶ worker   ◀── scored | error       (lib/llm/score.ts: a text's per-token surprise)
 *   page ──abort─────▶ worker   (the generation ends within one step: done, finishReason "aborted")
 *
 * Type-only imports: this module is safe in UI code (it pulls in no transformers.js).
 */
import type { ChatMessage } from "../decode.ts";
import type { Dtype } from "../registry.ts";
import type { ScoreResult } from "../score.ts";
import type { DecodeEvent, GenerationSettingsInput, Trace, TraceStart, TraceStep } from "../trace.ts";

/** What the page asks for. "auto": WebGPU when the browser offers an adapter, else WASM. */
export type BackendChoice = "auto" | "webgpu" | "wasm";

/** What actually runs (the trace's `model.backend`). */
export type BrowserBackend = "webgpu" | "wasm";

export interface LoadOptions {
  backend?: BackendChoice;
  /** Weight format; default: the model's own default (course-lm: fp32). */
  dtype?: Dtype;
  /**
   * WASM threads. Default: half the cores, at most 4, when the page is cross-origin
   * isolated (threads need SharedArrayBuffer), else 1. onnxruntime-web fixes the count
   * when it first starts, so BrowserEngine starts a fresh worker when this changes.
   */
  threads?: number;
  /**
   * Run a short greedy generation right after loading (default true), so the learner's first
   * reply does not pay for compiling and optimising the WebAssembly code (or building WebGPU
   * shaders): `npm run bench:browser` measures the first reply with and without it.
   */
  warmUp?: boolean;
}

/** One generation: a raw prompt or chat messages, plus sampler settings. */
export type GenerateRequest = (
  | { prompt: string; messages?: undefined; promptIds?: undefined }
  | { messages: ChatMessage[]; prompt?: undefined; promptIds?: undefined }
  /** A trace's prompt tokens as they were (replaying a reply exactly). */
  | { promptIds: number[]; prompt?: undefined; messages?: undefined }
) & {
  settings?: GenerationSettingsInput;
  /** Tokens to impose instead of sampling (replay / branch): an array (the reply's first
   *  tokens) or { stepIndex: tokenId }. Plain data: it crosses postMessage. */
  forcedTokens?: number[] | Record<number, number>;
  stopStrings?: string[];
  /** Candidates recorded per step (default 20). */
  candidateCount?: number;
  /** Keep going past end-of-sequence tokens until maxNewTokens (benchmarks: equal lengths). */
  ignoreEos?: boolean;
  /**
   * Record each step's attention and logit lens (lib/llm/internals.ts): the worker loads the
   * model's internals graph beside it on first use (models with one only, i.e. course-lm).
   */
  internals?: boolean;
};

/** Score a text (its tokens forced through the decode loop): the same as POST /api/score. */
export interface ScoreRequest {
  text: string;
  /** Candidates recorded per token (default 20). */
  candidateCount?: number;
}

export type WorkerRequest =
  | { type: "load"; id: number; modelId: string; options: LoadOptions }
  | { type: "generate"; id: number; request: GenerateRequest }
  | { type: "score"; id: number; request: ScoreRequest }
  | { type: "abort"; id: number };

/** Bytes of one model file so far. `total` is 0 until the server has said (Content-Length). */
export interface FileProgress {
  file: string;
  loaded: number;
  total: number;
  done: boolean;
}

export interface LoadProgressEvent {
  type: "progress";
  id: number;
  /** The file this event is about. */
  file: string;
  /** Every file seen so far, in the order they started. */
  files: FileProgress[];
  /** Sums over `files` (a progress bar: loaded / total). */
  loaded: number;
  total: number;
}

/** What loaded, and on what. */
export interface ReadyInfo {
  modelId: string;
  backend: BrowserBackend;
  /** The weight format transformers.js actually loaded. */
  dtype: string;
  revision: string;
  contextLength: number;
  vocabSize: number;
  /** WASM threads onnxruntime-web runs with (1 without cross-origin isolation). */
  threads: number;
  /** Whether the worker can use SharedArrayBuffer (COOP/COEP headers on the page and the worker). */
  crossOriginIsolated: boolean;
  /** The WebGPU adapter, when backend is "webgpu" (e.g. { vendor: "google", architecture: "swiftshader" }). */
  adapter?: { vendor: string; architecture: string; description: string };
  /** Why "auto" ended on WASM (no adapter, or WebGPU failed to load the model). */
  fallbackReason?: string;
  /** Why another weight format than the one asked for loaded (./dtype.ts: no shader-f16 on this GPU). */
  dtypeReason?: string;
  /**
   * "auto" with a WebGPU adapter and a small model: both backends' decode speed, measured after
   * their warm-up over a few greedy tokens, and the one kept (the faster).
   */
  backendProbe?: { webgpuTokensPerSecond: number; wasmTokensPerSecond: number; picked: BrowserBackend };
  /** Model files found in Cache Storage (no download). */
  fromCache: boolean;
  /** Time to load, including the warm-up. */
  loadMs: number;
  /** The warm-up generation's time (part of loadMs); absent when it was skipped. */
  warmUpMs?: number;
}

export type WorkerEvent =
  | LoadProgressEvent
  | { type: "ready"; id: number; info: ReadyInfo }
  | ({ type: "prompt"; id: number } & TraceStart)
  | { type: "step"; id: number; step: TraceStep }
  | { type: "done"; id: number; trace: Trace }
  | { type: "scored"; id: number; result: ScoreResult }
  | { type: "error"; id: number; name: string; message: string };

/** The events a generation streams to its caller (ids stripped by the client): the decode loop's own. */
export type GenerateEvent = DecodeEvent;
