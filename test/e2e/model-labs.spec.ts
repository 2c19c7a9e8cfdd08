/**
 * The model labs and a lesson's model demo against the production build, on the real
 * course-lm: the next-token lab (distribution, a live setting, Step / Undo, URL state, the
 * browser backend), the perplexity meter (heat map, perplexity, compare mode) and the greedy
 * stepper in a lesson. Waits are generous (a cold server on a 2-core machine); nothing
 * asserts speed.
 */
import { expect, test } from "@playwright/test";
import { E2E_HUB_PORT } from "../../playwright.config";
import { startHubStandIn, type HubStandIn } from "../../scripts/lib/hub-stand-in";
import { standinDir } from "../../scripts/lib/standins";
import { showDemo } from "./pages/lesson";
import { NextTokenLabPage, PerplexityLabPage } from "./pages/model-labs";

test.describe("next-token lab", () => {
  test("shows the distribution, reacts to temperature, steps and undoes, and keeps its state in the URL", async ({ page }) => {
    const lab = new NextTokenLabPage(page);
    await lab.goto("prompt=The%20capital%20of%20France%20is");
    await lab.waitForDistribution();
    await expect(lab.candidates()).toHaveCount(20);
    await expect(page.getByTestId("nt-rest")).toContainText(/The other 2,028 tokens share/);
    await expect(page.getByTestId("nt-ran-on")).toContainText("ran on server (Node)");
    // The sampling pipeline renders its stages.
    await expect(page.locator('[data-stage="temperature"]')).toBeVisible();

    // Temperature 1 → 0.3: the distribution sharpens, so the top token's probability rises.
    const before = await lab.probabilities();
    const topId = [...before.entries()].sort((a, b) => b[1] - a[1])[0][0];
    await lab.setSetting("Temperature", 0.3);
    await expect(page).toHaveURL(/temperature=0\.3/);
    await expect.poll(async () => (await lab.probabilities()).get(topId)!, { timeout: 120_000 }).toBeGreaterThan(before.get(topId)! + 0.01);

    // Step appends one token; Undo removes it.
    await page.getByRole("button", { name: "Step" }).click();
    await expect(lab.chosen()).toHaveCount(1, { timeout: 120_000 });
    await expect(page).toHaveURL(/chosen=\d+/);
    const chosenId = await lab.chosen().first().getAttribute("data-token-id");
    await lab.waitForDistribution();

    // Reload: prompt, temperature and the chosen token come back from the URL.
    await page.reload();
    await expect(page.getByRole("textbox", { name: /^Prompt/ })).toHaveValue("The capital of France is");
    await expect(page.getByRole("spinbutton", { name: "Temperature (exact value)" })).toHaveValue("0.3");
    await expect(lab.chosen()).toHaveCount(1);
    await expect(lab.chosen().first()).toHaveAttribute("data-token-id", chosenId!);
    await lab.waitForDistribution();

    // Pick a candidate, then undo twice.
    const second = lab.candidates().nth(1);
    const pickedId = await second.getAttribute("data-token-id");
    await second.click();
    await expect(lab.chosen()).toHaveCount(2);
    await expect(lab.chosen().nth(1)).toHaveAttribute("data-token-id", pickedId!);
    await page.getByRole("button", { name: "Undo" }).click();
    await page.getByRole("button", { name: "Undo" }).click();
    await expect(lab.chosen()).toHaveCount(0);
    await expect(page).not.toHaveURL(/chosen=/);
  });

  test("runs in the browser (WebAssembly) with the same distribution as the server", async ({ page }) => {
    test.setTimeout(400_000);
    const lab = new NextTokenLabPage(page);
    await lab.goto("prompt=A%20language%20model%20predicts&temperature=0");
    await lab.waitForDistribution();
    const server = await lab.probabilities();
    await page.getByText("In my browser").click();
    await expect(page).toHaveURL(/backend=browser/);
    await expect(page.getByTestId("nt-distribution")).toHaveAttribute("data-trace-backend", "wasm", { timeout: 300_000 });
    await expect(page.getByTestId("nt-ran-on")).toContainText("your browser (WebAssembly)");
    await lab.waitForDistribution();
    const browser = await lab.probabilities();
    expect([...browser.keys()]).toEqual([...server.keys()]);
  });
});

test.describe("model bar", () => {
  test("says what a model is before it loads: size, parameters, licence, where it runs and where a download is kept", async ({ page }) => {
    const lab = new NextTokenLabPage(page);
    await lab.goto("prompt=Hello");
    const facts = page.getByTestId("model-facts");
    await expect(facts).toContainText("ships with the app, works offline");
    await page.getByLabel("Model", { exact: true }).selectOption({ label: "Qwen2.5 0.5B Instruct (494M) — needs network" });
    await expect(facts).toContainText("≈ 790 MB (q4) to download on first use · 494M parameters · licence: Apache-2.0 · runs on the server, or in your browser (WebGPU, else WebAssembly)");
    await expect(facts).toContainText(/On the server it will be kept in \$GLASSBOX_DATA_DIR\/model-cache\/onnx-community\/Qwen2\.5-0\.5B-Instruct/);
  });
});

test.describe("perplexity lab", () => {
  test("shows a heat map and a perplexity, and two of each in compare mode", async ({ page }) => {
    const lab = new PerplexityLabPage(page);
    await lab.goto();
    await expect(lab.perplexities()).toHaveCount(1, { timeout: 240_000 });
    await expect(lab.perplexities().first()).toHaveText(/^\d[\d,.]*$/);
    const tokens = page.getByTestId("ppl-token");
    expect(await tokens.count()).toBeGreaterThan(5);
    // Focus a token: its surprise is spoken and shown.
    await tokens.nth(2).focus();
    await expect(page.getByText(/surprise \d+\.\d\d nats \(\d+\.\d\d bits\)/).first()).toBeVisible();
    await expect(page.getByTestId("ppl-top").locator("tbody tr")).toHaveCount(5);

    await page.getByLabel("Compare two texts side by side").check();
    await expect(page).toHaveURL(/compare=1/);
    await expect(lab.perplexities()).toHaveCount(2, { timeout: 120_000 });
    await expect(page.getByTestId("ppl-heatmap")).toHaveCount(2);
    // The default pair: natural text against the same words scrambled.
    await expect(page.getByTestId("ppl-comparison")).toContainText("text A more natural");
  });
});

test.describe("lesson demos", () => {
  test("the greedy stepper in a lesson shows real tokens and steps", async ({ page }) => {
    await page.goto("/learn/level-1/16-greedy-decoding");
    await showDemo(page, "greedy-stepper");
    const demo = page.locator('[data-demo-kind="greedy-stepper"]');
    await expect(demo.getByTestId("demo-bar").first()).toBeVisible({ timeout: 240_000 });
    await expect(demo.getByTestId("demo-ran-on")).toContainText("course-lm (fp32) · ran on server (Node)");
    const text = demo.getByTestId("greedy-text");
    const before = (await text.textContent())!;
    await demo.getByRole("button", { name: "Step: append the argmax" }).click();
    await expect(text).not.toHaveText(before);
    const link = demo.getByRole("link", { name: "Open in the playground →" });
    await expect(link).toHaveAttribute("href", /^\/playground\/next-token\?.*chosen=\d+/);
    await expect(link).toHaveAttribute("href", /[?&]temperature=0(&|$)/);
  });
});

// After "model bar": once this test has run, the server holds Qwen2.5 and its facts change.
test.describe("hub presets, offline, through a local stand-in of the hub", () => {
  const PRESETS = [
    { id: "Qwen2.5-0.5B-Instruct", repo: "onnx-community/Qwen2.5-0.5B-Instruct", standin: "qwen2-standin", vocabulary: 151936 },
    { id: "SmolLM2-135M-Instruct", repo: "HuggingFaceTB/SmolLM2-135M-Instruct", standin: "llama-standin", vocabulary: 128256 },
  ] as const;
  const BROKEN = "HuggingFaceTB/SmolLM2-360M-Instruct";
  /** The lab on BROKEN's preset, in this page's worker. */
  const BROKEN_IN_BROWSER = "model=SmolLM2-360M-Instruct&backend=browser&prompt=A%20token%20is&temperature=0";
  let hub: HubStandIn;
  test.beforeAll(async () => {
    // The app server's GLASSBOX_HUB_URL points at this port (playwright.config.ts).
    hub = await startHubStandIn(
      { ...Object.fromEntries(PRESETS.map((p) => [p.repo, standinDir(p.standin)])), [BROKEN]: standinDir("llama-standin") },
      E2E_HUB_PORT,
    );
  });
  test.afterAll(async () => {
    await hub?.close();
  });
  test.beforeEach(async ({ page }) => {
    // The browser downloads presets from huggingface.co (the page's CSP allows only that host):
    // answer those requests from the stand-in instead — a test double, as the hub cannot be
    // reached here. A download the stand-in cuts off reaches the page as a reset connection.
    await page.context().route("https://huggingface.co/**", async (route) => {
      const response = await route.fetch({ url: route.request().url().replace("https://huggingface.co/", hub.url) }).catch(() => null);
      if (!response) return route.abort("connectionreset");
      await route.fulfill({ response, headers: { ...response.headers(), "access-control-allow-origin": "*" } });
    });
  });

  for (const preset of PRESETS) {
    test(`${preset.id}'s stand-in downloads on the server and in the browser (WebAssembly, q4), both give the same distribution over ${preset.vocabulary.toLocaleString("en")} tokens, and a reload reads the browser's cache`, async ({ page }) => {
      test.setTimeout(400_000);
      const lab = new NextTokenLabPage(page);
      await lab.goto(`model=${preset.id}&prompt=A%20token%20is&temperature=0`);
      await lab.waitForDistribution();
      await expect(page.getByTestId("nt-ran-on")).toContainText("ran on server (Node)");
      await expect(page.getByTestId("nt-rest")).toContainText(`The other ${(preset.vocabulary - 20).toLocaleString("en")} tokens share`);
      const server = await lab.probabilities();
      await page.reload();
      await expect(page.getByTestId("model-facts")).toContainText(`Downloaded on the server: kept in $GLASSBOX_DATA_DIR/model-cache/${preset.repo}`);

      const downloads = () => hub.requests.get(`${preset.repo}/onnx/model_q4.onnx`) ?? 0;
      const before = downloads();
      await page.getByText("In my browser").click();
      await expect(page.getByTestId("nt-distribution")).toHaveAttribute("data-trace-backend", "wasm", { timeout: 300_000 });
      await lab.waitForDistribution();
      expect(downloads()).toBe(before + 1); // the browser's own download, through the routed hub URL
      const browser = await lab.probabilities();
      expect([...browser.keys()]).toEqual([...server.keys()]);
      for (const [id, p] of server) expect(Math.abs(browser.get(id)! - p), id).toBeLessThan(1e-3);

      // A new page load: the worker starts afresh and reads the files from Cache Storage.
      await page.reload();
      await expect(page.getByTestId("model-bar-status")).toContainText("(from the browser cache)", { timeout: 300_000 });
      await lab.waitForDistribution();
      expect(downloads()).toBe(before + 1);
    });
  }

  test("a browser download cut off midway says so plainly, and Try again downloads it whole", async ({ page }) => {
    test.setTimeout(400_000);
    const file = `${BROKEN}/onnx/model_q4.onnx`;
    hub.breakDownloads(file, 300_000);
    const lab = new NextTokenLabPage(page);
    await lab.goto(BROKEN_IN_BROWSER);
    await expect(lab.browserLoadError()).toContainText("SmolLM2-360M-Instruct: the download from huggingface.co broke off", { timeout: 300_000 });
    await expect(lab.browserLoadError()).toContainText("Nothing partial was kept");
    hub.heal(file);
    await lab.retryInBrowser();
  });

  test("a browser download shows its progress in bytes and per cent, and Cancel stops it; loading again works", async ({ page }) => {
    test.setTimeout(400_000);
    const file = `${BROKEN}/onnx/model_q4.onnx`;
    hub.slowDownloads(file, 64 * 1024, 250); // 3.6 MB at 256 KB/s: about 14 s
    const lab = new NextTokenLabPage(page);
    await lab.goto(BROKEN_IN_BROWSER);
    const progress = page.getByTestId("model-load-progress");
    await expect(progress).toContainText(/^onnx\/model_q4\.onnx: [\d.]+ (KB|MB) of [\d.]+ MB \(\d+ %\)$/, { timeout: 120_000 });
    await expect(page.getByRole("progressbar", { name: "Loading the model in your browser" })).toBeVisible();
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(lab.browserLoadError()).toContainText("the download was cancelled");
    await expect(progress).toBeHidden();
    hub.heal(file);
    await lab.retryInBrowser();
  });

  test("the tutor on Qwen2.5's stand-in: its chat template in the prompt, the window counted in its tokenizer, 151,936 tokens in the inspector", async ({ page }) => {
    test.setTimeout(400_000);
    await page.goto("/tutor");
    await page.getByRole("combobox", { name: "Model" }).selectOption("Qwen2.5-0.5B-Instruct");
    const input = page.getByLabel("Your question");
    await input.fill("What is a token?");
    await input.press("Enter");
    const reply = page.getByTestId("chat").getByTestId("assistant-message").last();
    await expect(reply).toHaveAttribute("data-status", "done", { timeout: 300_000 });
    await expect(page.getByTestId("context-meter")).toHaveAttribute("data-limit", "32768");
    await reply.getByRole("button", { name: "Inspect" }).click();
    const inspector = page.getByRole("dialog", { name: "Inspect this reply" }).getByTestId("inspector");
    await expect(inspector).toContainText("<|im_start|>");
    await expect(inspector).toContainText("Qwen2.5-0.5B-Instruct");
    await expect(inspector).toContainText("vocabulary 151,936");
  });

  test("a model the hub does not have: the browser says so in plain words", async ({ page }) => {
    hub.unpublish(BROKEN);
    try {
      const lab = new NextTokenLabPage(page);
      await lab.goto(BROKEN_IN_BROWSER);
      await expect(lab.browserLoadError()).toContainText(
        "SmolLM2-360M-Instruct: HuggingFaceTB/SmolLM2-360M-Instruct (revision main) was not found on huggingface.co.",
        { timeout: 120_000 },
      );
    } finally {
      hub.republish(BROKEN);
    }
  });
});
