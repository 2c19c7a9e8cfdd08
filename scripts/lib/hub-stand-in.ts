/**
 * A local stand-in for the Hugging Face hub (issue #14): serves model folders under the hub's
 * URL layout, `/{owner}/{name}/resolve/{revision}/{file}`, so transformers.js downloads from it
 * exactly as from huggingface.co (point `env.remoteHost` — the server's GLASSBOX_HUB_URL — at it).
 * It answers byte ranges as the hub does. For tests: it counts downloads per file, answers 404 for anything it does not hold, and can be
 * told to cut every download of a file after some bytes (a connection dropped midway) until healed.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface HubStandIn {
  /** e.g. http://127.0.0.1:41234/ (with the trailing slash transformers.js expects). */
  readonly url: string;
  /** Whole-file GET requests (downloads) per `{repo}/{file}`, 404s included; range requests are not counted. */
  readonly requests: Map<string, number>;
  /** Until heal(): every download of `{repo}/{file}` sends `bytes` bytes of it, then drops the connection. */
  breakDownloads(repoFile: string, bytes: number): void;
  /** Until heal(): downloads of `{repo}/{file}` trickle, `bytesPerTick` every `tickMs` (a slow network). */
  slowDownloads(repoFile: string, bytesPerTick: number, tickMs: number): void;
  heal(repoFile: string): void;
  /** Until republish(): the repository is gone (every file 404). */
  unpublish(repo: string): void;
  republish(repo: string): void;
  close(): Promise<void>;
}

/** `repos`: hub repository id ("onnx-community/Qwen2.5-0.5B-Instruct") → the folder it serves. `port` 0: any free one. */
export async function startHubStandIn(repos: Record<string, string>, port = 0): Promise<HubStandIn> {
  const requests = new Map<string, number>();
  const failures = new Map<string, number>();
  const slow = new Map<string, { bytesPerTick: number; tickMs: number }>();
  const gone = new Set<string>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const match = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(decodeURIComponent(url.pathname));
    const key = match ? `${match[1]}/${match[3]}` : url.pathname;
    // Whole-file GETs only: a range request is a size probe, not a download.
    if (req.method === "GET" && !req.headers.range) requests.set(key, (requests.get(key) ?? 0) + 1);
    const folder = match && !gone.has(match[1]!) ? repos[match[1]!] : undefined;
    const file = folder && match ? path.resolve(folder, match[3]!) : undefined;
    if (!folder || !file || !file.startsWith(path.resolve(folder) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Entry not found");
      return;
    }
    const size = fs.statSync(file).size;
    // A byte range, as the hub serves it (transformers.js asks for "bytes=0-0" to learn a file's size).
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(size - 1, range[2] ? Number(range[2]) : size - 1);
      res.writeHead(206, { "content-type": "application/octet-stream", "content-length": String(end - start + 1), "content-range": `bytes ${start}-${end}/${size}` });
      if (req.method === "HEAD") return void res.end();
      return void fs.createReadStream(file, { start, end }).pipe(res);
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(size) });
    if (req.method === "HEAD") return void res.end();
    const trickle = slow.get(key);
    if (trickle) {
      const data = fs.readFileSync(file);
      let sent = 0;
      const tick = () => {
        if (res.destroyed) return;
        res.write(data.subarray(sent, sent + trickle.bytesPerTick));
        sent += trickle.bytesPerTick;
        if (sent >= data.length) res.end();
        else setTimeout(tick, trickle.tickMs);
      };
      return tick();
    }
    const cut = failures.get(key);
    if (cut === undefined) return void fs.createReadStream(file).pipe(res);
    // Send the first `cut` bytes, then drop the connection: the client sees a body shorter than its Content-Length.
    fs.createReadStream(file, { start: 0, end: Math.max(0, cut - 1) })
      .on("data", (chunk) => res.write(chunk))
      .on("end", () => setTimeout(() => res.destroy(), 20));
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    requests,
    breakDownloads: (repoFile, bytes) => void failures.set(repoFile, bytes),
    slowDownloads: (repoFile, bytesPerTick, tickMs) => void slow.set(repoFile, { bytesPerTick, tickMs }),
    unpublish: (repo) => void gone.add(repo),
    republish: (repo) => void gone.delete(repo),
    heal: (repoFile) => {
      failures.delete(repoFile);
      slow.delete(repoFile);
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
