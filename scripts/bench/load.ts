/**
 * Load test: concurrent tutor streams against the running app on loopback (issue #8).
 *
 *   npm run bench:load [-- --streams 32 --tokens 24 --url http://localhost:3000]
 *
 * Without --url it starts the app itself (scripts/app/start.ts: builds if needed, migrates a
 * fresh PGlite database in a temporary folder) on --port (default 3290) and stops it after.
 *
 * Two phases, side by side in one run (this machine is shared and noisy: compare the ratio,
 * not absolute times):
 *   1. one stream alone (the baseline: time to first token and tokens/s of a lone learner);
 *   2. --streams streams started at once.
 * Each stream is POST /api/tutor with a different course question, greedy, --tokens new
 * tokens. A stream is "completed" when it ends with "done", "rejected" when the server
 * refused it by design (503 + Retry-After: the queue is full), "failed" otherwise (any other
 * status, an "error" line, a broken stream, or the --timeout-s bound). Failed must be 0.
 * Prints completed / rejected / failed, time to first token p50/p95 (from the request to the
 * first "step" line), and tokens/s overall (all tokens received ÷ the phase's wall time).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    port: { type: "string", default: "3290" },
    streams: { type: "string", default: "32" },
    tokens: { type: "string", default: "24" },
    "timeout-s": { type: "string", default: "240" },
  },
});
const STREAMS = Math.min(256, Math.max(1, Number(values.streams)));
const TOKENS = Math.min(256, Math.max(1, Number(values.tokens)));
const TIMEOUT_MS = Number(values["timeout-s"]) * 1000;

const QUESTIONS = [
  "What is a token?",
  "How does byte-pair encoding build its vocabulary?",
  "What does temperature do to the next-token distribution?",
  "Why is perplexity the exponential of the cross-entropy?",
  "What is the KV cache and why does it save time?",
  "How does top-p sampling choose which tokens to keep?",
  "What is an embedding vector?",
  "Why do models have a context window?",
];

interface Outcome {
  kind: "completed" | "rejected" | "failed";
  ttftMs: number | null;
  tokens: number;
  detail?: string;
}

async function oneStream(base: string, i: number): Promise<Outcome> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(`${base}/api/tutor`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: QUESTIONS[i % QUESTIONS.length], settings: { greedy: true, maxNewTokens: TOKENS } }),
      signal: controller.signal,
    });
    if (response.status === 503 && response.headers.get("retry-after")) {
      await response.body?.cancel();
      return { kind: "rejected", ttftMs: null, tokens: 0 };
    }
    if (response.status !== 200 || !response.body) {
      return { kind: "failed", ttftMs: null, tokens: 0, detail: `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}` };
    }
    let ttftMs: number | null = null;
    let tokens = 0;
    let buffer = "";
    let last = "";
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const event = JSON.parse(line) as { type: string; error?: string };
        last = event.type;
        if (event.type === "step") {
          tokens++;
          ttftMs ??= performance.now() - started;
        }
        if (event.type === "error") return { kind: "failed", ttftMs, tokens, detail: event.error };
      }
    }
    return last === "done" || last === "saved" || tokens > 0 ? { kind: "completed", ttftMs, tokens } : { kind: "failed", ttftMs, tokens, detail: `stream ended after "${last}"` };
  } catch (error) {
    return { kind: "failed", ttftMs: null, tokens: 0, detail: controller.signal.aborted ? `no answer within ${TIMEOUT_MS / 1000} s` : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function phase(base: string, count: number) {
  const started = performance.now();
  const outcomes = await Promise.all(Array.from({ length: count }, (_, i) => oneStream(base, i)));
  const wallMs = performance.now() - started;
  const ttfts = outcomes.flatMap((o) => (o.kind === "completed" && o.ttftMs !== null ? [o.ttftMs] : []));
  const tokens = outcomes.reduce((sum, o) => sum + o.tokens, 0);
  return {
    completed: outcomes.filter((o) => o.kind === "completed").length,
    rejected: outcomes.filter((o) => o.kind === "rejected").length,
    failed: outcomes.filter((o) => o.kind === "failed"),
    ttftP50: percentile(ttfts, 50),
    ttftP95: percentile(ttfts, 95),
    tokensPerSecond: tokens / (wallMs / 1000),
    wallMs,
  };
}

async function waitFor(base: string, child: ChildProcess | null): Promise<void> {
  const deadline = Date.now() + 15 * 60_000; // a first start may build the app
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/models`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${base} did not answer within 15 minutes`);
}

async function main() {
  let base = values.url?.replace(/\/$/, "");
  let child: ChildProcess | null = null;
  let dataDir: string | null = null;
  if (!base) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "glassbox-load-"));
    base = `http://localhost:${values.port}`;
    console.error(`starting the app on ${base} (data in ${dataDir})…`);
    child = spawn(process.execPath, ["--import", "tsx", "scripts/app/start.ts"], {
      env: { ...process.env, PORT: values.port, GLASSBOX_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
  }
  try {
    await waitFor(base, child);
    await phase(base, 1); // warm-up: loads the model and the retrieval index
    const alone = await phase(base, 1);
    const crowd = await phase(base, STREAMS);
    const row = (name: string, r: Awaited<ReturnType<typeof phase>>, n: number) =>
      `${name.padEnd(12)} ${String(n).padStart(7)} ${String(r.completed).padStart(9)} ${String(r.rejected).padStart(8)} ${String(r.failed.length).padStart(6)} ` +
      `${r.ttftP50.toFixed(0).padStart(9)} ${r.ttftP95.toFixed(0).padStart(9)} ${r.tokensPerSecond.toFixed(1).padStart(10)} ${(r.wallMs / 1000).toFixed(1).padStart(7)}`;
    console.log(`\nPOST /api/tutor, greedy, ${TOKENS} new tokens per stream, on ${base}`);
    console.log(`${"phase".padEnd(12)} ${"streams".padStart(7)} ${"completed".padStart(9)} ${"rejected".padStart(8)} ${"failed".padStart(6)} ${"ttft p50".padStart(9)} ${"ttft p95".padStart(9)} ${"tokens/s".padStart(10)} ${"wall s".padStart(7)}`);
    console.log(row("alone", alone, 1));
    console.log(row("concurrent", crowd, STREAMS));
    console.log(`\nratios (concurrent ÷ alone, same run): tokens/s ${(crowd.tokensPerSecond / alone.tokensPerSecond).toFixed(2)} · ttft p50 ${(crowd.ttftP50 / alone.ttftP50).toFixed(1)}×`);
    console.log("(rejected = 503 + Retry-After from the bounded queue, by design; failed must be 0)");
    for (const f of [...alone.failed, ...crowd.failed]) console.log(`  failed: ${f.detail}`);
    process.exitCode = alone.failed.length + crowd.failed.length > 0 ? 1 : 0;
  } finally {
    if (child?.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
