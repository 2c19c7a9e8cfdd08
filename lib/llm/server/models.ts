import "server-only";
import fs from "node:fs/promises";
import type { LoadedModel } from "../load.ts";
import { StepBatcher } from "../batch.ts";
import type { ModelInfo } from "../model-info.ts";
import { DEFAULT_MODEL_ID, listModels, resolveModel, UnknownModelError, type ModelEntry, type RegistryOptions } from "../registry.ts";
import { serverEnv } from "../../env/server.ts";
import { serverLlmConfig } from "./config.ts";
import { ModelUnavailableError, UnknownServerModelError } from "./errors.ts";
import { checkModelFolder, displayCacheDir, hubSettingsFromEnv, loadRegistryModel } from "./files.ts";
import { ModelDownloadError } from "../hub-errors.ts";
import { hubCacheStatus } from "./hub.ts";
import { GenerationQueue } from "./queue.ts";
import { serverState } from "./state.ts";
import { instrumentForwardPasses, instrumentGroupPasses } from "./testing.ts";
import { WorkerPasses } from "./pass-runner.ts";

/**
 * The server's models: one loaded instance per registry id per process, loaded on first
 * use and shared by every request (kept on globalThis, see ./state.ts), and one FIFO queue
 * per model.
 */

export function serverRegistryOptions(): RegistryOptions {
  return { localModelDir: serverLlmConfig().modelDir };
}

/** Registry lookup with this server's GLASSBOX_MODEL_DIR; unknown or path-like ids ⇒ UnknownServerModelError (400). */
export function resolveServerModel(id: string | undefined | null): ModelEntry {
  try {
    return resolveModel(id, serverRegistryOptions());
  } catch (error) {
    if (error instanceof UnknownModelError) throw new UnknownServerModelError(`model: ${error.message}`, error.knownIds);
    throw error;
  }
}

/**
 * The shared loaded model for an entry, loading it on first use. Load errors ⇒ ModelUnavailableError (503).
 * `internals`: its internals graph instead, a second instance loaded only when a request asks for it.
 */
export function getServerModel(entry: ModelEntry, { internals = false }: { internals?: boolean } = {}): Promise<LoadedModel> {
  const { models } = serverState();
  const key = internals ? `${entry.id}#internals` : entry.id;
  let loading = models.get(key);
  if (!loading) {
    loading = load(entry, internals);
    models.set(key, loading);
    loading.then(() => {
      if (models.get(key) === loading) serverState().loaded.add(key);
    }, () => undefined);
    // A failed load is forgotten, so a later request tries again (e.g. after files are restored).
    loading.catch(() => {
      if (models.get(key) === loading) models.delete(key);
    });
  }
  return loading;
}

async function load(entry: ModelEntry, internals: boolean): Promise<LoadedModel> {
  const started = performance.now();
  let model: LoadedModel;
  try {
    model = await loadRegistryModel(entry, { internals });
  } catch (error) {
    console.error(`[llm] loading ${entry.id} failed:`, error);
    // A hub download failure already says what happened, in words meant for the learner (./hub.ts).
    if (error instanceof ModelDownloadError) throw new ModelUnavailableError(error.message);
    const reason = ((error as Error).message ?? "").replace(/^.*cannot load: /, "") || "its files could not be read";
    throw new ModelUnavailableError(`model ${entry.id} is not available on this server: ${reason}`);
  }
  instrumentForwardPasses(model);
  const worker = !internals && (await startPassWorker(model));
  console.info(
    `[llm] loaded ${model.id}${internals ? " (internals graph)" : ""} (${model.dtype}, ${model.revision.slice(0, 19)}…) in ${Math.round(performance.now() - started)} ms` +
      (worker ? "; batched passes run in a worker thread" : ""),
  );
  return model;
}

/**
 * Largest ONNX file whose model gets a pass worker. The worker pays off where a batched token's
 * JavaScript (sampling, trace, JSON: ~0.1 ms) is about what its forward pass costs — course-lm
 * (14 MB) — and overlapping the two fills the second core. A hub model's pass is many times
 * that, so a second session (a second copy of its weights in memory) would buy nothing.
 */
const PASS_WORKER_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Give a small CPU model a worker thread for its batched step passes (GLASSBOX_PASS_WORKER, on
 * by default; ./pass-runner.ts). Not for models whose logits come in fp16 (the worker passes
 * float32 logits back). A worker that cannot start is reported, and the passes stay on this thread.
 */
async function startPassWorker(model: LoadedModel): Promise<boolean> {
  if (serverEnv().GLASSBOX_PASS_WORKER === "off" || model.device !== "cpu" || !model.onnxFile || /16/.test(model.dtype)) return false;
  const size = await fs.stat(/*turbopackIgnore: true*/ model.onnxFile).then((s) => s.size, () => Infinity);
  if (size > PASS_WORKER_MAX_BYTES) return false;
  const passes = new WorkerPasses({ onnxFile: model.onnxFile, intraOpThreads: serverEnv().GLASSBOX_ORT_THREADS });
  try {
    await passes.whenReady();
  } catch (error) {
    console.error(`[llm] ${model.id}: the pass worker did not start, batched passes stay on the main thread:`, error);
    await passes.dispose();
    return false;
  }
  instrumentGroupPasses(passes);
  serverState().passWorkers.set(model, passes);
  const dispose = model.dispose;
  model.dispose = async () => {
    await passes.dispose();
    await dispose();
  };
  return true;
}

/** The step batcher of a loaded model (one per model id): its generations share forward passes. */
export function batcherFor(modelId: string, model: LoadedModel): StepBatcher {
  const { batchers } = serverState();
  let batcher = batchers.get(modelId);
  if (!batcher || batcher.model !== model) {
    batcher = new StepBatcher(model, {
      maxBatch: () => serverLlmConfig().batchSize,
      abandonAfterMs: () => serverLlmConfig().abortGraceMs,
      passes: serverState().passWorkers.get(model),
    });
    batchers.set(modelId, batcher);
  }
  return batcher;
}

/** The queue of generation turns for a model id. */
export function queueFor(modelId: string): GenerationQueue {
  const { queues } = serverState();
  let queue = queues.get(modelId);
  if (!queue) {
    queue = new GenerationQueue(modelId, () => {
      const config = serverLlmConfig();
      return { concurrency: config.concurrency, maxWaiting: config.queueLimit };
    });
    queues.set(modelId, queue);
  }
  return queue;
}

export type { ModelInfo } from "../model-info.ts";

/** The registry as this server sees it: offline availability per model. Never loads anything. */
export async function describeModels(): Promise<ModelInfo[]> {
  const entries = listModels(serverRegistryOptions());
  return Promise.all(
    entries.map(async (entry): Promise<ModelInfo> => {
      const loaded = serverState().loaded.has(entry.id);
      const info: ModelInfo = {
        id: entry.id,
        label: entry.label,
        // The local entry's description names the server's folder; say where it comes from instead.
        description:
          entry.kind === "local"
            ? "A transformers.js model folder configured on this server (GLASSBOX_MODEL_DIR)."
            : entry.description,
        kind: entry.kind,
        needsNetwork: entry.needsNetwork,
        availableOffline: loaded,
        loaded,
        defaultDtype: entry.defaultDtype,
        dtypes: entry.dtypes,
        ...(entry.parameters ? { parameters: entry.parameters } : {}),
        ...(entry.license ? { license: entry.license } : {}),
        default: entry.id === DEFAULT_MODEL_ID,
      };
      if (entry.kind === "hub") {
        info.repo = entry.repo;
        info.approxDownloadMB = entry.approxDownloadMB;
        // Downloaded before (by this server or an earlier run): it loads without the network.
        const cache = await hubCacheStatus(hubSettingsFromEnv(), entry, entry.defaultDtype);
        info.availableOffline = loaded || cache.cached;
        info.cacheDir = displayCacheDir(entry.repo);
      } else {
        if (entry.kind === "embedded") info.urlPath = entry.urlPath;
        const check = await checkModelFolder(entry);
        info.availableOffline = check.ok;
        if (!check.ok) info.unavailableReason = check.reason;
      }
      return info;
    }),
  );
}

/** Dispose every loaded model (tests' teardown; a server keeps its models for its lifetime). */
export async function unloadServerModels(): Promise<void> {
  const { models, loaded } = serverState();
  const all = [...models.values()];
  models.clear();
  loaded.clear();
  for (const loading of all) {
    const model = await loading.catch(() => null);
    await model?.dispose();
  }
}
