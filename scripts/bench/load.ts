/**
 * Load test: concurrent tutor streams against the running app on loopback (issues #8, #18).
 *
 *   npm run bench:load [-- --streams 32 --tokens 24 --url http://localhost:3000]
 *   npm run bench:load -- --servers 2 --postgres postgresql://…/postgres
 *   npm run bench:load -- --url http://localhost:3000,http://localhost:3001
 *
 * Without --url it starts the app itself (scripts/app/start.ts: builds if needed, migrates)
 * on --port, --port+1, …: one server on a fresh PGlite in a temporary folder, or --servers N
 * servers on one new database on the PostgreSQL server --postgres (default TEST_POSTGRES_URL),
 * sharing one AUTH_SECRET, as behind a load balancer; it stops them (and drops the database)
 * after. Several --url (comma-separated) target servers already running.
 *
 * Two phases, side by side in one run (this machine is shared and noisy: compare the ratio,
 * not absolute times):
 *   1. one stream alone, on the first server (the baseline: time to first token and tokens/s
 *      of a lone learner);
 *   2. --streams streams started at once, dealt round-robin to the servers.
 * Each stream is POST /api/tutor with a different course question, greedy, --tokens new
 * tokens. A stream is "completed" when it ends with "done", "rejected" when the server
 * refused it by design (503 + Retry-After: the queue is full), "failed" otherwise (any other
 * status, an "error" line, a broken stream, or the --timeout-s bound). Failed must be 0.
 * Prints completed / rejected / failed, time to first token p50/p95 (from the request to the
 * first "step" line), and tokens/s overall (all tokens received ÷ the phase's wall time) — for
 * the whole phase and, with several servers, per server.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPostgresDatabase, startAppServer, type AppServer } from "../lib/app-server.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    port: { type: "string", default: "3290" },
    servers: { type: "string", default: "1" },
    postgres: { type: "string" },
    streams: { type: "string", default: "32" },
    tokens: { type: "string", default: "24" },
    "timeout-s": { type: "string", default: "240" },
  },
});
const STREAMS = Math.min(256, Math.max(1, Number(values.streams)));
const TOKENS = Math.min(256, Math.max(1, Number(values.tokens)));
const TIMEOUT_MS = Number(values["timeout-s"]) * 1000;
const SERVERS = Math.min(8, Math.max(1, Number(values.servers)));

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

interface PhaseResult {
  completed: number;
  rejected: number;
  failed: Outcome[];
  ttftP50: number;
  ttftP95: number;
  tokensPerSecond: number;
  wallMs: number;
}

function summarise(outcomes: Outcome[], wallMs: number): PhaseResult {
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

/** `count` streams at once, stream i on server i mod n: the whole phase, and each server's share (same wall time). */
async function phase(bases: string[], count: number): Promise<{ all: PhaseResult; perServer: PhaseResult[] }> {
  const started = performance.now();
  const outcomes = await Promise.all(Array.from({ length: count }, (_, i) => oneStream(bases[i % bases.length]!, i)));
  const wallMs = performance.now() - started;
  return {
    all: summarise(outcomes, wallMs),
    perServer: bases.map((_, s) => summarise(outcomes.filter((_, i) => i % bases.length === s), wallMs)),
  };
}

/** The servers to load: those given with --url, or ones started here (stopped by the returned cleanup). */
async function servers(): Promise<{ bases: string[]; cleanup: () => Promise<void> }> {
  if (values.url) return { bases: values.url.split(",").map((url) => url.trim().replace(/\/$/, "")), cleanup: async () => {} };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "glassbox-load-"));
  const postgres = values.postgres ?? process.env.TEST_POSTGRES_URL;
  if (SERVERS > 1 && !postgres) throw new Error("--servers 2 or more share one PostgreSQL database: give --postgres URL (or set TEST_POSTGRES_URL)");
  const database = SERVERS > 1 ? await createPostgresDatabase(postgres!, "glassbox_load") : null;
  const env: Record<string, string> = { GLASSBOX_DATA_DIR: dataDir, AUTH_SECRET: crypto.randomBytes(32).toString("base64url") };
  if (database) env.DATABASE_URL = database.url;
  const ports = Array.from({ length: SERVERS }, (_, i) => Number(values.port) + i);
  console.error(`starting ${SERVERS} app server(s) on ${ports.map((p) => `:${p}`).join(", ")} (${database ? "one PostgreSQL database" : `PGlite in ${dataDir}`})…`);
  const started: AppServer[] = [];
  const cleanup = async () => {
    await Promise.all(started.map((server) => server.stop()));
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // The first builds if needed; the others then serve that build.
    started.push(await startAppServer({ port: ports[0]!, env }));
    started.push(...(await Promise.all(ports.slice(1).map((port) => startAppServer({ port, env, build: false })))));
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { bases: started.map((server) => server.url), cleanup };
}

async function main() {
  const { bases, cleanup } = await servers();
  try {
    for (const base of bases) await phase([base], 1); // warm-up: loads the model and the retrieval index on each
    const alone = await phase(bases.slice(0, 1), 1);
    const crowd = await phase(bases, STREAMS);
    const row = (name: string, r: PhaseResult, n: number) =>
      `${name.padEnd(26)} ${String(n).padStart(7)} ${String(r.completed).padStart(9)} ${String(r.rejected).padStart(8)} ${String(r.failed.length).padStart(6)} ` +
      `${r.ttftP50.toFixed(0).padStart(9)} ${r.ttftP95.toFixed(0).padStart(9)} ${r.tokensPerSecond.toFixed(1).padStart(10)} ${(r.wallMs / 1000).toFixed(1).padStart(7)}`;
    console.log(`\nPOST /api/tutor, greedy, ${TOKENS} new tokens per stream, on ${bases.join(", ")}`);
    console.log(`${"phase".padEnd(26)} ${"streams".padStart(7)} ${"completed".padStart(9)} ${"rejected".padStart(8)} ${"failed".padStart(6)} ${"ttft p50".padStart(9)} ${"ttft p95".padStart(9)} ${"tokens/s".padStart(10)} ${"wall s".padStart(7)}`);
    console.log(row("alone", alone.all, 1));
    console.log(row("concurrent", crowd.all, STREAMS));
    if (bases.length > 1) {
      bases.forEach((base, s) => console.log(row(`  on ${base.replace(/^https?:\/\//, "")}`, crowd.perServer[s]!, Math.ceil((STREAMS - s) / bases.length))));
    }
    console.log(`\nratios (concurrent ÷ alone, same run): tokens/s ${(crowd.all.tokensPerSecond / alone.all.tokensPerSecond).toFixed(2)} · ttft p50 ${(crowd.all.ttftP50 / alone.all.ttftP50).toFixed(1)}×`);
    console.log("(rejected = 503 + Retry-After from the bounded queue, by design; failed must be 0)");
    for (const f of [...alone.all.failed, ...crowd.all.failed]) console.log(`  failed: ${f.detail}`);
    process.exitCode = alone.all.failed.length + crowd.all.failed.length > 0 ? 1 : 0;
  } finally {
    await cleanup();
  }
}

await main();
