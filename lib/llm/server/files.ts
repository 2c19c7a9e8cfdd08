/**
 * Loading a registry model in Node: where its files are, whether they are there, which
 * ONNX file a dtype means, and the revision label traces carry (sha256 of that file, so
 * traces from two trainings of course-lm never look alike).
 *
 * Deliberately NOT `server-only`: the CLI (scripts/generate.ts) runs under plain Node/tsx,
 * where the `server-only` marker throws. Everything the app itself imports from
 * lib/llm/server (models.ts, queue.ts, generation.ts, …) is marked server-only and uses
 * this module.
 *
 * The model folders are read at run time from the working directory, never bundled or
 * traced into the build output: hence the `turbopackIgnore` markers on the file accesses.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { INTERNALS_FILE, loadModel, modelLocation, type LoadedModel, type LoadProgress } from "../load.ts";
import type { Dtype, ModelEntry } from "../registry.ts";
import { serverEnv } from "../../env/server.ts";
import { explainDownloadFailure } from "../hub-errors.ts";
import { cachedModelDir, configureHub, DTYPE_SUFFIX, type HubSettings } from "./hub.ts";

/** GLASSBOX_MODEL_DIR as an absolute folder (relative values are taken from the working directory). */
export function localModelDirFromEnv(value: string | undefined = serverEnv().GLASSBOX_MODEL_DIR): string | undefined {
  const v = value?.trim();
  return v ? path.resolve(v) : undefined;
}

/** The repository root: where `npm start`, `next`, the tests and the CLI all run. */
export function repoRoot(): string {
  return process.cwd();
}

/** The model's folder on disk (embedded, local); null for hub models. */
export function modelFolder(entry: ModelEntry, root = repoRoot()): string | null {
  if (entry.kind === "hub") return null;
  return entry.kind === "embedded" ? path.join(/*turbopackIgnore: true*/ root, entry.dir) : entry.dir;
}

/** The dtype a folder asks for in config.json ("transformers.js_config".dtype), if any. */
async function folderDtype(dir: string): Promise<Dtype | undefined> {
  try {
    const config = JSON.parse(await fs.readFile(/*turbopackIgnore: true*/ path.join(dir, "config.json"), "utf8")) as Record<string, unknown>;
    const dtype = (config["transformers.js_config"] as { dtype?: unknown } | undefined)?.dtype;
    return typeof dtype === "string" && dtype in DTYPE_SUFFIX ? (dtype as Dtype) : undefined;
  } catch {
    return undefined;
  }
}

export type FolderCheck =
  | { ok: true; dir: string; dtype: Dtype; onnxFile: string }
  | { ok: false; reason: string };

/**
 * Are a folder model's files there? Checks config.json, tokenizer.json and the ONNX file of
 * the dtype that will load. `reason` is safe to show a client: it names the files relative
 * to the model (never the server's absolute paths).
 */
export async function checkModelFolder(entry: ModelEntry, options: { dtype?: Dtype; root?: string } = {}): Promise<FolderCheck> {
  const dir = modelFolder(entry, options.root);
  if (!dir) return { ok: false, reason: `${entry.id} is a hub model, not a folder` };
  const dtype = options.dtype ?? (entry.kind === "local" ? ((await folderDtype(dir)) ?? "fp32") : entry.defaultDtype);
  const onnxFile = path.join(dir, "onnx", `model${DTYPE_SUFFIX[dtype]}.onnx`);
  const where = entry.kind === "embedded" ? entry.dir : "GLASSBOX_MODEL_DIR";
  const missing: string[] = [];
  for (const file of [path.join(dir, "config.json"), path.join(dir, "tokenizer.json"), onnxFile]) {
    const stat = await fs.stat(/*turbopackIgnore: true*/ file).catch(() => null);
    if (!stat?.isFile()) missing.push(path.relative(dir, file));
  }
  if (missing.length > 0) return { ok: false, reason: `files missing in ${where}: ${missing.join(", ")}` };
  return { ok: true, dir, dtype, onnxFile };
}

/** sha256 of a file, streamed (model files are megabytes to gigabytes). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(/*turbopackIgnore: true*/ file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export interface NodeLoadOptions {
  /** Default: the entry's default (embedded, hub) or the folder's config.json (local). */
  dtype?: Dtype;
  root?: string;
  onProgress?: (event: LoadProgress) => void;
  /** Load the entry's internals graph (fp32; only for entries with `internals`). */
  internals?: boolean;
  /** Hub presets: where to download from and cache to (default: GLASSBOX_HUB_URL, GLASSBOX_MODEL_CACHE_DIR). */
  hub?: HubSettings;
  /** onnxruntime's threads per pass (default: GLASSBOX_ORT_THREADS). */
  intraOpThreads?: number;
}

/** The hub settings from the server's environment. */
export function hubSettingsFromEnv(): HubSettings {
  const config = serverEnv();
  return { url: config.GLASSBOX_HUB_URL, cacheDir: config.GLASSBOX_MODEL_CACHE_DIR ?? path.join(config.GLASSBOX_DATA_DIR, "model-cache") };
}

/**
 * A preset's cache folder as a learner may see it: under the configured folder's variable name
 * when that is an absolute path (never the server's absolute paths), e.g.
 * "data/model-cache/onnx-community/Qwen2.5-0.5B-Instruct" or "$GLASSBOX_MODEL_CACHE_DIR/…".
 */
export function displayCacheDir(repo: string): string {
  const config = serverEnv();
  const root = config.GLASSBOX_MODEL_CACHE_DIR
    ? path.isAbsolute(config.GLASSBOX_MODEL_CACHE_DIR) ? "$GLASSBOX_MODEL_CACHE_DIR" : config.GLASSBOX_MODEL_CACHE_DIR
    : path.isAbsolute(config.GLASSBOX_DATA_DIR) ? "$GLASSBOX_DATA_DIR/model-cache" : path.join(config.GLASSBOX_DATA_DIR, "model-cache");
  return `${root.replace(/\/+$/, "")}/${repo}`;
}

/**
 * Load a registry entry with onnxruntime-node. Folder models get the revision label
 * `sha256:<hex of the ONNX file>`; hub models their hub revision. Throws an Error whose
 * message is safe to show (missing files), or transformers.js's own error (a download).
 */
export async function loadRegistryModel(entry: ModelEntry, options: NodeLoadOptions = {}): Promise<LoadedModel> {
  const root = options.root ?? repoRoot();
  const intraOpThreads = options.intraOpThreads ?? serverEnv().GLASSBOX_ORT_THREADS;
  if (entry.kind === "hub") {
    const where = modelLocation(entry, { kind: "node", repoRoot: root });
    const hub = options.hub ?? hubSettingsFromEnv();
    configureHub(hub);
    try {
      const model = await loadModel({
        id: entry.id,
        location: where.location,
        revision: where.revision,
        revisionLabel: entry.revision,
        dtype: options.dtype ?? entry.defaultDtype,
        device: "cpu",
        intraOpThreads,
        localFilesOnly: false,
        onProgress: options.onProgress,
      });
      model.onnxFile = path.join(/*turbopackIgnore: true*/ cachedModelDir(hub, entry), "onnx", `model${DTYPE_SUFFIX[model.dtype as Dtype] ?? ""}.onnx`);
      return model;
    } catch (error) {
      throw await explainDownloadFailure(error, entry, hub);
    }
  }
  const check = await checkModelFolder(entry, { dtype: options.dtype, root });
  if (!check.ok) throw new Error(`${entry.id} cannot load: ${check.reason}`);
  const revision = `sha256:${await sha256File(check.onnxFile)}`;
  const model = await loadModel({
    id: entry.id,
    location: check.dir,
    localFilesOnly: true,
    revisionLabel: revision,
    // The internals graph exists in fp32 only; its weights and logits are model.onnx's (same revision).
    dtype: options.internals ? "fp32" : check.dtype,
    device: "cpu",
    intraOpThreads,
    onProgress: options.onProgress,
    internals: options.internals,
  });
  model.onnxFile = options.internals ? path.join(/*turbopackIgnore: true*/ check.dir, "onnx", `${INTERNALS_FILE}.onnx`) : check.onnxFile;
  return model;
}
