/**
 * What the model bar says about a model before anyone loads it (issue #14): how big the download
 * is, parameters, licence, where it can run — and, once downloaded, where it is kept and how to
 * remove it. Plain strings from GET /api/models' ModelInfo, so they are tested without a browser.
 *
 * Isomorphic: no imports but types.
 */
import type { ModelInfo } from "./model-info.ts";

export type ModelFactsInput = Pick<ModelInfo, "kind" | "parameters" | "license" | "approxDownloadMB" | "defaultDtype" | "availableOffline" | "cacheDir">;

/** "≈ 790 MB (q4)": the preset's download in its default weight format. */
function downloadSize(info: ModelFactsInput): string | null {
  const mb = info.approxDownloadMB?.[info.defaultDtype];
  if (mb === undefined) return null;
  return `${mb >= 1000 ? `${(mb / 1000).toFixed(1)} GB` : `${mb} MB`} (${info.defaultDtype})`;
}

/** Where the model can run: a server folder only on the server; the rest also in the page. */
export function modelBackends(info: Pick<ModelInfo, "kind">): string {
  return info.kind === "local" ? "on the server only (a folder on the server)" : "on the server, or in your browser (WebGPU, else WebAssembly)";
}

/** The facts line and, for a downloaded hub preset, the cache line. */
export function modelFacts(info: ModelFactsInput): { facts: string; cache: string | null } {
  const parts = [
    info.kind === "hub" ? (downloadSize(info) ? `≈ ${downloadSize(info)} to download on first use` : "downloads on first use") : info.kind === "embedded" ? "ships with the app, works offline" : null,
    info.parameters ? `${info.parameters} parameters` : null,
    info.license ? (info.license === "project" ? "licence: this project's" : `licence: ${info.license}`) : null,
    `runs ${modelBackends(info)}`,
  ].filter((p): p is string => p !== null);
  const cache =
    info.kind === "hub" && info.cacheDir
      ? info.availableOffline
        ? `Downloaded on the server: kept in ${info.cacheDir} (delete that folder to remove it). In your browser it is kept in the page's Cache Storage (clear this site's data to remove it).`
        : `On the server it will be kept in ${info.cacheDir}; in your browser, in this site's Cache Storage.`
      : null;
  return { facts: parts.join(" · "), cache };
}
