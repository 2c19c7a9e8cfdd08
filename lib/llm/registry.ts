/**
 * The model registry: which language models Glassbox can run, and where their files live.
 *
 * - `course-lm` (the default) is the project's own small model, shipped in the repo under
 *   public/models/course-lm: works offline, in Node and (served at /models/course-lm) in
 *   the browser.
 * - Hub presets are well-known small instruct models in transformers.js layout on the
 *   Hugging Face hub. They need the network the first time (then the cache).
 * - `local` is any transformers.js model folder on the server's disk, named by the
 *   GLASSBOX_MODEL_DIR environment variable. This module never reads the environment
 *   itself (it also runs in the browser); the server passes the value in.
 *
 * Ids come from users (API bodies, CLI flags), so resolveModel() accepts only exact known
 * ids. Anything path-like is rejected before lookup, so an id can never be used to point
 * the loader at an arbitrary file or URL.
 *
 * Isomorphic: no imports.
 */

/** Weight formats transformers.js can load (file suffix: fp32 "", q8 "_quantized", int8 "_int8", …). */
export type Dtype = "fp32" | "fp16" | "q8" | "int8" | "uint8" | "q4" | "q4f16" | "bnb4";

interface EntryBase {
  /** Short id used in the API, the CLI and traces. */
  id: string;
  label: string;
  description: string;
  /** Weight format loaded when the caller does not choose. */
  defaultDtype: Dtype;
  /** Formats known to exist for this model. */
  dtypes: readonly Dtype[];
  /** Whether loading may need the network (first download from the hub). */
  needsNetwork: boolean;
  /** Parameter count, for display ("135M"). */
  parameters?: string;
  /**
   * Ships an internals graph (onnx/model_internals.onnx, fp32): the same model with each layer's
   * attention and logit lens as outputs (lib/llm/internals.ts). Only course-lm, which the project exports.
   */
  internals?: true;
  license?: string;
}

export interface EmbeddedModel extends EntryBase {
  kind: "embedded";
  needsNetwork: false;
  /** Folder relative to the repository root (what the Node server loads). */
  dir: string;
  /** Same-origin URL path of the folder (what the browser loads). */
  urlPath: string;
}

export interface HubModel extends EntryBase {
  kind: "hub";
  needsNetwork: true;
  /** Hub repository holding the ONNX files in transformers.js layout. */
  repo: string;
  /** Where the model was published originally, when `repo` is a conversion. */
  originalRepo?: string;
  revision: string;
  /** Approximate download in MB, per weight format (ONNX file only; tokenizer etc. add ~3 MB). */
  approxDownloadMB: Partial<Record<Dtype, number>>;
}

export interface LocalModel extends EntryBase {
  kind: "local";
  needsNetwork: false;
  /** Absolute folder path on the server (from GLASSBOX_MODEL_DIR). */
  dir: string;
}

export type ModelEntry = EmbeddedModel | HubModel | LocalModel;

export const DEFAULT_MODEL_ID = "course-lm";
export const LOCAL_MODEL_ID = "local";

export const COURSE_LM: EmbeddedModel = {
  id: "course-lm",
  label: "course-lm",
  description:
    "Glassbox's own small Llama-style model and byte-level BPE tokenizer, trained on the course. Offline, fast, and small enough to inspect completely.",
  kind: "embedded",
  needsNetwork: false,
  dir: "public/models/course-lm",
  urlPath: "/models/course-lm",
  internals: true,
  defaultDtype: "fp32",
  dtypes: ["fp32", "q8"],
  license: "project",
};

/**
 * Sizes are those of the ONNX files listed on the hub (rounded); they are shown to users
 * before a download, not relied on.
 */
export const HUB_PRESETS: readonly HubModel[] = [
  {
    id: "SmolLM2-135M-Instruct",
    label: "SmolLM2 135M Instruct",
    description: "Hugging Face's smallest SmolLM2 chat model (Llama architecture, 49k-token vocabulary).",
    kind: "hub",
    needsNetwork: true,
    repo: "HuggingFaceTB/SmolLM2-135M-Instruct",
    revision: "main",
    defaultDtype: "q4",
    dtypes: ["fp32", "fp16", "q4", "q4f16"],
    approxDownloadMB: { fp32: 654, fp16: 327, q4: 200, q4f16: 134 },
    parameters: "135M",
    license: "Apache-2.0",
  },
  {
    id: "SmolLM2-360M-Instruct",
    label: "SmolLM2 360M Instruct",
    description: "The middle SmolLM2 chat model: noticeably more fluent, ~3× the compute of 135M.",
    kind: "hub",
    needsNetwork: true,
    repo: "HuggingFaceTB/SmolLM2-360M-Instruct",
    revision: "main",
    defaultDtype: "q4",
    dtypes: ["fp32", "fp16", "q4", "q4f16"],
    approxDownloadMB: { fp32: 1640, fp16: 819, q4: 417, q4f16: 299 },
    parameters: "360M",
    license: "Apache-2.0",
  },
  {
    id: "Qwen2.5-0.5B-Instruct",
    label: "Qwen2.5 0.5B Instruct",
    description: "Alibaba's smallest Qwen2.5 chat model: multilingual, 151k-token vocabulary, 32k context.",
    kind: "hub",
    needsNetwork: true,
    repo: "onnx-community/Qwen2.5-0.5B-Instruct",
    originalRepo: "Qwen/Qwen2.5-0.5B-Instruct",
    revision: "main",
    defaultDtype: "q4",
    dtypes: ["fp32", "fp16", "q8", "q4", "q4f16"],
    approxDownloadMB: { fp32: 1980, fp16: 990, q8: 500, q4: 790, q4f16: 480 },
    parameters: "494M",
    license: "Apache-2.0",
  },
];

/** Whether a model (by registry id) ships an internals graph: the inspector's "Inside the model" needs one. */
export function hasInternals(modelId: string): boolean {
  return [COURSE_LM, ...HUB_PRESETS].some((m) => m.id === modelId && m.internals === true);
}

export interface RegistryOptions {
  /** The server's GLASSBOX_MODEL_DIR, if set: adds the `local` entry. */
  localModelDir?: string;
}

/** Every model available under these options, default first. */
export function listModels(options: RegistryOptions = {}): ModelEntry[] {
  const all: ModelEntry[] = [COURSE_LM, ...HUB_PRESETS];
  const local = localEntry(options.localModelDir);
  if (local) all.push(local);
  return all;
}

function localEntry(dir: string | undefined): LocalModel | null {
  if (!dir || !dir.trim()) return null;
  const name = dir.replace(/[\\/]+$/, "").split(/[\\/]/).pop() || dir;
  return {
    id: LOCAL_MODEL_ID,
    label: `Local: ${name}`,
    description: `A transformers.js model folder on the server (${dir}), from GLASSBOX_MODEL_DIR.`,
    kind: "local",
    needsNetwork: false,
    dir,
    // Whatever the folder's config.json asks for ("transformers.js_config".dtype) wins at
    // load time when the caller passes no dtype; fp32 is transformers.js's Node default.
    defaultDtype: "fp32",
    dtypes: [],
  };
}

export class UnknownModelError extends Error {
  readonly id: string;
  readonly knownIds: string[];
  constructor(id: string, knownIds: string[], reason = `unknown model id ${JSON.stringify(id)}`) {
    super(`${reason}; known models: ${knownIds.join(", ")}`);
    this.name = "UnknownModelError";
    this.id = id;
    this.knownIds = knownIds;
  }
}

/** A plain id: letters, digits, ".", "_", "-"; no path separators, no "..", at most 64 chars. */
const PLAIN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Look up a model by id (default: course-lm). Hub presets may also be named by their hub
 * repository ("HuggingFaceTB/SmolLM2-135M-Instruct") — the only ids with a "/" accepted.
 * Throws UnknownModelError, listing the known ids, for anything else.
 */
export function resolveModel(id: string | undefined | null, options: RegistryOptions = {}): ModelEntry {
  const models = listModels(options);
  const knownIds = models.map((m) => m.id);
  if (id === undefined || id === null || id === "") return COURSE_LM;
  if (typeof id !== "string") throw new UnknownModelError(String(id), knownIds, "model id must be a string");
  for (const m of models) {
    if (m.id === id) return m;
    if (m.kind === "hub" && (m.repo === id || m.originalRepo === id)) return m;
  }
  if (!PLAIN_ID.test(id) || id.includes("..")) {
    throw new UnknownModelError(
      id,
      knownIds,
      `invalid model id ${JSON.stringify(id)} (ids name registry entries; they are never paths or URLs)`,
    );
  }
  if (id === LOCAL_MODEL_ID) {
    throw new UnknownModelError(id, knownIds, `model "local" needs GLASSBOX_MODEL_DIR to be set on the server`);
  }
  throw new UnknownModelError(id, knownIds);
}
