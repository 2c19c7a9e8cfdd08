/**
 * A local stand-in for the Hugging Face hub (issue #14): serves model folders under the hub's
 * URL layout, `/{owner}/{name}/resolve/{revision}/{file}`, so transformers.js downloads from it
 * exactly as from huggingface.co (point `env.remoteHost` — the server's GLASSBOX_HUB_URL — at it).
 * For tests: it counts requests per file, answers 404 for anything it does not hold, and can be
 * told to cut every download of a file after some bytes (a connection dropped midway) until healed.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface HubStandIn {
  /** e.g. http://127.0.0.1:41234/ (with the trailing slash transformers.js expects). */
  readonly url: string;
  /** GET requests per `{repo}/{file}`, 404s included. */
  readonly requests: Map<string, number>;
  /** Until heal(): every download of `{repo}/{file}` sends `bytes` bytes of it, then drops the connection. */
  breakDownloads(repoFile: string, bytes: number): void;
  heal(repoFile: string): void;
  close(): Promise<void>;
}

/** `repos`: hub repository id ("onnx-community/Qwen2.5-0.5B-Instruct") → the folder it serves. */
export async function startHubStandIn(repos: Record<string, string>): Promise<HubStandIn> {
  const requests = new Map<string, number>();
  const failures = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const match = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(decodeURIComponent(url.pathname));
    const key = match ? `${match[1]}/${match[3]}` : url.pathname;
    if (req.method === "GET") requests.set(key, (requests.get(key) ?? 0) + 1);
    const folder = match ? repos[match[1]!] : undefined;
    const file = folder && match ? path.resolve(folder, match[3]!) : undefined;
    if (!folder || !file || !file.startsWith(path.resolve(folder) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Entry not found");
      return;
    }
    const size = fs.statSync(file).size;
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(size) });
    if (req.method === "HEAD") return void res.end();
    const cut = failures.get(key);
    if (cut === undefined) return void fs.createReadStream(file).pipe(res);
    // Send the first `cut` bytes, then drop the connection: the client sees a body shorter than its Content-Length.
    fs.createReadStream(file, { start: 0, end: Math.max(0, cut - 1) })
      .on("data", (chunk) => res.write(chunk))
      .on("end", () => setTimeout(() => res.destroy(), 20));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    breakDownloads: (repoFile, bytes) => void failures.set(repoFile, bytes),
    heal: (repoFile) => void failures.delete(repoFile),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
