/**
 * Load test: concurrent generation streams against the running app on loopback (issues #8,
 * #13, #18).
 *
 *   npm run bench:load [-- --streams 32,64 --tokens 48 --endpoint generate --compare]
 *   npm run bench:load -- --servers 2 --postgres postgresql://…/postgres
 *   npm run bench:load -- --url http://localhost:3000,http://localhost:3001
 *
 * Without --url it starts the app itself (scripts/app/start.ts: builds if needed, migrates)
 * on --port, --port+1, …: one server on a fresh PGlite in a temporary folder, or --servers N
 * servers on one new database on the PostgreSQL server --postgres (default TEST_POSTGRES_URL),
 * sharing one AUTH_SECRET, as behind a load balancer; it stops them (and drops the database)
 * after. Several --url (comma-separated) target servers already running.
 *
 * --compare runs everything twice, one configuration after the other on fresh servers: the
 * defaults (continuous batching: up to GLASSBOX_GENERATION_CONCURRENCY generations sharing
 * passes of up to GLASSBOX_BATCH_SIZE) and one generation at a time
 * (GLASSBOX_GENERATION_CONCURRENCY=1, GLASSBOX_BATCH_SIZE=1: the server before batching), and
 * prints the ratios side by side.
 *
 * Phases, side by side in one run (this machine is shared and noisy: compare the ratios, not
 * absolute times):
 *   1. one stream alone, on the first server, three times in a row (the baseline: time to first
 *      token and tokens/s of a lone learner; tokens/s pooled over the three);
 *   2. for each --streams count, that many streams started at once, dealt round-robin to the
 *      servers.
 * Each stream is POST /api/tutor (a course question) or POST /api/generate (a short prompt),
 * greedy, --tokens new tokens. A stream is "completed" when it ends with "done", "refused"
 * when the server turned it away by design (503 + Retry-After: the queue is full), "failed"
 * otherwise (any other status, an "error" line, a broken stream, or the --timeout-s bound).
 * Failed must be 0. Prints completed / refused / failed, time to first token p50/p95 (from the
 * request to the first "step" line), and tokens/s overall (all tokens received ÷ the phase's
 * wall time) — for the whole phase and, with several servers, per server.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPostgresDatabase, startAppServer, startAppServers, type AppServer } from "../lib/app-server.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    port: { type: "string", default: "3290" },
    servers: { type: "string", default: "1" },
    postgres: { type: "string" },
    streams: { type: "string", default: "32,64" },
    tokens: { type: "string", default: "24" },
    endpoint: { type: "string", default: "tutor" },
    compare: { type: "boolean", default: false },
    "timeout-s": { type: "string", default: "240" },
  },
});
const STREAM_COUNTS = values.streams!.split(",").map((n) => Math.min(256, Math.max(1, Number(n))));
const TOKENS = Math.min(256, Math.max(1, Number(values.tokens)));
const TIMEOUT_MS = Number(values["timeout-s"]) * 1000;
const SERVERS = Math.min(8, Math.max(1, Number(values.servers)));
const ENDPOINT = values.endpoint === "generate" ? "generate" : "tutor";
if (values.compare && values.url) throw new Error("--compare starts its own servers (one per configuration): leave out --url");

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
  kind: "completed" | "refused" | "failed";
  ttftMs: number | null;
  tokens: number;
  detail?: string;
}

function requestBody(i: number): unknown {
  const settings = { greedy: true, maxNewTokens: TOKENS };
  return ENDPOINT === "tutor" ? { message: QUESTIONS[i % QUESTIONS.length], settings } : { prompt: `${QUESTIONS[i % QUESTIONS.length]} `, settings };
}

async function oneStream(base: string, i: number): Promise<Outcome> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(`${base}/api/${ENDPOINT}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(requestBody(i)),
      signal: controller.signal,
    });
    if (response.status === 503 && response.headers.get("retry-after")) {
      await response.body?.cancel();
      return { kind: "refused", ttftMs: null, tokens: 0 };
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
    return last === "done" || last === "saved" ? { kind: "completed", ttftMs, tokens } : { kind: "failed", ttftMs, tokens, detail: `stream ended after "${last}"` };
  } catch (error) {
    return { kind: "failed", ttftMs: null, tokens: 0, detail: controller.signal.aborted ? `no answer within ${TIMEOUT_MS / 1000} s` : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

interface PhaseResult {
  streams: number;
  completed: number;
  refused: number;
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
    streams: outcomes.length,
    completed: outcomes.filter((o) => o.kind === "completed").length,
    refused: outcomes.filter((o) => o.kind === "refused").length,
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

/** The servers to load: those given with --url, or ones started here with `env` (stopped by the returned cleanup). */
async function servers(env: Record<string, string>): Promise<{ bases: string[]; cleanup: () => Promise<void> }> {
  if (values.url) return { bases: values.url.split(",").map((url) => url.trim().replace(/\/$/, "")), cleanup: async () => {} };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "glassbox-load-"));
  const postgres = values.postgres ?? process.env.TEST_POSTGRES_URL;
  if (SERVERS > 1 && !postgres) throw new Error("--servers 2 or more share one PostgreSQL database: give --postgres URL (or set TEST_POSTGRES_URL)");
  const database = SERVERS > 1 ? await createPostgresDatabase(postgres!, "glassbox_load") : null;
  const serverEnv: Record<string, string> = { GLASSBOX_DATA_DIR: dataDir, AUTH_SECRET: crypto.randomBytes(32).toString("base64url"), ...env };
  if (database) serverEnv.DATABASE_URL = database.url;
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
    started.push(await startAppServer({ port: ports[0]!, env: serverEnv }));
    started.push(...(await startAppServers(ports.slice(1).map((port) => ({ port, env: serverEnv, build: false })))));
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { bases: started.map((server) => server.url), cleanup };
}

interface Run {
  label: string;
  bases: string[];
  alone: PhaseResult;
  crowds: { all: PhaseResult; perServer: PhaseResult[] }[];
}

async function measure(label: string, env: Record<string, string>): Promise<Run> {
  const { bases, cleanup } = await servers(env);
  try {
    for (const base of bases) await phase([base], 2); // warm-up: loads the model and the retrieval index on each
    // Alone: three streams one after another (one short stream is too noisy a baseline), pooled.
    const lone = [];
    for (let i = 0; i < 3; i++) lone.push((await phase(bases.slice(0, 1), 1)).all);
    const alone: PhaseResult = {
      ...lone[1]!,
      streams: 1,
      tokensPerSecond: lone.reduce((sum, p) => sum + p.tokensPerSecond * p.wallMs, 0) / lone.reduce((sum, p) => sum + p.wallMs, 0),
      failed: lone.flatMap((p) => p.failed),
    };
    const crowds = [];
    for (const count of STREAM_COUNTS) crowds.push(await phase(bases, count));
    return { label, bases, alone, crowds };
  } finally {
    await cleanup();
  }
}

const HEADER = `${"phase".padEnd(26)} ${"streams".padStart(7)} ${"completed".padStart(9)} ${"refused".padStart(8)} ${"failed".padStart(6)} ${"ttft p50".padStart(9)} ${"ttft p95".padStart(9)} ${"tokens/s".padStart(10)} ${"× alone".padStart(8)} ${"wall s".padStart(7)}`;
const row = (name: string, r: PhaseResult, alone: PhaseResult) =>
  `${name.padEnd(26)} ${String(r.streams).padStart(7)} ${String(r.completed).padStart(9)} ${String(r.refused).padStart(8)} ${String(r.failed.length).padStart(6)} ` +
  `${r.ttftP50.toFixed(0).padStart(9)} ${r.ttftP95.toFixed(0).padStart(9)} ${r.tokensPerSecond.toFixed(1).padStart(10)} ${(r.tokensPerSecond / alone.tokensPerSecond).toFixed(2).padStart(8)} ${(r.wallMs / 1000).toFixed(1).padStart(7)}`;

function print(run: Run) {
  console.log(`\n${run.label}: POST /api/${ENDPOINT}, greedy, ${TOKENS} new tokens per stream, on ${run.bases.join(", ")}`);
  console.log(HEADER);
  console.log(row("alone", run.alone, run.alone));
  run.crowds.forEach((crowd) => {
    console.log(row(`concurrent`, crowd.all, run.alone));
    if (run.bases.length > 1) run.bases.forEach((base, s) => console.log(row(`  on ${base.replace(/^https?:\/\//, "")}`, crowd.perServer[s]!, run.alone)));
  });
}

async function main() {
  const runs: Run[] = [await measure("defaults (continuous batching)", {})];
  if (values.compare) runs.push(await measure("one generation at a time", { GLASSBOX_GENERATION_CONCURRENCY: "1", GLASSBOX_BATCH_SIZE: "1" }));
  runs.forEach(print);
  console.log("\n(× alone = the phase's tokens/s ÷ one stream alone on the same servers, in the same run; refused = 503 + Retry-After from the bounded queue, by design; failed must be 0)");
  if (runs.length === 2) {
    const [batched, single] = runs as [Run, Run];
    console.log("\nbatched ÷ one at a time, same run:");
    STREAM_COUNTS.forEach((count, i) =>
      console.log(
        `  ${String(count).padStart(3)} streams: tokens/s ${(batched.crowds[i]!.all.tokensPerSecond / single.crowds[i]!.all.tokensPerSecond).toFixed(2)}× · ` +
          `completed ${batched.crowds[i]!.all.completed} vs ${single.crowds[i]!.all.completed} · ttft p50 ${(batched.crowds[i]!.all.ttftP50 / single.crowds[i]!.all.ttftP50).toFixed(2)}×`,
      ),
    );
  }
  const failures = runs.flatMap((r) => [r.alone, ...r.crowds.map((c) => c.all)]).flatMap((p) => p.failed);
  for (const f of failures) console.log(`  failed: ${f.detail}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

await main();
