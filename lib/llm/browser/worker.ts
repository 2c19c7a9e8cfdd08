/**
 * The model worker: owns one loaded model in the browser and runs the same decode loop
 * and sampler as the server (lib/llm/decode.ts), so a browser trace has exactly the shape
 * of a server trace — only `model.backend` says "webgpu" or "wasm".
 *
 * Why a worker: a forward pass blocks the thread it runs on (tens of milliseconds per
 * token on WASM, more on an emulated GPU), and loading a model compiles ~27 MB of
 * WebAssembly. On the page's main thread that would freeze scrolling and typing. Here
 * the page stays responsive, and onnxruntime-web's own thread pool hangs off this worker.
 *
 * Why transformers.js is imported only here: its browser build statically imports
 * onnxruntime-web/webgpu, which breaks Next's prerender when it reaches a client
 * component (the build fails with onnxruntime-web's WebGPU module in the server bundle). A
 * worker is never prerendered.
 *
 * Protocol: ./protocol.ts. Requests run one at a time (onnxruntime-web runs one session
 * call at a time anyway); `abort` bypasses the queue.
 */
import { env } from "@huggingface/transformers";
import { decode, generateTrace } from "../decode.ts";
import { explainDownloadFailure } from "../hub-errors.ts";
import { dtypeForBackend } from "./dtype.ts";
import { loadModel, modelLocation, type LoadedModel, type LoadProgress } from "../load.ts";
import { resolveModel } from "../registry.ts";
import { scoreText } from "../score.ts";
import { countCached, revalidateCachedModel, sha256OfFile } from "./cache.ts";
import type {
  BrowserBackend,
  FileProgress,
  GenerateRequest,
  LoadOptions,
  ReadyInfo,
  ScoreRequest,
  WorkerEvent,
  WorkerRequest,
} from "./protocol.ts";

/** The warm-up after a load (see LoadOptions.warmUp): enough steps for the engine's code paths to be compiled and optimised. */
const WARM_UP_PROMPT = "A language model";
const WARM_UP_TOKENS = 8;

declare const self: DedicatedWorkerGlobalScope;

// ─── Runtime set-up (once, before anything loads) ──────────────────────────────────────

/** Same-origin folder that holds onnxruntime-web's .mjs/.wasm (copied there by
 *  scripts/app/copy-ort-wasm.mjs at install). Without it transformers.js fetches them
 *  from a CDN, which an offline or privacy-minded deployment must not do. */
const ORT_WASM_PATH = "/ort/";

env.allowLocalModels = true; // same-origin models under env.localModelPath
env.useBrowserCache = true; // model files kept in Cache Storage ("transformers-cache")
const ort = env.backends.onnx;
if (ort.wasm) {
  // A prefix (not {mjs, wasm} URLs): onnxruntime-web then imports the .mjs from /ort/
  // itself, so its pthread workers start from a real same-origin URL, and the browser's
  // HTTP cache (revalidated by ETag) keeps the .wasm in step with the installed version.
  ort.wasm.wasmPaths = ORT_WASM_PATH;
}

// ─── Messaging ──────────────────────────────────────────────────────────────────────────

function post(event: WorkerEvent): void {
  self.postMessage(event);
}

function postError(id: number, error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  post({ type: "error", id, name: e.name, message: e.message });
}

/**
 * Let queued messages (an `abort`) run. Each decode step awaits only promises, which
 * resolve as microtasks, so without a real task boundary the worker would never see a
 * stop message until the whole reply was done. A MessageChannel message is a task and,
 * unlike setTimeout(0), is not clamped to 4 ms when repeated.
 */
const tick = new MessageChannel();
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    tick.port1.onmessage = () => resolve();
    tick.port2.postMessage(null);
  });
}

// ─── WebGPU probe ───────────────────────────────────────────────────────────────────────

/** The few WebGPU types used here (TypeScript's DOM library does not include WebGPU). */
interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string };
  features?: { has(name: string): boolean };
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

async function probeWebGpu(): Promise<{ ok: true; adapter: NonNullable<ReadyInfo["adapter"]>; shaderF16: boolean } | { ok: false; reason: string }> {
  const gpu = (self.navigator as WorkerNavigator & { gpu?: GpuLike }).gpu;
  if (!gpu) return { ok: false, reason: "this browser has no WebGPU (navigator.gpu is missing)" };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
    if (!adapter) return { ok: false, reason: "WebGPU offered no adapter (no usable GPU, or WebGPU is disabled)" };
    const info = adapter.info ?? {};
    return {
      ok: true,
      adapter: { vendor: info.vendor ?? "", architecture: info.architecture ?? "", description: info.description ?? "" },
      shaderF16: adapter.features?.has("shader-f16") ?? false,
    };
  } catch (error) {
    return { ok: false, reason: `requesting a WebGPU adapter failed: ${(error as Error).message}` };
  }
}

// ─── The backend probe ──────────────────────────────────────────────────────────────────

/**
 * Models up to this size (the files loaded) get "auto"'s measured probe: a small model decodes
 * faster on WASM than on many GPUs (a step is mostly fixed cost, and a GPU adds a round trip
 * per step), so on a machine with an adapter "auto" loads both and keeps the faster. Loading a
 * small model twice costs little; a large one keeps WebGPU without a probe.
 */
const PROBE_MAX_BYTES = 64 * 1024 * 1024;
const PROBE_TOKENS = 8;

function probing(choice: string, backend: BrowserBackend, files: ReadonlyMap<string, FileProgress>): boolean {
  const bytes = [...files.values()].reduce((sum, f) => sum + f.total, 0);
  return choice === "auto" && backend === "webgpu" && bytes <= PROBE_MAX_BYTES;
}

/** A few greedy tokens through the real decode loop, discarded (compiles the WASM code or the GPU shaders). */
async function warmUp(model: LoadedModel): Promise<void> {
  await generateTrace({ model: { ...model, eosTokenIds: [] }, prompt: WARM_UP_PROMPT, settings: { greedy: true, maxNewTokens: WARM_UP_TOKENS } });
}

/** Decode tokens/s of a warmed-up model over PROBE_TOKENS greedy tokens (the trace's own measure). */
async function decodeRate(model: LoadedModel): Promise<number> {
  const trace = await generateTrace({ model: { ...model, eosTokenIds: [] }, prompt: WARM_UP_PROMPT, settings: { greedy: true, maxNewTokens: PROBE_TOKENS } });
  return trace.timings.tokensPerSecond ?? 0;
}

// ─── Loading ────────────────────────────────────────────────────────────────────────────

/** onnxruntime-web's own error for a missing runtime file is a bare "failed to fetch
 *  dynamically imported module"; say what is wrong and how to fix it instead. */
async function explainMissingRuntime(): Promise<void> {
  const file = `${ORT_WASM_PATH}ort-wasm-simd-threaded.asyncify.mjs`;
  const response = await fetch(file, { method: "HEAD" }).catch(() => null);
  if (response?.status === 404) {
    throw new Error(`onnxruntime-web's runtime is missing: ${file} is not served. Run \`npm install\` (its postinstall copies it into public/ort/) or \`node scripts/app/copy-ort-wasm.mjs\`, then rebuild.`);
  }
}

interface Current {
  model: LoadedModel;
  info: ReadyInfo;
  /** The model's internals graph on the same backend, loaded on the first request that asks for it. */
  internals?: Promise<LoadedModel>;
}
let current: Current | null = null;

/** onnxruntime-web reads numThreads once, when its WebAssembly first starts. */
let ortStarted = false;

/**
 * onnxruntime-web's own rule: half the cores, at most 4 — the other half keeps the page,
 * this worker's message loop and the browser itself responsive. Measured on a 2-core
 * machine (npm run bench:browser), 2 threads for a small model were slower than 1.
 */
function defaultThreads(): number {
  if (!self.crossOriginIsolated) return 1; // threads need SharedArrayBuffer
  return Math.max(1, Math.min(4, Math.ceil((self.navigator.hardwareConcurrency || 1) / 2)));
}

/** Per-file byte counts from transformers.js's progress callback, forwarded (throttled).
 *  `files` also tells afterwards which files were loaded (e.g. which onnx/model*.onnx). */
function progressReporter(id: number): { onProgress: (p: LoadProgress) => void; files: ReadonlyMap<string, FileProgress> } {
  const files = new Map<string, FileProgress>();
  let lastPost = 0;
  const onProgress = (p: LoadProgress) => {
    const file = p.file;
    if (!file) return; // "ready" / "progress_total": summaries we compute ourselves
    const entry = files.get(file) ?? { file, loaded: 0, total: 0, done: false };
    files.set(file, entry);
    if (p.status === "progress") {
      entry.loaded = p.loaded ?? entry.loaded;
      entry.total = p.total ?? entry.total;
    } else if (p.status === "done") {
      entry.done = true;
      if (entry.total === 0) entry.total = entry.loaded;
      entry.loaded = entry.total;
    }
    const now = performance.now();
    // ~20 updates a second are plenty for a bar; file starts and ends always go out.
    if (p.status === "progress" && now - lastPost < 50) return;
    lastPost = now;
    const list = [...files.values()].map((f) => ({ ...f }));
    post({
      type: "progress",
      id,
      file,
      files: list,
      loaded: list.reduce((s, f) => s + f.loaded, 0),
      total: list.reduce((s, f) => s + f.total, 0),
    });
  };
  return { onProgress, files };
}

/** The revision label a trace carries: for a same-origin model, `sha256:<hex>` of the ONNX
 *  file that loaded — the server's label for the same folder (lib/llm/server/files.ts). */
async function embeddedRevision(urlPath: string, loadedFiles: Iterable<string>): Promise<string | undefined> {
  const onnx = [...loadedFiles].find((f) => f.endsWith(".onnx"));
  if (!onnx) return undefined;
  return `sha256:${await sha256OfFile(env.cacheKey, `${urlPath.replace(/\/*$/, "/")}${onnx}`)}`;
}

async function load(id: number, modelId: string, options: LoadOptions): Promise<void> {
  const started = performance.now();
  const entry = resolveModel(modelId);
  const where = modelLocation(entry, { kind: "browser" });
  if (where.localModelPath) env.localModelPath = where.localModelPath;

  // Same-origin model: drop stale cached files first (see cache.ts). Hub files are
  // immutable per revision; transformers.js caches them under their hub URL.
  // Cache Storage can be unavailable (some private modes, a full disk): then the model
  // simply downloads, so a failure here never fails the load.
  let cachedFiles = 0;
  try {
    if (entry.kind === "embedded") {
      const r = await revalidateCachedModel(env.cacheKey, entry.urlPath);
      cachedFiles = r.cached - r.dropped;
    } else {
      const hubPrefix = `${env.remoteHost.replace(/\/*$/, "/")}${where.location}/resolve/${where.revision ?? "main"}/`;
      cachedFiles = await countCached(env.cacheKey, hubPrefix);
    }
  } catch (error) {
    console.warn("glassbox: could not check the model cache:", error);
  }

  if (current) {
    await current.model.dispose();
    await current.internals?.then((m) => m.dispose(), () => undefined);
    current = null;
  }
  if (!ortStarted && ort.wasm) ort.wasm.numThreads = options.threads ?? defaultThreads();

  const choice = options.backend ?? "auto";
  let backend: BrowserBackend = "wasm";
  let adapter: ReadyInfo["adapter"];
  let fallbackReason: string | undefined;
  let shaderF16 = false;
  if (choice !== "wasm") {
    const probe = await probeWebGpu();
    if (probe.ok) {
      backend = "webgpu";
      adapter = probe.adapter;
      shaderF16 = probe.shaderF16;
    } else if (choice === "webgpu") {
      throw new Error(`WebGPU was asked for, but ${probe.reason}`);
    } else {
      fallbackReason = probe.reason;
    }
  }

  const { onProgress, files } = progressReporter(id);
  let dtypeReason: string | undefined;
  const attempt = (device: BrowserBackend) => {
    const weights = dtypeForBackend(options.dtype ?? entry.defaultDtype, device, shaderF16, entry.dtypes);
    dtypeReason = weights.reason;
    return loadModel({
      id: entry.id,
      location: where.location,
      localFilesOnly: where.localFilesOnly,
      revision: where.revision,
      dtype: weights.dtype,
      device,
      onProgress,
    });
  };
  let model: LoadedModel;
  try {
    model = await attempt(backend);
  } catch (error) {
    await explainMissingRuntime();
    // A hub download that failed: say which way (missing, unreachable, cut off) in plain words.
    // Anything else (an operator WebGPU lacks) goes on to the fallback below.
    if (entry.kind === "hub") {
      const download = await explainDownloadFailure(error, entry, { url: env.remoteHost });
      if (download.reason !== "failed") throw download;
    }
    if (backend !== "webgpu" || choice === "webgpu") throw error;
    // "auto": an adapter exists but this model does not run on it (an unsupported
    // operator, too little memory). WASM runs everything onnxruntime supports.
    fallbackReason = `WebGPU could not load the model: ${(error as Error).message}`;
    backend = "wasm";
    adapter = undefined;
    model = await attempt("wasm");
  }
  ortStarted = true;
  // Without the hash the trace keeps loadModel's label ("local"): worse, not wrong.
  const revision = entry.kind === "embedded" ? await embeddedRevision(entry.urlPath, files.keys()).catch(() => undefined) : undefined;
  if (revision) model = { ...model, revision };

  // The warm-up: a few greedy tokens through the real decode loop, discarded.
  let warmUpMs: number | undefined;
  if (options.warmUp !== false || probing(choice, backend, files)) {
    const warmStart = performance.now();
    await warmUp(model);
    warmUpMs = performance.now() - warmStart;
  }

  // "auto" on a GPU, for a small model: measure both backends and keep the faster.
  let backendProbe: ReadyInfo["backendProbe"];
  if (probing(choice, backend, files)) {
    const webgpu = await decodeRate(model);
    let wasmModel: LoadedModel | undefined;
    const webgpuDtypeReason = dtypeReason;
    try {
      wasmModel = await attempt("wasm");
      if (revision) wasmModel = { ...wasmModel, revision };
      await warmUp(wasmModel);
    } catch (error) {
      console.warn("glassbox: the WASM side of the backend probe failed to load; keeping WebGPU:", error);
    }
    if (wasmModel) {
      const wasm = await decodeRate(wasmModel);
      const picked = wasm > webgpu ? "wasm" : "webgpu";
      backendProbe = { webgpuTokensPerSecond: webgpu, wasmTokensPerSecond: wasm, picked };
      const loser = picked === "wasm" ? model : wasmModel;
      await loser.model.dispose();
      if (picked === "wasm") {
        model = wasmModel;
        backend = "wasm";
        adapter = undefined;
      } else dtypeReason = webgpuDtypeReason;
    }
  }

  const info: ReadyInfo = {
    modelId: model.id,
    backend: model.backend === "webgpu" ? "webgpu" : "wasm",
    dtype: model.dtype,
    revision: model.revision,
    contextLength: model.contextLength,
    vocabSize: model.vocabSize,
    threads: ort.wasm?.numThreads ?? 1,
    crossOriginIsolated: self.crossOriginIsolated,
    ...(adapter ? { adapter } : {}),
    ...(fallbackReason ? { fallbackReason } : {}),
    ...(dtypeReason ? { dtypeReason } : {}),
    ...(backendProbe ? { backendProbe } : {}),
    fromCache: cachedFiles > 0,
    loadMs: performance.now() - started,
    ...(warmUpMs !== undefined ? { warmUpMs } : {}),
  };
  const device: BrowserBackend = info.backend;
  current = { model, info };
  // What an internals request loads: the same folder and backend, the fp32 internals graph.
  loadInternals = () =>
    loadModel({ id: entry.id, location: where.location, localFilesOnly: where.localFilesOnly, revision: where.revision, dtype: "fp32", device, internals: true }).then((m) => ({ ...m, revision: model.revision }));
  post({ type: "ready", id, info });
}

let loadInternals: (() => Promise<LoadedModel>) | null = null;

/** The loaded model's internals graph, loading it on first use. */
function internalsModel(): Promise<LoadedModel> {
  if (!current) throw new Error("no model is loaded: call load() first");
  if (!resolveModel(current.info.modelId).internals || !loadInternals) throw new Error(`internals: ${current.info.modelId} has no internals graph (course-lm has one)`);
  const pending = loadInternals();
  current.internals ??= pending;
  // A failed load is forgotten, so a later request tries again.
  current.internals.catch(() => {
    if (current) current.internals = undefined;
  });
  return current.internals;
}

// ─── Generating ─────────────────────────────────────────────────────────────────────────

const controllers = new Map<number, AbortController>();

async function generate(id: number, request: GenerateRequest, signal: AbortSignal): Promise<void> {
  if (!current) throw new Error("no model is loaded: call load() first");
  const loaded = request.internals ? await internalsModel() : current.model;
  // Benchmarks compare equal lengths: without end tokens the reply runs to maxNewTokens.
  const model = request.ignoreEos ? { ...loaded, eosTokenIds: [] } : loaded;
  const prompt = request.messages !== undefined ? { messages: request.messages } : request.promptIds !== undefined ? { promptIds: request.promptIds } : { prompt: request.prompt };
  for await (const event of decode({
    ...prompt,
    model,
    internals: request.internals,
    settings: request.settings,
    signal,
    forcedTokens: request.forcedTokens,
    stopStrings: request.stopStrings,
    candidateCount: request.candidateCount,
  })) {
    post({ ...event, id });
    // Between steps (not inside decode's timing): give a pending "abort" its turn.
    if (event.type === "step") await yieldToEventLoop();
  }
}

async function score(id: number, request: ScoreRequest, signal: AbortSignal): Promise<void> {
  if (!current) throw new Error("no model is loaded: call load() first");
  // Yield between tokens, as generate does, so a Stop or a newer text's abort is read mid-score.
  const result = await scoreText(current.model, request.text, { candidateCount: request.candidateCount, signal, betweenSteps: yieldToEventLoop });
  post({ type: "scored", id, result });
}

// ─── Dispatch ───────────────────────────────────────────────────────────────────────────

let queue: Promise<void> = Promise.resolve();

function enqueue(id: number, job: () => Promise<void>): void {
  queue = queue.then(job).catch((error) => postError(id, error));
}

self.onmessage = (message: MessageEvent<WorkerRequest>) => {
  const request = message.data;
  switch (request.type) {
    case "load":
      enqueue(request.id, () => load(request.id, request.modelId, request.options));
      break;
    case "generate": {
      // Created now, so an abort that arrives while the job still waits in the queue
      // counts too (decode() then ends at once with finishReason "aborted").
      const controller = new AbortController();
      controllers.set(request.id, controller);
      enqueue(request.id, () =>
        generate(request.id, request.request, controller.signal).finally(() => controllers.delete(request.id)),
      );
      break;
    }
    case "score": {
      const controller = new AbortController();
      controllers.set(request.id, controller);
      enqueue(request.id, () => score(request.id, request.request, controller.signal).finally(() => controllers.delete(request.id)));
      break;
    }
    case "abort":
      controllers.get(request.id)?.abort();
      break;
  }
};
