/**
 * Load test: concurrent generation streams against the running app on loopback (issues #8,
 * #13, #18).
 *
 *   npm run bench:load [-- --streams 32,64 --tokens 48 --endpoint generate --compare]
 *   npm run bench:load -- --endpoint generate --vs GLASSBOX_PASS_WORKER=off
 *   npm run bench:load -- --servers 2 --postgres postgresql://…/postgres
 *   npm run bench:load -- --url http://localhost:3000,http://localhost:3001
 *
 * Without --url it starts the app itself (scripts/app/start.ts: builds if needed, migrates)
 * on --port, --port+1, …: one server on a fresh PGlite in a temporary folder, or --servers N
 * servers on one new database on the PostgreSQL server --postgres (default TEST_POSTGRES_URL),
 * sharing one AUTH_SECRET, as behind a load balancer; it stops them (and drops the database)
 * after. Several --url (comma-separated) target servers already running.
 *
 * --env KEY=VALUE,… starts the servers with those variables. --vs KEY=VALUE,… measures a second
 * configuration (those variables on top of --env) on servers of its own, round for round with
 * the first, and prints the ratios side by side, e.g. `--vs GLASSBOX_PASS_WORKER=off`. --compare
 * is --vs GLASSBOX_GENERATION_CONCURRENCY=1,GLASSBOX_BATCH_SIZE=1: one generation at a time,
 * the server before batching.
 *
 * Phases, side by side in one run (this machine is shared and noisy: compare the ratios, not
 * absolute times). After a warm-up (a crowd of each size, not counted), --rounds rounds of:
 *   1. one stream alone, on the first server, three times in a row (the baseline: time to first
 *      token and tokens/s of a lone learner; tokens/s pooled over the three);
 *   2. for each --streams count, that many streams started at once, dealt round-robin to the
 *      servers.
 * Each row reports the median round; "× alone" is the median of each round's crowd ÷ that
 * round's lone stream (phases seconds apart), with the range over rounds.
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
import http from "node:http";
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
    env: { type: "string" },
    vs: { type: "string" },
    rounds: { type: "string", default: "5" },
    "timeout-s": { type: "string", default: "240" },
  },
});
const STREAM_COUNTS = values.streams!.split(",").map((n) => Math.min(256, Math.max(1, Number(n))));
const TOKENS = Math.min(256, Math.max(1, Number(values.tokens)));
const TIMEOUT_MS = Number(values["timeout-s"]) * 1000;
const SERVERS = Math.min(8, Math.max(1, Number(values.servers)));
const ROUNDS = Math.min(50, Math.max(1, Number(values.rounds)));
const ENDPOINT = values.endpoint === "generate" ? "generate" : "tutor";
/** Pause before each configuration's phases in a round, when several are compared. */
const SETTLE_MS = 1_500;
if ((values.compare || values.vs || values.env) && values.url) throw new Error("--compare, --vs and --env start their own servers (one per configuration): leave out --url");
if (values.compare && values.vs) throw new Error("--compare is --vs GLASSBOX_GENERATION_CONCURRENCY=1,GLASSBOX_BATCH_SIZE=1: give one of them");

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

/**
 * The load generator's HTTP client: node:http with kept-alive connections. It shares this
 * machine's two cores with the server under test, so it must stay light — fetch() (undici)
 * spent ~2 ms of CPU per request here, which spread 32 "simultaneous" arrivals over ~85 ms.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

function post(url: string, body: string, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", agent, signal, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, resolve);
    request.on("error", reject);
    request.end(body);
  });
}

async function oneStream(base: string, i: number): Promise<Outcome> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await post(`${base}/api/${ENDPOINT}`, JSON.stringify(requestBody(i)), controller.signal);
    if (response.statusCode === 503 && response.headers["retry-after"]) {
      response.resume();
      return { kind: "refused", ttftMs: null, tokens: 0 };
    }
    if (response.statusCode === 429) {
      response.resume();
      return { kind: "failed", ttftMs: null, tokens: 0, detail: "HTTP 429: the server's per-IP generation limit (start it with GLASSBOX_GENERATION_RATE_LIMIT=1000000 for a load test)" };
    }
    if (response.statusCode !== 200) {
      let text = "";
      for await (const chunk of response) text += String(chunk);
      return { kind: "failed", ttftMs: null, tokens: 0, detail: `HTTP ${response.statusCode}: ${text.slice(0, 200)}` };
    }
    let ttftMs: number | null = null;
    let tokens = 0;
    let buffer = "";
    let last = "";
    const decoder = new TextDecoder();
    for await (const chunk of response as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        // Only the event's type is read: parsing every step's candidates here would spend the
        // CPU the server under test needs (a class's browsers run on their own machines).
        const type = /^\{"type":"(\w+)"/.exec(line)?.[1] ?? "unknown";
        last = type;
        if (type === "step") {
          tokens++;
          ttftMs ??= performance.now() - started;
        }
        if (type === "error") return { kind: "failed", ttftMs, tokens, detail: (JSON.parse(line) as { error?: string }).error };
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
  const ttfts = ttftsOf(outcomes);
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
async function phaseWithOutcomes(bases: string[], count: number) {
  const started = performance.now();
  const outcomes = await Promise.all(Array.from({ length: count }, (_, i) => oneStream(bases[i % bases.length]!, i)));
  const wallMs = performance.now() - started;
  const split = {
    all: summarise(outcomes, wallMs),
    perServer: bases.map((_, s) => summarise(outcomes.filter((_, i) => i % bases.length === s), wallMs)),
  };
  return { split, result: split.all, outcomes };
}

const phase = async (bases: string[], count: number) => (await phaseWithOutcomes(bases, count)).split;

const ttftsOf = (outcomes: readonly Outcome[]) => outcomes.flatMap((o) => (o.kind === "completed" && o.ttftMs !== null ? [o.ttftMs] : []));

/** The servers to load: those given with --url, or ones started here with `env` (stopped by the returned cleanup). */
async function servers(env: Record<string, string>, firstPort: number): Promise<{ bases: string[]; cleanup: () => Promise<void> }> {
  if (values.url) return { bases: values.url.split(",").map((url) => url.trim().replace(/\/$/, "")), cleanup: async () => {} };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "glassbox-load-"));
  const postgres = values.postgres ?? process.env.TEST_POSTGRES_URL;
  if (SERVERS > 1 && !postgres) throw new Error("--servers 2 or more share one PostgreSQL database: give --postgres URL (or set TEST_POSTGRES_URL)");
  const database = SERVERS > 1 ? await createPostgresDatabase(postgres!, "glassbox_load") : null;
  const serverEnv: Record<string, string> = {
    GLASSBOX_DATA_DIR: dataDir,
    AUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    // The streams stand for a whole class but all come from this one address: lift the per-IP limit.
    GLASSBOX_GENERATION_RATE_LIMIT: "1000000",
    ...env,
  };
  if (database) serverEnv.DATABASE_URL = database.url;
  const ports = Array.from({ length: SERVERS }, (_, i) => firstPort + i);
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
  /** Per crowd size, each round's tokens/s ÷ that round's alone tokens/s (side by side). */
  ratios: number[][];
}

const median = (xs: readonly number[]) => percentile([...xs], 50);

/** Several rounds of one phase as one row: counts summed, TTFT percentiles pooled, tokens/s the median round's. */
function pooled(rounds: readonly PhaseResult[], ttfts: readonly number[]): PhaseResult {
  const byRate = [...rounds].sort((a, b) => a.tokensPerSecond - b.tokensPerSecond);
  const middle = byRate[Math.floor((byRate.length - 1) / 2)]!;
  return {
    streams: rounds[0]!.streams,
    completed: rounds.reduce((n, r) => n + r.completed, 0) / rounds.length,
    refused: rounds.reduce((n, r) => n + r.refused, 0) / rounds.length,
    failed: rounds.flatMap((r) => r.failed),
    ttftP50: percentile([...ttfts], 50),
    ttftP95: percentile([...ttfts], 95),
    tokensPerSecond: middle.tokensPerSecond,
    wallMs: middle.wallMs,
  };
}

interface Configuration {
  label: string;
  env: Record<string, string>;
}

/**
 * Every configuration on its own servers, all started first, then measured round for round:
 * each round runs every configuration's phases one after the other, so a drift of the shared
 * machine touches them alike.
 */
async function measure(configurations: readonly Configuration[]): Promise<Run[]> {
  const started: { bases: string[]; cleanup: () => Promise<void> }[] = [];
  try {
    for (const [k, configuration] of configurations.entries()) started.push(await servers(configuration.env, Number(values.port) + k * SERVERS));
    // Warm-up, not counted: loads the model and the retrieval index on each server, then one
    // crowd of each size (the first passes of a new batch shape are slow: onnxruntime sizes its
    // buffers, V8 compiles the hot paths).
    for (const { bases } of started) {
      for (const base of bases) await phase([base], 2);
      for (const count of STREAM_COUNTS) await phase(bases, count);
    }
    const perConfiguration = configurations.map(() => ({
      alones: [] as PhaseResult[],
      aloneTtfts: [] as number[],
      crowdRounds: STREAM_COUNTS.map(() => [] as { all: PhaseResult; perServer: PhaseResult[] }[]),
      crowdTtfts: STREAM_COUNTS.map(() => [] as number[]),
    }));
    // Rounds: one stream alone (three in a row, pooled: one short stream is too noisy a
    // baseline), then each crowd; a round's ratio compares phases run seconds apart.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [k, { bases }] of started.entries()) {
        // The other configuration's servers finish what a crowd left them (saving the tutor's
        // conversations, collecting garbage) before this one's lone stream is timed: without
        // the pause, whichever configuration went second measured a lone stream 20–40 % slower.
        if (started.length > 1) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const m = perConfiguration[k]!;
        const lone: { result: PhaseResult; outcomes: Outcome[] }[] = [];
        for (let i = 0; i < 3; i++) lone.push(await phaseWithOutcomes(bases.slice(0, 1), 1));
        const wall = lone.reduce((sum, p) => sum + p.result.wallMs, 0);
        m.alones.push({ ...lone[1]!.result, tokensPerSecond: lone.reduce((sum, p) => sum + p.result.tokensPerSecond * p.result.wallMs, 0) / wall, failed: lone.flatMap((p) => p.result.failed) });
        m.aloneTtfts.push(...lone.flatMap((p) => ttftsOf(p.outcomes)));
        for (const [c, count] of STREAM_COUNTS.entries()) {
          const crowd = await phaseWithOutcomes(bases, count);
          m.crowdRounds[c]!.push(crowd.split);
          m.crowdTtfts[c]!.push(...ttftsOf(crowd.outcomes));
        }
      }
    }
    return configurations.map(({ label }, k) => {
      const { alones, aloneTtfts, crowdRounds, crowdTtfts } = perConfiguration[k]!;
      const bases = started[k]!.bases;
      return {
        label,
        bases,
        alone: pooled(alones, aloneTtfts),
        crowds: crowdRounds.map((rounds, c) => ({
          all: pooled(rounds.map((r) => r.all), crowdTtfts[c]!),
          perServer: bases.map((_, s) => pooled(rounds.map((r) => r.perServer[s]!), [])),
        })),
        ratios: crowdRounds.map((rounds) => rounds.map((r, i) => r.all.tokensPerSecond / alones[i]!.tokensPerSecond)),
      };
    });
  } finally {
    for (const { cleanup } of started) await cleanup();
  }
}

const HEADER = `${"phase".padEnd(26)} ${"streams".padStart(7)} ${"completed".padStart(9)} ${"refused".padStart(8)} ${"failed".padStart(6)} ${"ttft p50".padStart(9)} ${"ttft p95".padStart(9)} ${"tokens/s".padStart(10)} ${"× alone".padStart(8)}  ${"rounds' × alone".padEnd(16)}`;
const count = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const row = (name: string, r: PhaseResult, ratios: readonly number[] | null) =>
  `${name.padEnd(26)} ${String(r.streams).padStart(7)} ${count(r.completed).padStart(9)} ${count(r.refused).padStart(8)} ${String(r.failed.length).padStart(6)} ` +
  `${r.ttftP50.toFixed(0).padStart(9)} ${r.ttftP95.toFixed(0).padStart(9)} ${r.tokensPerSecond.toFixed(1).padStart(10)} ${(ratios ? median(ratios) : 1).toFixed(2).padStart(8)}  ` +
  (ratios ? `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` : "");

function print(run: Run) {
  console.log(`\n${run.label}: POST /api/${ENDPOINT}, greedy, ${TOKENS} new tokens per stream, on ${run.bases.join(", ")}; ${ROUNDS} rounds after a warm-up`);
  console.log(HEADER);
  console.log(row("alone", run.alone, null));
  run.crowds.forEach((crowd, k) => {
    console.log(row(`concurrent`, crowd.all, run.ratios[k]!));
    if (run.bases.length > 1) run.bases.forEach((base, s) => console.log(row(`  on ${base.replace(/^https?:\/\//, "")}`, crowd.perServer[s]!, null)));
  });
}

/** "KEY=VALUE,KEY=VALUE" → an environment. */
function parseEnv(text: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of (text ?? "").split(",").filter(Boolean)) {
    const at = pair.indexOf("=");
    if (at < 1) throw new Error(`--env/--vs take KEY=VALUE pairs separated by commas, not "${pair}"`);
    env[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return env;
}

async function main() {
  const configurations: Configuration[] = [{ label: values.env ? `with ${values.env}` : "defaults (continuous batching)", env: parseEnv(values.env) }];
  if (values.compare) configurations.push({ label: "one generation at a time", env: { GLASSBOX_GENERATION_CONCURRENCY: "1", GLASSBOX_BATCH_SIZE: "1" } });
  else if (values.vs) configurations.push({ label: `with ${values.vs}`, env: { ...parseEnv(values.env), ...parseEnv(values.vs) } });
  const runs = await measure(configurations);
  runs.forEach(print);
  console.log(
    "\n(tokens/s = the median round's; × alone = the median over rounds of the crowd's tokens/s ÷ the same round's lone stream, with the rounds' range; " +
      "completed / refused = per round, on average; ttft over every stream of every round; refused = 503 + Retry-After from the bounded queue, by design; failed must be 0)",
  );
  if (runs.length === 2) {
    const [first, second] = runs as [Run, Run];
    console.log(`\n${first.label} ÷ ${second.label}, round for round in one run:`);
    STREAM_COUNTS.forEach((count, i) =>
      console.log(
        `  ${String(count).padStart(3)} streams: tokens/s ${(first.crowds[i]!.all.tokensPerSecond / second.crowds[i]!.all.tokensPerSecond).toFixed(2)}× · ` +
          `× alone ${median(first.ratios[i]!).toFixed(2)} vs ${median(second.ratios[i]!).toFixed(2)} · ` +
          `completed ${first.crowds[i]!.all.completed} vs ${second.crowds[i]!.all.completed} · ttft p50 ${(first.crowds[i]!.all.ttftP50 / second.crowds[i]!.all.ttftP50).toFixed(2)}×`,
      ),
    );
  }
  const failures = runs.flatMap((r) => [r.alone, ...r.crowds.map((c) => c.all)]).flatMap((p) => p.failed);
  for (const f of failures) console.log(`  failed: ${f.detail}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

await main();
