/**
 * Keeping Cache Storage honest for same-origin models.
 *
 * transformers.js caches every model file it fetches in Cache Storage (`env.useBrowserCache`)
 * and, once a file is there, never asks the server again. For hub models that is right
 * (a revision's files do not change). For course-lm it is wrong: the app serves it from
 * /models/course-lm/, and a new training ships new weights under the same URLs, so a
 * returning learner would keep the old model forever — with a tokenizer that may no longer
 * match it.
 *
 * So before loading a same-origin model the worker asks the server, with one cheap HEAD
 * per cached file, whether each file is still the one in the cache (ETag, else
 * Last-Modified, else size). If any file changed, every cached file of that model is
 * dropped (weights and tokenizer must come from the same training) and transformers.js
 * downloads them afresh. Offline (HEAD fails), the cache is kept: a stale model beats none.
 *
 * Browser/worker only (Cache Storage, fetch); no transformers.js import.
 */

/** The same file? Compares the validators both responses carry. */
export function sameFile(cached: Headers, current: Headers): boolean {
  for (const name of ["etag", "last-modified", "content-length"]) {
    const a = cached.get(name);
    const b = current.get(name);
    if (a !== null && b !== null) return a === b;
  }
  return false; // nothing to compare: assume changed (costs one re-download)
}

export interface RevalidateResult {
  /** Cached files of this model before the check. */
  cached: number;
  /** Files dropped because the server has a different version. */
  dropped: number;
}

/**
 * Drop the model's cached files if the server has changed any of them.
 * @param cacheName transformers.js's cache (env.cacheKey, "transformers-cache")
 * @param urlPath   the model's folder, e.g. "/models/course-lm" (same origin)
 */
export async function revalidateCachedModel(cacheName: string, urlPath: string): Promise<RevalidateResult> {
  if (typeof caches === "undefined") return { cached: 0, dropped: 0 };
  const prefix = new URL(urlPath.replace(/\/*$/, "/"), self.location.href);
  const cache = await caches.open(cacheName);
  const mine = (await cache.keys()).filter((r) => r.url.startsWith(prefix.href));
  if (mine.length === 0) return { cached: 0, dropped: 0 };

  let changed = false;
  await Promise.all(
    mine.map(async (request) => {
      const cached = await cache.match(request);
      let current: Response;
      try {
        current = await fetch(request.url, { method: "HEAD", cache: "no-store" });
      } catch {
        return; // offline: keep what we have
      }
      if (!current.ok || !cached || !sameFile(cached.headers, current.headers)) changed = true;
    }),
  );
  if (!changed) return { cached: mine.length, dropped: 0 };
  await Promise.all(mine.map((r) => cache.delete(r)));
  return { cached: mine.length, dropped: mine.length };
}

/** How many files under `prefixHref` (an absolute URL ending in "/") are in Cache Storage. */
export async function countCached(cacheName: string, prefixHref: string): Promise<number> {
  if (typeof caches === "undefined") return 0;
  const cache = await caches.open(cacheName);
  return (await cache.keys()).filter((r) => r.url.startsWith(prefixHref)).length;
}

/**
 * sha256 (hex) of a same-origin file, read back from Cache Storage where transformers.js
 * just put it (else from the network / HTTP cache). The server labels a folder model's
 * traces `sha256:<hex of its ONNX file>` (lib/llm/server/files.ts); hashing the same bytes
 * here gives browser traces the same label, so a trace says which weights produced it
 * whichever side ran it. ~14 MB hashes in well under a second.
 */
export async function sha256OfFile(cacheName: string, url: string): Promise<string> {
  const href = new URL(url, self.location.href).href;
  const cached = typeof caches === "undefined" ? undefined : await (await caches.open(cacheName)).match(href);
  const response = cached ?? (await fetch(href));
  if (!response.ok) throw new Error(`cannot read ${url} to hash it: HTTP ${response.status}`);
  const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
