/**
 * Loading a causal language model and its tokenizer with transformers.js — the same code
 * in Node (onnxruntime-node) and in the browser worker (onnxruntime-web: WebGPU or WASM).
 *
 * What the decode loop needs beyond the two objects is collected here once, so nothing is
 * looked up per step: the end-of-sequence ids (generation_config.json), the context
 * window (config.json's max_position_embeddings, which transformers.js does not enforce),
 * the size of the logits, and a token → text table for traces.
 *
 * Isomorphic: no `node:` imports. Where the files are is the caller's business (an
 * absolute folder in Node, a hub repo id, or a name under env.localModelPath in the
 * browser); modelLocation() maps a registry entry to it.
 */
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from "@huggingface/transformers";
import type { Dtype, ModelEntry } from "./registry.ts";
import { TokenTable } from "./tokens.ts";
import type { Backend } from "./trace.ts";

/** Where inference runs: onnxruntime-node's CPU provider, or onnxruntime-web's WASM / WebGPU. */
export type Device = "cpu" | "wasm" | "webgpu";

/** transformers.js's progress events while files download/load (shape kept loose on purpose). */
export interface LoadProgress {
  status: string;
  file?: string;
  name?: string;
  progress?: number;
  loaded?: number;
  total?: number;
}

export interface LoadOptions {
  /** Registry id, recorded in traces. */
  id: string;
  /** What from_pretrained receives: absolute folder (Node), hub repo id, or name under env.localModelPath. */
  location: string;
  /** Weight format; omitted ⇒ config.json's "transformers.js_config".dtype, else the device default. */
  dtype?: Dtype;
  /** Default: "cpu" in Node, "wasm" elsewhere. */
  device?: Device;
  /** Hub revision to download (default "main"). */
  revision?: string;
  /** What traces record as the model's revision; default: the hub revision, or "local". The
   *  server should pass a hash of the weights for local folders, so traces from different
   *  trainings of course-lm are distinguishable. */
  revisionLabel?: string;
  /** Never touch the network (embedded and local models). */
  localFilesOnly?: boolean;
  onProgress?: (event: LoadProgress) => void;
  /**
   * Load the model's internals graph (onnx/model_internals.onnx: the same weights, with each
   * layer's attention and logit lens as extra outputs; ./internals.ts) instead of onnx/model.onnx.
   * Only for models whose registry entry says they have one.
   */
  internals?: boolean;
  /** onnxruntime-node's threads per pass (intra-op); default: onnxruntime's (one per core). Node only. */
  intraOpThreads?: number;
}

export interface LoadedModel {
  id: string;
  revision: string;
  /** The weight format actually loaded (as transformers.js chose it). */
  dtype: string;
  device: Device;
  backend: Backend;
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  tokens: TokenTable;
  /** Generation stops when one of these is produced. */
  eosTokenIds: readonly number[];
  /** Prompt + reply must fit in this many tokens. */
  contextLength: number;
  /** Width of the logits (config.vocab_size; may exceed the tokenizer's vocabulary). */
  vocabSize: number;
  /** Loaded from the internals graph: every forward pass also returns attention and the logit lens. */
  internals: boolean;
  /** Node: the ONNX file its session was opened from (a worker thread opens its own on it; ./server/pass-runner.ts). */
  onnxFile?: string;
  /** Release the ONNX sessions. */
  dispose(): Promise<void>;
}

/** The internals graph's file name, without onnx/ and .onnx (transformers.js's model_file_name). */
export const INTERNALS_FILE = "model_internals";

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string";
}

export function backendFor(device: Device): Backend {
  return device === "cpu" ? "node" : device;
}

/**
 * How to load a registry entry in this runtime.
 * - Node: embedded → `${repoRoot}/${entry.dir}`; local → its folder; hub → the repo id.
 * - Browser: embedded → its name under the same-origin folder; the worker must set
 *   `env.allowLocalModels = true` and `env.localModelPath = localModelPath` first
 *   (transformers.js v4 refuses full URLs as model locations). Local folders are
 *   server-only.
 */
export function modelLocation(
  entry: ModelEntry,
  runtime: { kind: "node"; repoRoot: string } | { kind: "browser" },
): { location: string; localFilesOnly: boolean; localModelPath?: string; revision?: string } {
  if (entry.kind === "hub") return { location: entry.repo, localFilesOnly: false, revision: entry.revision };
  if (runtime.kind === "node") {
    const dir = entry.kind === "embedded" ? `${runtime.repoRoot.replace(/\/+$/, "")}/${entry.dir}` : entry.dir;
    return { location: dir, localFilesOnly: true };
  }
  if (entry.kind === "local") throw new Error(`model "${entry.id}" is a folder on the server; it cannot load in the browser`);
  const cut = entry.urlPath.lastIndexOf("/");
  return { location: entry.urlPath.slice(cut + 1), localModelPath: entry.urlPath.slice(0, cut + 1), localFilesOnly: true };
}

/** Load model + tokenizer and collect what decoding needs. */
export async function loadModel(options: LoadOptions): Promise<LoadedModel> {
  const device: Device = options.device ?? (isNode() ? "cpu" : "wasm");
  const common = {
    revision: options.revision ?? "main",
    local_files_only: options.localFilesOnly ?? false,
    progress_callback: options.onProgress as ((p: unknown) => void) | undefined,
  };
  const [tokenizer, model] = await Promise.all([
    AutoTokenizer.from_pretrained(options.location, common),
    AutoModelForCausalLM.from_pretrained(options.location, {
      ...common,
      device,
      ...(options.dtype ? { dtype: options.dtype } : {}),
      ...(options.internals ? { model_file_name: INTERNALS_FILE } : {}),
      ...(options.intraOpThreads ? { session_options: { intraOpNumThreads: options.intraOpThreads } } : {}),
    }),
  ]);

  const config = model.config as unknown as Record<string, unknown>;
  const session = (model as unknown as { sessions?: Record<string, { config?: { dtype?: string } }> }).sessions
    ?.model;
  const generation = (model.generation_config ?? {}) as { eos_token_id?: number | number[] | null };
  const eos = generation.eos_token_id ?? (config.eos_token_id as number | number[] | null | undefined) ?? tokenizer.eos_token_id;
  const eosTokenIds = (Array.isArray(eos) ? eos : eos === null || eos === undefined ? [] : [eos]).filter(
    (x): x is number => Number.isInteger(x),
  );
  const maxPositions = config.max_position_embeddings;
  const tokenizerMax = tokenizer.model_max_length;
  const contextLength =
    typeof maxPositions === "number" && maxPositions > 0
      ? maxPositions
      : Number.isFinite(tokenizerMax) && tokenizerMax > 0
        ? tokenizerMax
        : 2048;
  const vocabSize = typeof config.vocab_size === "number" ? config.vocab_size : tokenizer.get_vocab().size;

  return {
    id: options.id,
    revision: options.revisionLabel ?? (options.localFilesOnly ? "local" : common.revision),
    dtype: session?.config?.dtype ?? options.dtype ?? "fp32",
    device,
    backend: backendFor(device),
    model,
    tokenizer,
    tokens: new TokenTable(tokenizer),
    eosTokenIds,
    contextLength,
    vocabSize,
    internals: options.internals ?? false,
    dispose: async () => {
      await model.dispose();
    },
  };
}
