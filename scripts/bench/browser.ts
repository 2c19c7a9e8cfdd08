/**
 * Benchmark: the browser backend (lib/llm/browser/, in Debian's Chromium) vs the Node
 * backend (decode() in this process, onnxruntime-node) — same model, prompt, settings and
 * number of new tokens, measured in one run. Prints each configuration's decode tokens/s
 * and prefill, and the ratio browser/Node.
 *
 *   npm run bench:browser -- [--url http://localhost:3000] [--tokens 32] [--reps 3]
 *       [--webgpu-reps 1] [--no-webgpu] [--prompt TEXT]
 *
 * Without --url it starts the built app itself (`scripts/app/start.ts`, which builds first
 * if the sources changed) on a free port with a throw-away data directory.
 *
 * Configurations (each in a fresh worker, since onnxruntime-web fixes its thread count
 * when it starts):
 * - WASM, 1 thread;
 * - WASM, multi-threaded — only when the page is cross-origin isolated (COOP/COEP), which
 *   SharedArrayBuffer needs; the thread counts tried are 2 and onnxruntime's default;
 * - WebGPU on Chromium's SwiftShader adapter (a CPU emulation of a GPU: says whether the
 *   path works and what it costs here, not what a real GPU does), if Chromium offers it.
 *
 * What is timed: the trace's own timings, identical in both runtimes — decode tokens/s =
 * (N − 1) / time from the first generated token to the last (forward pass with the KV
 * cache + sampling), and the prompt's forward pass (prefill). End tokens are ignored so
 * every run makes exactly N tokens. The first runs of each configuration are warm-up
 * (WASM code is compiled lazily and optimised while it runs: 3 runs for WASM, 1 for the
 * slow emulated WebGPU, 2 for Node); medians of the rest. Then the first reply right after a
 * load, in fresh pages, with and without the worker's warm-up (what a learner's first reply
 * costs), side by side.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser } from "@playwright/test";
import type { GenerateRequest, LoadOptions, ReadyInfo } from "../../lib/llm/browser/protocol.ts";
import { generateTrace } from "../../lib/llm/decode.ts";
import { loadModel } from "../../lib/llm/load.ts";
import type { Trace } from "../../lib/llm/trace.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    tokens: { type: "string", default: "32" },
    reps: { type: "string", default: "3" },
    "webgpu-reps": { type: "string", default: "1" },
    "no-webgpu": { type: "boolean", default: false },
    prompt: { type: "string", default: "What is a token, and why do language models use them?" },
  },
});
const N = Number(values.tokens);
const REPS = Number(values.reps);
const WEBGPU_REPS = Number(values["webgpu-reps"]);
if (!(N >= 2) || !(REPS >= 1) || !(WEBGPU_REPS >= 1)) throw new Error("--tokens must be ≥ 2, --reps and --webgpu-reps ≥ 1");

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const BASE_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
const REQUEST: GenerateRequest = {
  messages: [{ role: "user", content: values.prompt! }],
  settings: { greedy: true, maxNewTokens: N },
  ignoreEos: true,
};

interface Result {
  name: string;
  tokensPerSecond: number;
  prefillMs: number;
  note?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function summarise(name: string, traces: Trace[], note?: string): Result {
  for (const t of traces) if (t.steps.length !== N) throw new Error(`${name}: a run made ${t.steps.length} tokens, not ${N}`);
  const r = { name, tokensPerSecond: median(traces.map((t) => t.timings.tokensPerSecond ?? 0)), prefillMs: median(traces.map((t) => t.timings.prefillMs)), note };
  console.log(`  ${name}: ${r.tokensPerSecond.toFixed(1)} tok/s, prefill ${r.prefillMs.toFixed(1)} ms${note ? ` (${note})` : ""}`);
  return r;
}

// ─── The app ────────────────────────────────────────────────────────────────────────────

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitFor(url: string, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the app did not answer at ${url} within ${ms / 1000} s`);
}

async function startApp(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "glassbox-bench-"));
  console.log(`starting the app on port ${port} (builds first if the sources changed)…`);
  // Its own process group, so stopping it also stops `next start` beneath it.
  const child = spawn("npx", ["tsx", "scripts/app/start.ts"], {
    env: { ...process.env, PORT: String(port), GLASSBOX_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const url = `http://localhost:${port}`;
  await waitFor(url, child, 15 * 60_000);
  return {
    url,
    stop: () => {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ─── Browser runs ───────────────────────────────────────────────────────────────────────

async function openEngine(browser: Browser, url: string) {
  const page = await browser.newPage();
  await page.goto(`${url}/playground/engine`);
  await page.waitForFunction(() => window.__glassboxEngineTestHook !== undefined);
  return {
    isolated: () => page.evaluate(() => self.crossOriginIsolated),
    cores: () => page.evaluate(() => navigator.hardwareConcurrency),
    load: (o: LoadOptions) => page.evaluate((opts) => window.__glassboxEngineTestHook!.load(opts), o),
    generate: (r: GenerateRequest) => page.evaluate((req) => window.__glassboxEngineTestHook!.generate(req), r),
    close: () => page.close(),
  };
}

async function measureBrowser(
  engine: Awaited<ReturnType<typeof openEngine>>,
  name: string,
  options: LoadOptions,
  warmups: number,
  reps: number,
): Promise<Result & { info: ReadyInfo }> {
  const info = await engine.load(options);
  for (let i = 0; i < warmups; i++) await engine.generate(REQUEST);
  const traces: Trace[] = [];
  for (let i = 0; i < reps; i++) traces.push(await engine.generate(REQUEST));
  const adapter = info.adapter ? `${info.adapter.vendor} ${info.adapter.architecture}`.trim() : "";
  const note = info.backend === "webgpu" ? `adapter ${adapter || "?"}` : `${info.threads} thread${info.threads === 1 ? "" : "s"}`;
  return { ...summarise(name, traces, `${note}; loaded in ${(info.loadMs / 1000).toFixed(1)} s`), info };
}

// ─── Main ───────────────────────────────────────────────────────────────────────────────

async function main() {
  const app = values.url ? { url: values.url.replace(/\/+$/, ""), stop: () => {} } : await startApp();
  const results: Result[] = [];
  try {
    console.log(`\nprompt: chat turn ${JSON.stringify(values.prompt)}; ${N} new tokens, greedy, end tokens ignored; ${REPS} reps after warm-up`);

    console.log("\nNode (onnxruntime-node, decode() in this process)");
    const model = await loadModel({ id: "course-lm", location: path.resolve("public/models/course-lm"), localFilesOnly: true, dtype: "fp32" });
    const endless = { ...model, eosTokenIds: [] };
    const prompt = { messages: REQUEST.messages! };
    for (let i = 0; i < 2; i++) await generateTrace({ ...prompt, model: endless, settings: REQUEST.settings });
    const nodeTraces: Trace[] = [];
    for (let i = 0; i < REPS; i++) nodeTraces.push(await generateTrace({ ...prompt, model: endless, settings: REQUEST.settings }));
    const node = summarise("node, fp32", nodeTraces);
    await model.dispose();

    console.log("\nChromium, WASM");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, "--disable-gpu"] });
    try {
      const engine = await openEngine(browser, app.url);
      const isolated = await engine.isolated();
      const cores = await engine.cores();
      console.log(`  page cross-origin isolated: ${isolated}; navigator.hardwareConcurrency ${cores}`);
      results.push(await measureBrowser(engine, "wasm, 1 thread", { backend: "wasm", threads: 1 }, 3, REPS));
      if (isolated) {
        const counts = [...new Set([2, Math.min(4, Math.ceil(cores / 2))])].filter((t) => t > 1);
        for (const threads of counts) {
          results.push(await measureBrowser(engine, `wasm, ${threads} threads`, { backend: "wasm", threads }, 3, REPS));
        }
      } else {
        console.log("  (multi-threaded WASM skipped: the page is not cross-origin isolated)");
      }
      await engine.close();

      // The learner's first reply right after a load, with and without the worker's warm-up
      // (LoadOptions.warmUp), each in a fresh page so neither inherits compiled code.
      console.log("\nChromium, WASM 1 thread: the first reply after a load");
      const first: Record<string, { trace: Trace; info: ReadyInfo }> = {};
      for (const warmUp of [false, true]) {
        const fresh = await openEngine(browser, app.url);
        const info = await fresh.load({ backend: "wasm", threads: 1, warmUp });
        const trace = await fresh.generate(REQUEST);
        first[String(warmUp)] = { trace, info };
        const t = trace.timings;
        console.log(
          `  ${warmUp ? "with warm-up   " : "without warm-up"}  load ${(info.loadMs / 1000).toFixed(2)} s${info.warmUpMs !== undefined ? ` (warm-up ${info.warmUpMs.toFixed(0)} ms)` : ""}` +
            ` · first reply: time to first token ${t.ttftMs.toFixed(0)} ms, decode ${(t.tokensPerSecond ?? 0).toFixed(1)} tok/s`,
        );
        await fresh.close();
      }
      const [cold, warm] = [first.false!.trace.timings, first.true!.trace.timings];
      console.log(`  warm ÷ cold: decode tokens/s ${((warm.tokensPerSecond ?? 0) / (cold.tokensPerSecond ?? 1)).toFixed(2)}×, time to first token ${(warm.ttftMs / cold.ttftMs).toFixed(2)}×`);
    } finally {
      await browser.close();
    }

    if (!values["no-webgpu"]) {
      console.log("\nChromium, WebGPU (--enable-unsafe-webgpu --use-webgpu-adapter=swiftshader)");
      const gpuBrowser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [...BASE_ARGS, "--enable-unsafe-webgpu", "--use-webgpu-adapter=swiftshader"],
      });
      try {
        const engine = await openEngine(gpuBrowser, app.url);
        try {
          results.push(await measureBrowser(engine, "webgpu", { backend: "webgpu" }, 1, WEBGPU_REPS));
        } catch (error) {
          console.log(`  WebGPU unavailable: ${(error as Error).message}`);
        }
        await engine.close();
      } finally {
        await gpuBrowser.close();
      }
    }

    console.log(`\nratios, decode tokens/s browser / node (node: ${node.tokensPerSecond.toFixed(1)} tok/s, prefill ${node.prefillMs.toFixed(1)} ms)`);
    for (const r of results) {
      console.log(
        `  ${r.name.padEnd(16)} ${(r.tokensPerSecond / node.tokensPerSecond).toFixed(3)}   (prefill ×${(r.prefillMs / node.prefillMs).toFixed(1)})`,
      );
    }
  } finally {
    app.stop();
  }
}

await main();
