/**
 * Where hub presets download from and where they are kept, on the server (and the CLI). What a
 * learner is told when a download fails: ../hub-errors.ts.
 *
 * transformers.js downloads `{GLASSBOX_HUB_URL}{repo}/resolve/{revision}/{file}` (the Hugging
 * Face hub by default; the tests point it at a local stand-in, scripts/lib/hub-stand-in.ts) into
 * GLASSBOX_MODEL_CACHE_DIR, one folder per repository. Its file cache writes each file to a
 * temporary name and renames it only once complete, so a download cut off midway leaves nothing
 * behind and the next attempt starts clean; a second load reads the cache and downloads nothing.
 *
 * Not `server-only`: the CLI uses it.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { env } from "@huggingface/transformers";
import type { Dtype, HubModel } from "../registry.ts";

export interface HubSettings {
  /** Base URL of the hub, with a trailing slash. */
  url: string;
  /** Folder downloads are cached in. */
  cacheDir: string;
}

/** Point transformers.js at the hub and the cache folder (process-wide: it has one `env`). */
export function configureHub(settings: HubSettings): void {
  env.remoteHost = settings.url.endsWith("/") ? settings.url : `${settings.url}/`;
  env.remotePathTemplate = "{model}/resolve/{revision}/";
  env.cacheDir = path.resolve(/*turbopackIgnore: true*/ settings.cacheDir);
  // Inside Next's server, the global fetch is Next's, which also feeds its data cache; model files
  // have their own cache (the folder above), so ask for the plain network fetch.
  env.fetch = (input, init) => fetch(input, { ...init, cache: "no-store" });
}

/** Where a preset's files are cached (to show the learner, and to remove). */
export function cachedModelDir(settings: HubSettings, entry: Pick<HubModel, "repo">): string {
  return path.join(path.resolve(/*turbopackIgnore: true*/ settings.cacheDir), ...entry.repo.split("/"));
}

/** transformers.js's file name suffix per weight format: onnx/model{suffix}.onnx. */
export const DTYPE_SUFFIX: Record<Dtype, string> = {
  fp32: "",
  fp16: "_fp16",
  q8: "_quantized",
  int8: "_int8",
  uint8: "_uint8",
  q4: "_q4",
  q4f16: "_q4f16",
  bnb4: "_bnb4",
};

/**
 * Whether a preset is in the cache folder with the files a load of `dtype` reads (then it loads
 * offline), and that folder. A file is only ever there complete (see the module comment).
 */
export async function hubCacheStatus(settings: HubSettings, entry: Pick<HubModel, "repo">, dtype: Dtype): Promise<{ cached: boolean; dir: string }> {
  const dir = cachedModelDir(settings, entry);
  const needed = ["config.json", "tokenizer.json", "tokenizer_config.json", path.join("onnx", `model${DTYPE_SUFFIX[dtype]}.onnx`)].map((file) => path.join(/*turbopackIgnore: true*/ dir, file));
  const present = await Promise.all(needed.map((file) => fs.stat(/*turbopackIgnore: true*/ file).then((s) => s.isFile(), () => false)));
  return { cached: present.every(Boolean), dir };
}
