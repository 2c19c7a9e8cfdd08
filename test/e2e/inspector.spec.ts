/**
 * The inspector on the gallery page (/inspector-gallery), which renders real course-lm
 * traces (lib/inspector/sample-traces/) and echoes the inspector's callbacks on the page.
 */
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import type { Trace } from "@/lib/llm/trace";

const sampled = JSON.parse(readFileSync(new URL("../../lib/inspector/sample-traces/sampled.json", import.meta.url), "utf8")) as Trace;

/** Uncaught page errors and console errors (hydration problems show up there). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
  });
  return errors;
}

function gallery(page: Page) {
  const inspector = page.getByTestId("inspector");
  return {
    inspector,
    tokens: inspector.getByRole("toolbar", { name: "Reply tokens" }),
    token: (n: number) => inspector.getByRole("toolbar", { name: "Reply tokens" }).getByRole("button", { name: new RegExp(`^Step ${n}:`) }),
    step: page.getByTestId("step-detail"),
    callbacks: page.getByRole("status", { name: "Inspector callbacks" }),
  };
}

const STAGES = ["raw", "penalties", "temperature", "topK", "topP", "minP", "renormalise", "draw", "chosen"];

test("clicking a reply token shows that step's candidates and sampling pipeline", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/inspector-gallery?trace=sampled");
  const g = gallery(page);
  await expect(g.tokens.getByRole("button")).toHaveCount(sampled.steps.length);

  await g.token(4).click();
  const step = sampled.steps[3];
  await expect(g.token(4)).toHaveAttribute("aria-pressed", "true");
  await expect(g.token(1)).toHaveAttribute("aria-pressed", "false");
  await expect(g.step.getByRole("heading", { name: new RegExp(`^Step 4 of ${sampled.steps.length}`) })).toBeVisible();

  // The candidates: chart and table, every recorded candidate, the chosen one marked.
  await expect(g.step.getByRole("img", { name: /Bar chart of the top \d+ candidates/ })).toBeVisible();
  await expect(g.step.locator(".recharts-bar-rectangle").first()).toBeVisible();
  const table = g.step.getByRole("table", { name: `Top ${step.candidates.length} candidates at step 4` });
  await expect(table.locator("tbody tr")).toHaveCount(step.candidates.length);
  await expect(table.locator('tr[aria-current="true"]')).toHaveAttribute("data-candidate", String(step.tokenId));

  // The pipeline, in the applied order, with the recorded survivor counts and the draw.
  const pipeline = g.step.getByRole("list", { name: "Sampling pipeline, in the order applied" });
  expect(await pipeline.locator("[data-stage]").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.stage))).toEqual(STAGES);
  await expect(pipeline.locator('[data-stage="topK"]')).toContainText(`${step.kept.afterTopK} tokens left`);
  await expect(pipeline.locator('[data-stage="topP"]')).toContainText(`${step.kept.afterTopP} tokens left`);
  await expect(pipeline.locator('[data-stage="draw"]')).toContainText(`u = ${step.u!.toFixed(4)}`);
  await expect(pipeline.locator('[data-stage="draw"]').getByRole("img", { name: /Cumulative distribution of the kept tokens/ })).toBeVisible();
  await expect(pipeline.locator('[data-stage="renormalise"]')).toContainText(`Entropy of the final distribution ${step.entropy.toFixed(2)} nats`);
  expect(errors).toEqual([]);
});

test("arrow keys move between reply tokens, Enter and Space select, the row is one tab stop", async ({ page }) => {
  await page.goto("/inspector-gallery?trace=sampled");
  const g = gallery(page);
  const last = sampled.steps.length;
  await g.token(1).focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(g.token(3)).toBeFocused();
  await expect(g.token(3)).toHaveAttribute("tabindex", "0");
  await expect(g.token(1)).toHaveAttribute("tabindex", "-1");
  // Moving focus does not select; Enter does.
  await expect(g.step.getByRole("heading", { name: /^Step 1 of/ })).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(g.step.getByRole("heading", { name: /^Step 3 of/ })).toBeVisible();
  await expect(g.token(3)).toHaveAttribute("aria-pressed", "true");

  await page.keyboard.press("ArrowLeft");
  await expect(g.token(2)).toBeFocused();
  await page.keyboard.press("End");
  await expect(g.token(last)).toBeFocused();
  await page.keyboard.press("Space");
  await expect(g.step.getByRole("heading", { name: new RegExp(`^Step ${last} of`) })).toBeVisible();
  await page.keyboard.press("Home");
  await expect(g.token(1)).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await expect(g.token(1)).toBeFocused();

  // One tab stop: Tab leaves the row.
  await page.keyboard.press("Tab");
  await expect(g.tokens.getByRole("button").and(page.locator(":focus"))).toHaveCount(0);
});

test("Branch from here calls back with the step index and the picked token", async ({ page }) => {
  await page.goto("/inspector-gallery?trace=sampled");
  const g = gallery(page);
  await g.token(6).click();
  const picker = g.step.getByLabel("Continue step 6 with");
  const options = picker.locator("option");
  expect(await options.count()).toBe(sampled.steps[5].candidates.length - 1);
  const value = await options.nth(2).getAttribute("value");
  expect(Number(value)).not.toBe(sampled.steps[5].tokenId);
  await picker.selectOption(value!);
  await g.step.getByRole("button", { name: "Branch from here" }).click();
  await expect(g.callbacks).toContainText(`branch requested: step 5 → token ${value}`);
});

test("Replay validates the settings inline and calls back with them", async ({ page }) => {
  await page.goto("/inspector-gallery?trace=sampled");
  const g = gallery(page);
  const form = g.inspector.getByRole("form", { name: "Replay with other settings" });
  await expect(form).toContainText("Same settings and seed: the replay reproduces this reply exactly.");
  await form.getByLabel("Temperature", { exact: true }).fill("3");
  await form.getByLabel("Top-p", { exact: true }).fill("0");
  await form.getByRole("button", { name: "Replay" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "temperature must be a number in [0, 2]" })).toBeVisible();
  await expect(form.getByRole("alert").filter({ hasText: "topP must be a number in (0, 1]" })).toBeVisible();
  await expect(form.getByLabel("Temperature", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(g.callbacks).not.toContainText("replay requested");

  await form.getByLabel("Temperature", { exact: true }).fill("1.2");
  await form.getByLabel("Top-p", { exact: true }).fill("0.8");
  await form.getByLabel("Seed", { exact: true }).fill("99");
  await form.getByRole("button", { name: "Replay" }).click();
  await expect(g.callbacks).toContainText('replay requested: {"temperature":1.2,"topK":40,"topP":0.8');
  await expect(g.callbacks).toContainText('"seed":99');
});

test("a greedy step says the argmax was taken and nothing was drawn", async ({ page }) => {
  await page.goto("/inspector-gallery?trace=greedy");
  const g = gallery(page);
  await g.token(2).click();
  await expect(g.step).toContainText("greedy · argmax, no draw");
  await expect(g.step.locator('[data-stage="draw"]')).toContainText("No draw: the argmax was taken.");
  await expect(g.step.locator('[data-stage="topK"]')).toContainText("skipped");
});

test("the prompt shows special tokens, ids and the bytes of a split emoji", async ({ page }) => {
  await page.goto("/inspector-gallery?trace=bytes");
  const prompt = page.locator('[data-section="prompt"]');
  const list = prompt.getByRole("list", { name: /Prompt tokens/ });
  await expect(list.getByRole("listitem", { name: /special token <\|user\|>, id 2$/ })).toBeVisible();
  await expect(list.getByRole("listitem", { name: /byte 0xF0, id \d+, partial UTF-8/ })).toBeVisible();
  await expect(prompt.locator('[data-byte-run="🙂"]')).toContainText("U+1F642");
  await list.getByRole("listitem").first().focus();
  await page.keyboard.press("ArrowRight");
  await expect(prompt).toContainText("Token 2: <|user|> · id 2");
  const firstId = list.getByRole("listitem").first().getByText("0", { exact: true });
  await expect(firstId).toHaveCount(0);
  await prompt.getByLabel("Show ids").check();
  await expect(firstId).toBeVisible();
});

test("the surprise list selects the step it names", async ({ page }) => {
  await page.goto("/inspector-gallery?trace=sampled");
  const surprise = page.locator('[data-section="surprise"]');
  await expect(surprise).toContainText("Perplexity");
  const top = surprise.getByRole("list").last().getByRole("button").first();
  const label = (await top.textContent()) ?? "";
  const n = Number(/step (\d+)/.exec(label)![1]);
  await top.click();
  await expect(gallery(page).step.getByRole("heading", { name: new RegExp(`^Step ${n} of`) })).toBeVisible();
});

test("on a 375 px phone in dark mode: no sideways scrolling, the step panel below the reply", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, colorScheme: "dark" });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto("/inspector-gallery?trace=sampled");
  await expect(page.locator("html")).toHaveClass(/dark/);
  const g = gallery(page);
  await g.token(3).tap();
  await expect(g.step.getByRole("heading", { name: /^Step 3 of/ })).toBeVisible();
  const reply = await page.locator('[data-section="reply"]').boundingBox();
  const step = await page.locator('[data-section="step"]').boundingBox();
  expect(step!.y).toBeGreaterThan(reply!.y + reply!.height - 1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
  expect(errors).toEqual([]);
  await context.close();
});

test("an empty reply says so instead of showing a step", async ({ page }) => {
  await page.goto("/inspector-gallery?trace=aborted");
  const g = gallery(page);
  await expect(g.inspector).toContainText("0 reply tokens · stopped");
  await expect(page.locator('[data-section="reply"]')).toContainText("generation stopped before the first one");
  await expect(page.locator('[data-section="step"]')).toContainText("There is no step to inspect");
});

test("the gallery is not for search engines", async ({ page }) => {
  await page.goto("/inspector-gallery");
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
});
