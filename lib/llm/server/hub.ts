/**
 * Where hub presets download from and where they are kept, on the server (and the CLI), and
 * what a learner is told when a download fails.
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

export const DEFAULT_HUB_URL = "https://huggingface.co/";

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

/** 503-worthy: a hub model could not be downloaded. The message is safe and useful to show. */
export class ModelDownloadError extends Error {
  constructor(
    message: string,
    readonly reason: "not-found" | "interrupted" | "unreachable" | "failed",
  ) {
    super(message);
    this.name = "ModelDownloadError";
  }
}

/**
 * A plain explanation of a failed hub load. transformers.js's own errors say little ("terminated",
 * "fetch failed", or a TypeError from reading a config it never got), so ask the hub whether the
 * repository's config.json exists to tell a missing model from a broken connection.
 */
export async function explainDownloadFailure(error: unknown, entry: Pick<HubModel, "id" | "repo" | "revision">, settings: HubSettings): Promise<ModelDownloadError> {
  const host = new URL(settings.url).host;
  const detail = error instanceof Error ? error.message : String(error);
  const configUrl = `${settings.url.replace(/\/*$/, "/")}${entry.repo}/resolve/${encodeURIComponent(entry.revision)}/config.json`;
  const status = await fetch(configUrl, { method: "HEAD" }).then(
    (r) => r.status,
    () => null,
  );
  if (status === null) return new ModelDownloadError(`${entry.id}: ${host} cannot be reached (${detail}). The model needs the network for its first download.`, "unreachable");
  if (status === 404) return new ModelDownloadError(`${entry.id}: ${entry.repo} (revision ${entry.revision}) was not found on ${host}.`, "not-found");
  if (/terminated|socket|ECONNRESET|other side closed|premature/i.test(detail)) {
    return new ModelDownloadError(`${entry.id}: the download from ${host} broke off (${detail}). Nothing partial was kept; try again to download it afresh.`, "interrupted");
  }
  return new ModelDownloadError(`${entry.id}: could not load from ${host}: ${detail}`, "failed");
}
