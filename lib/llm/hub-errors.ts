/**
 * What a learner is told when a hub preset cannot be downloaded — on the server
 * (lib/llm/server/hub.ts) and in the browser's worker alike. transformers.js's own errors say
 * little ("terminated", "Failed to fetch", or a TypeError from reading a config it never got), so
 * the hub is asked whether the repository's config.json exists, to tell a missing model from a
 * broken connection.
 *
 * Isomorphic: fetch and URL only.
 */
import type { HubModel } from "./registry.ts";

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

/** A plain explanation of a failed hub load (see the module comment). */
export async function explainDownloadFailure(error: unknown, entry: Pick<HubModel, "id" | "repo" | "revision">, settings: { url: string }): Promise<ModelDownloadError> {
  const host = new URL(settings.url).host;
  const detail = error instanceof Error ? error.message : String(error);
  const configUrl = `${settings.url.replace(/\/*$/, "/")}${entry.repo}/resolve/${encodeURIComponent(entry.revision)}/config.json`;
  const status = await fetch(configUrl, { method: "HEAD" }).then(
    (r) => r.status,
    () => null,
  );
  if (status === null) return new ModelDownloadError(`${entry.id}: ${host} cannot be reached (${detail}). The model needs the network for its first download.`, "unreachable");
  if (status === 404) return new ModelDownloadError(`${entry.id}: ${entry.repo} (revision ${entry.revision}) was not found on ${host}.`, "not-found");
  // Node's fetch says "terminated" (or names the socket); a browser, "Failed to fetch" / "network error".
  if (/terminated|socket|ECONNRESET|other side closed|premature|failed to fetch|network ?error|ERR_/i.test(detail)) {
    return new ModelDownloadError(`${entry.id}: the download from ${host} broke off (${detail}). Nothing partial was kept; try again to download it afresh.`, "interrupted");
  }
  return new ModelDownloadError(`${entry.id}: could not load from ${host}: ${detail}`, "failed");
}
