/**
 * How the model labs and the lessons' model demos run the engine: one request shape, sent
 * either to the server (POST /api/generate, POST /api/score) or to the browser worker
 * (sharedBrowserEngine()), and always answered with the one Trace type. The trace's
 * `model.backend` ("node", "wasm", "webgpu") says which actually ran.
 *
 * The request building is pure (tested in test/unit/playground/lab-engine.test.ts); the
 * runners only move the request and collect the answer.
 *
 * Browser code: fetch and (type-only) the browser engine's protocol.
 */
import { readApiError } from "../http/client-errors.ts";
import type { BrowserEngine, GenerateRequest, ScoreRequest } from "../llm/browser/client.ts";
import type { ScoreResult } from "../llm/score.ts";
import { DEFAULT_SETTINGS, MAX_CANDIDATES, MAX_NEW_TOKENS, withStreamedSteps, type GenerationSettings, type Trace, type TraceStep } from "../llm/trace.ts";
import { ndjson } from "../tutor/client/api.ts";
import { choiceField, textField, type Field } from "./url-state.ts";

/** Where a lab runs the model: the app's server, or a worker in this page. */
export type LabBackend = "server" | "browser";
export const LAB_BACKENDS: readonly LabBackend[] = ["server", "browser"];

export interface LabTarget {
  backend: LabBackend;
  /** Registry id (GET /api/models). */
  model: string;
}

export const DEFAULT_LAB_TARGET: LabTarget = { backend: "server", model: "course-lm" };

/** URL fields shared by every model lab (`?backend=browser&model=…`), for lab specs to spread in. */
export const labTargetFields: { backend: Field<LabBackend>; model: Field<string> } = {
  backend: choiceField<LabBackend>("server", LAB_BACKENDS),
  model: {
    ...textField("course-lm", 64),
    // Registry ids only (letters, digits, . _ -, or a hub "owner/name"); anything else ⇒ default.
    parse: (raw) => (/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/.test(raw) && !raw.includes("..") ? raw : undefined),
  },
};

/** A decode request from a lab: a raw prompt continued, optionally with tokens imposed. */
export interface LabRequest {
  prompt: string;
  /** Sampling settings; missing fields take DEFAULT_SETTINGS. */
  settings?: Partial<GenerationSettings>;
  /** The reply's first tokens, imposed (a lab's chosen tokens, replayed without re-tokenizing). */
  forcedTokens?: readonly number[];
  /** Candidates recorded per step: [1, MAX_CANDIDATES]. */
  candidateCount?: number;
  /** Record each step's attention and logit lens (models with an internals graph: course-lm). */
  internals?: boolean;
}

/** Clamp a candidate count into what the API accepts. */
export function clampCandidates(n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  return Math.min(MAX_CANDIDATES, Math.max(1, Math.round(n)));
}

/**
 * Settings for "the next token after these forced ones": the forced tokens are replayed and
 * exactly one more is decided by the sampler, so the trace's last step is the live
 * distribution (and its draw is what a Step button appends).
 */
export function nextTokenSettings(settings: Partial<GenerationSettings>, forcedCount: number): Partial<GenerationSettings> {
  return { ...settings, maxNewTokens: Math.min(MAX_NEW_TOKENS, forcedCount + 1) };
}

/** The JSON body of POST /api/generate for a lab request (fields left out when default). */
export function generateBody(target: LabTarget, request: LabRequest): Record<string, unknown> {
  const candidateCount = clampCandidates(request.candidateCount);
  return {
    prompt: request.prompt,
    ...(target.model && target.model !== DEFAULT_LAB_TARGET.model ? { model: target.model } : {}),
    ...(request.settings && Object.keys(request.settings).length > 0 ? { settings: request.settings } : {}),
    ...(request.forcedTokens && request.forcedTokens.length > 0 ? { forcedTokens: [...request.forcedTokens] } : {}),
    ...(candidateCount !== undefined ? { candidateCount } : {}),
    ...(request.internals ? { internals: true } : {}),
  };
}

/** The browser worker's GenerateRequest for a lab request (plain data: it crosses postMessage). */
export function browserRequest(request: LabRequest): GenerateRequest {
  const candidateCount = clampCandidates(request.candidateCount);
  return {
    prompt: request.prompt,
    ...(request.settings ? { settings: { ...request.settings } } : {}),
    ...(request.forcedTokens && request.forcedTokens.length > 0 ? { forcedTokens: [...request.forcedTokens] } : {}),
    ...(candidateCount !== undefined ? { candidateCount } : {}),
    ...(request.internals ? { internals: true } : {}),
  };
}

/** The JSON body of POST /api/score. */
export function scoreBody(target: LabTarget, text: string, candidateCount?: number): Record<string, unknown> {
  const n = clampCandidates(candidateCount);
  return {
    text,
    ...(target.model && target.model !== DEFAULT_LAB_TARGET.model ? { model: target.model } : {}),
    ...(n !== undefined ? { candidateCount: n } : {}),
  };
}

/** A stable key for a request on a target: equal keys ⇒ the same trace (the engine is deterministic). */
export function requestKey(target: LabTarget, request: LabRequest): string {
  const settings = { ...DEFAULT_SETTINGS, ...request.settings };
  const ordered = Object.fromEntries(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify([target.backend, target.model, request.prompt, ordered, request.forcedTokens ?? [], request.candidateCount ?? null]);
}

/** A failure with the server's (or worker's) message, and the field it names. */
export class LabEngineError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "LabEngineError";
  }
}

async function failure(response: Response): Promise<LabEngineError> {
  const { message, status, fields } = await readApiError(response);
  return new LabEngineError(message, status, fields);
}

type StreamEvent = { type: "prompt" } | { type: "step"; step: TraceStep } | { type: "done"; trace: Trace } | { type: "error"; error: string };

/** Where the browser engine comes from and how it gets a model (the lab-engine hook provides it). */
export interface BrowserRunner {
  /** The engine with `target.model` loaded (loading it first if needed). */
  ready(model: string): Promise<BrowserEngine>;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Needed for backend "browser". */
  browser?: BrowserRunner;
  onStep?: (step: TraceStep) => void;
}

/** Run a lab request on the chosen backend; resolves with the done trace. */
export async function runLab(target: LabTarget, request: LabRequest, options: RunOptions = {}): Promise<Trace> {
  if (target.backend === "browser") {
    if (!options.browser) throw new LabEngineError("the browser backend is not available here");
    const engine = await options.browser.ready(target.model);
    return engine.run(browserRequest(request), { signal: options.signal, onStep: options.onStep });
  }
  const response = await fetch("/api/generate", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(generateBody(target, request)),
    signal: options.signal,
  });
  if (!response.ok || !response.body) throw await failure(response);
  for await (const event of withStreamedSteps(ndjson<StreamEvent>(response.body))) {
    if (event.type === "step") options.onStep?.(event.step);
    else if (event.type === "done") return event.trace;
    else if (event.type === "error") throw new LabEngineError(event.error);
  }
  throw new LabEngineError("the stream ended without a trace");
}

/** Score a text on the chosen backend (POST /api/score, or the worker's `score`). */
export async function scoreLab(target: LabTarget, text: string, options: Omit<RunOptions, "onStep"> & { candidateCount?: number } = {}): Promise<ScoreResult> {
  if (target.backend === "browser") {
    if (!options.browser) throw new LabEngineError("the browser backend is not available here");
    const engine = await options.browser.ready(target.model);
    const request: ScoreRequest = { text, ...(options.candidateCount ? { candidateCount: clampCandidates(options.candidateCount) } : {}) };
    return engine.score(request, options.signal);
  }
  const response = await fetch("/api/score", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(scoreBody(target, text, options.candidateCount)),
    signal: options.signal,
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as ScoreResult;
}

/** How a trace says where it ran, for the labs' footers: "course-lm · server (Node)". */
export function describeRun(trace: Pick<Trace, "model">): string {
  const where = trace.model.backend === "node" ? "server (Node)" : trace.model.backend === "wasm" ? "your browser (WebAssembly)" : "your browser (WebGPU)";
  return `${trace.model.id} (${trace.model.dtype}) · ran on ${where}`;
}
