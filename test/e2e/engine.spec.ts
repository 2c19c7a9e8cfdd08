/**
 * The browser backend (lib/llm/browser/) in Debian's Chromium against the production
 * build: the engine page loads course-lm into its worker with a progress bar, streams a
 * traced reply, stops on request, and — the point of it all — reproduces the server's
 * greedy replies token for token, on WASM and (where Chromium offers an adapter) WebGPU.
 *
 * Slow on purpose-built 2-core machines: onnxruntime-web's first session compiles ~27 MB
 * of WebAssembly (tens of seconds), and SwiftShader's WebGPU is a CPU emulation (~1–7
 * tokens/s), so replies are short and the timeouts generous. No test asserts speed.
 */
import { chromium, expect, test, type Page } from "@playwright/test";
import type { GenerateRequest } from "@/lib/llm/browser/protocol";
import { disposeReference, EnginePage, maxLogitDiff, ORT_FILES, referenceTrace, tokenIds } from "./pages/engine";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Short greedy replies: two chat turns (through the chat template) and a raw continuation. */
const PROMPTS: GenerateRequest[] = [
  { messages: [{ role: "user", content: "What is a token?" }], settings: { greedy: true, maxNewTokens: 24 } },
  { prompt: "A language model predicts", settings: { greedy: true, maxNewTokens: 24 } },
  { messages: [{ role: "user", content: "How does temperature change sampling?" }], settings: { greedy: true, maxNewTokens: 24 } },
];

/** Every request the page makes, to check that nothing leaves the app's origin. */
function recordRequests(page: Page): URL[] {
  const urls: URL[] = [];
  page.on("request", (r) => urls.push(new URL(r.url())));
  return urls;
}

function expectSameOriginOnly(urls: URL[], baseURL: string) {
  const origin = new URL(baseURL).origin;
  const foreign = urls.filter((u) => u.origin !== origin && u.protocol !== "blob:" && u.protocol !== "data:");
  expect(foreign.map(String), "requests to other origins (a CDN?)").toEqual([]);
  const ort = urls.filter((u) => u.pathname.startsWith("/ort/")).map((u) => u.pathname.slice("/ort/".length));
  expect(ort.length, "onnxruntime-web's runtime comes from /ort/").toBeGreaterThan(0);
  for (const file of ort) expect(ORT_FILES, `/ort/${file} is requested but not copied by copy-ort-wasm.mjs`).toContain(file);
}

test.describe.serial("browser engine on WASM", () => {
  let page: Page;
  let engine: EnginePage;
  let requests: URL[];
  const errors: string[] = [];

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    requests = recordRequests(page);
    page.on("pageerror", (e) => errors.push(e.message));
    engine = new EnginePage(page);
  });
  test.afterAll(async () => {
    await page?.close();
    await disposeReference();
  });

  test("the engine page loads course-lm with a progress bar, streams a traced reply and can stop", async ({ baseURL }) => {
    test.setTimeout(300_000);
    await engine.goto();
    expect(await page.evaluate(() => self.crossOriginIsolated), "COOP/COEP make the page cross-origin isolated").toBe(true);
    await page.getByLabel("Backend").selectOption("wasm");
    await page.getByRole("button", { name: "Load course-lm" }).click();
    await expect(page.getByRole("progressbar", { name: "Loading the model" })).toBeVisible();
    const status = page.getByTestId("engine-status");
    await expect(status).toBeVisible({ timeout: 240_000 });
    await expect(status).toHaveAttribute("data-backend", "wasm");
    await expect(status).toContainText("cross-origin isolated");
    // The worker warms the engine up before it says ready, so the first reply is not the slow one.
    await expect(status).toContainText(/warmed up in [\d.]+ s/);

    await page.getByLabel("Max new tokens").fill("12");
    await page.getByRole("button", { name: "Generate" }).click();
    const summary = page.getByTestId("trace-summary");
    await expect(summary).toContainText("ran on wasm (fp32)", { timeout: 60_000 });
    const rows = page.getByRole("table", { name: "Reply tokens" }).locator("tbody tr");
    const count = Number((await summary.textContent())!.match(/^(\d+) tokens/)![1]);
    expect(count).toBeGreaterThan(0);
    await expect(rows).toHaveCount(count);

    // Stop: a long reply (end tokens ignored) ends within a step of pressing Stop.
    const long = engine.generate({ prompt: "The", settings: { greedy: true, maxNewTokens: 256 }, ignoreEos: true });
    await expect(rows.nth(2)).toBeVisible({ timeout: 60_000 });
    // While it streams, the lab shows its speed live.
    await expect(page.getByTestId("live-rate")).toHaveText(/^\d+ tokens · [\d.]+ tok\/s$/);
    await page.getByRole("button", { name: "Stop" }).click();
    const stopped = await long;
    expect(stopped.finishReason).toBe("aborted");
    expect(stopped.steps.length).toBeLessThan(256);
    await expect(summary).toContainText("finished: aborted");

    expectSameOriginOnly(requests, baseURL!);
    expect(errors).toEqual([]);
  });

  test("WASM reproduces the server's greedy replies token for token", async ({ request }) => {
    test.setTimeout(300_000);
    const info = await engine.load({ backend: "wasm" }); // already in Cache Storage: quick
    expect(info.warmUpMs, "the load includes the warm-up").toBeGreaterThan(0);
    expect(info.loadMs).toBeGreaterThan(info.warmUpMs!);
    expect(info).toMatchObject({ backend: "wasm", dtype: "fp32", crossOriginIsolated: true, fromCache: true });
    for (const input of PROMPTS) {
      const browserTrace = await engine.generate(input);
      const { trace: server, source } = await referenceTrace(request, input);
      const label = JSON.stringify(input.messages ?? input.prompt);
      expect(browserTrace.model).toEqual({ ...server.model, backend: "wasm" }); // same weights: same sha256 revision
      expect(browserTrace.prompt.tokens.map((t) => t.id), `${label}: prompt tokens`).toEqual(server.prompt.tokens.map((t) => t.id));
      expect(tokenIds(browserTrace), `${label}: reply tokens (reference: ${source})`).toEqual(tokenIds(server));
      expect(browserTrace.reply.text).toBe(server.reply.text);
      expect(browserTrace.finishReason).toBe(server.finishReason);
      const diff = maxLogitDiff(browserTrace, server);
      expect(diff, `${label}: logits`).toBeLessThan(1e-3);
      test.info().annotations.push({
        type: "wasm-vs-server",
        description: `${label}: ${browserTrace.steps.length} tokens identical (reference: ${source}); max |Δlogit| ${diff.toExponential(1)}; threads ${info.threads}`,
      });
    }
  });

  test("internals in the browser: the same contract as the server's (rows over P + i positions summing to 1, lens ending in the top candidate), and the server's values", async ({ request }) => {
    test.setTimeout(300_000);
    await engine.load({ backend: "wasm" });
    const input: GenerateRequest = { messages: [{ role: "user", content: "What is a token?" }], settings: { greedy: true, maxNewTokens: 6 }, internals: true };
    const browserTrace = await engine.generate(input);
    const { trace: server } = await referenceTrace(request, input);
    expect(tokenIds(browserTrace)).toEqual(tokenIds(server));
    const P = browserTrace.prompt.tokens.length;
    let worst = 0;
    browserTrace.steps.forEach((step, i) => {
      expect(step.attention).toHaveLength(4);
      for (const [l, layer] of step.attention!.entries()) {
        expect(layer).toHaveLength(8);
        for (const [h, row] of layer.entries()) {
          expect(row).toHaveLength(P + i);
          expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(0.01);
          row.forEach((w, j) => (worst = Math.max(worst, Math.abs(w - server.steps[i]!.attention![l]![h]![j]!))));
        }
      }
      expect(step.logitLens!.at(-1)![0]!.id).toBe(step.candidates[0]!.id);
    });
    // Rounded to 4 decimals on both sides: equal up to one rounding step.
    expect(worst).toBeLessThanOrEqual(1.5e-4);
    test.info().annotations.push({ type: "internals-wasm-vs-server", description: `max |Δattention| ${worst.toExponential(1)} over ${browserTrace.steps.length} steps` });
  });

  test("multi-threaded WASM (cross-origin isolated) gives the same reply", async ({ request }) => {
    test.setTimeout(300_000);
    // Forced to 2 threads: the default is half the cores, which is 1 on a 2-core machine.
    const info = await engine.load({ backend: "wasm", threads: 2 });
    expect(info).toMatchObject({ backend: "wasm", threads: 2, crossOriginIsolated: true });
    const input = PROMPTS[0];
    const threaded = await engine.generate(input);
    const { trace: server } = await referenceTrace(request, input);
    expect(tokenIds(threaded)).toEqual(tokenIds(server));
    expect(maxLogitDiff(threaded, server)).toBeLessThan(1e-3);
  });
});

test.describe("browser engine on WebGPU (SwiftShader)", () => {
  test.afterAll(async () => {
    await disposeReference();
  });

  // A browser of its own: Chromium offers a real, CPU-emulated WebGPU adapter with these
  // flags (SwiftShader, in Debian's build); the project's browser runs with --disable-gpu.
  const launchWithWebGpu = () =>
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--enable-unsafe-webgpu",
        "--use-webgpu-adapter=swiftshader",
      ],
    });

  test("auto measures both backends on course-lm and keeps the faster — WASM, against an emulated GPU — and says so", async ({ baseURL }) => {
    test.setTimeout(600_000);
    const browser = await launchWithWebGpu();
    try {
      const page = await (await browser.newContext({ baseURL })).newPage();
      await page.goto("/playground/engine");
      await page.getByLabel("Backend").selectOption("auto");
      await page.getByRole("button", { name: "Load course-lm" }).click();
      const status = page.getByTestId("engine-status");
      await expect(status).toBeVisible({ timeout: 300_000 });
      // SwiftShader runs the GPU's work on the CPU (~1–7 tokens/s here), WASM ~100+: WASM is kept.
      await expect(status).toHaveAttribute("data-backend", "wasm");
      await expect(page.getByTestId("backend-probe")).toHaveText(/Auto measured both backends on this model: WASM [\d.]+ tok\/s, WebGPU [\d.]+ tok\/s — kept the faster, WASM\./);
      const [wasm, gpu] = ((await page.getByTestId("backend-probe").textContent()) ?? "").match(/[\d.]+(?= tok\/s)/g)!.map(Number);
      expect(wasm).toBeGreaterThan(gpu!);
      test.info().annotations.push({ type: "backend-probe", description: `WASM ${wasm} tok/s, WebGPU ${gpu} tok/s` });

      // The engine it kept generates on WASM.
      await page.getByLabel("Max new tokens").fill("8");
      await page.getByRole("button", { name: "Generate" }).click();
      await expect(page.getByTestId("trace-summary")).toContainText("ran on wasm (fp32)", { timeout: 60_000 });
    } finally {
      await browser.close();
    }
  });

  test("WebGPU reproduces the server's greedy replies token for token", async ({ request, baseURL }) => {
    test.setTimeout(600_000);
    const browser = await launchWithWebGpu();
    try {
      const page = await (await browser.newContext({ baseURL })).newPage();
      const engine = new EnginePage(page);
      await engine.goto();
      const hasAdapter = await page.evaluate(async () => {
        const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
        return !!(gpu && (await gpu.requestAdapter()));
      });
      // Debian's Chromium offers SwiftShader's adapter with these flags on every machine this
      // project runs on, so a missing adapter is a broken set-up: fail, don't skip.
      expect(hasAdapter, "Chromium offered no WebGPU adapter with --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader").toBe(true);
      const info = await engine.load({ backend: "webgpu" });
      expect(info.backend).toBe("webgpu");
      test.info().annotations.push({ type: "webgpu-adapter", description: JSON.stringify(info.adapter) });

      // Emulated WebGPU runs ~1–7 tokens/s here: two prompts, 8 tokens each.
      for (const input of PROMPTS.slice(0, 2).map((p) => ({ ...p, settings: { greedy: true, maxNewTokens: 8 } }))) {
        const gpuTrace = await engine.generate(input);
        const { trace: server, source } = await referenceTrace(request, input);
        const label = JSON.stringify(input.messages ?? input.prompt);
        expect(gpuTrace.model).toEqual({ ...server.model, backend: "webgpu" });
        expect(tokenIds(gpuTrace), `${label}: reply tokens (reference: ${source})`).toEqual(tokenIds(server));
        // GPU kernels sum in another order than the CPU's: close, not bit-identical.
        const diff = maxLogitDiff(gpuTrace, server);
        expect(diff, `${label}: logits`).toBeLessThan(1e-2);
        test.info().annotations.push({
          type: "webgpu-vs-server",
          description: `${label}: ${gpuTrace.steps.length} tokens identical (reference: ${source}); max |Δlogit| ${diff.toExponential(1)}; ${gpuTrace.timings.tokensPerSecond?.toFixed(1)} tokens/s`,
        });
      }
    } finally {
      await browser.close();
    }
  });
});
