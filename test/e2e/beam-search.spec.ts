/**
 * The beam-search stepper in lesson 16, against the production build on the real course-lm:
 * two steps (one by click, one by keyboard) keep B = 3 beams of real tokens, the step's
 * candidates are marked kept or pruned, the best beam is at least as probable as greedy's
 * path, and B = 1 is greedy's path exactly; then the demo on a 375 px phone in dark mode.
 * Waits are generous (a cold server on a busy machine); nothing asserts speed.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import { showDemo } from "./pages/lesson";

const LESSON = "/learn/level-1/16-greedy-decoding";

function demo(page: Page): Locator {
  return page.locator('[data-demo-kind="beam-search"]');
}

/** Lesson open, the first distribution in: the Step button is ready. */
async function openDemo(page: Page): Promise<Locator> {
  await page.goto(LESSON);
  await showDemo(page, "beam-search");
  const d = demo(page);
  await expect(d.getByTestId("beam-status")).toContainText("Press Step", { timeout: 240_000 });
  return d;
}

const logprob = async (row: Locator) => Number(await row.getAttribute("data-logprob"));

test("the beam search in lesson 16 keeps B beams of real tokens and beats or ties greedy", async ({ page }) => {
  const d = await openDemo(page);
  await expect(d.getByRole("radio", { name: "B = 3" })).toBeChecked();
  const stepButton = d.getByRole("button", { name: "Step: expand every beam" });

  await stepButton.click();
  await expect(d.getByTestId("beam-status")).toContainText("Step 1: 3 candidates, 3 kept", { timeout: 120_000 });
  await expect(d.getByTestId("beam-row")).toHaveCount(3);

  // The second step from the keyboard.
  await stepButton.focus();
  await page.keyboard.press("Enter");
  await expect(d.getByTestId("beam-status")).toContainText("Step 2: 9 candidates, 3 kept", { timeout: 120_000 });
  await expect(d.getByTestId("demo-ran-on")).toContainText("course-lm (fp32) · ran on server (Node)");

  const rows = d.getByTestId("beam-row");
  await expect(rows).toHaveCount(3);
  for (const row of await rows.all()) {
    expect((await row.getAttribute("data-token-ids"))!.split(",")).toHaveLength(2);
    expect(await logprob(row)).toBeLessThan(0);
    await expect(row).toContainText(/log P −\d/);
  }
  // Best first.
  const scores = await Promise.all((await rows.all()).map(logprob));
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  // The text of the tokens is real (not empty, not placeholders).
  const text = (await rows.first().textContent()) ?? "";
  expect(text).toContain("The weather today is");

  // 9 candidates: 3 kept, 6 pruned.
  await expect(d.locator('[data-testid="beam-candidate"][data-kept="true"]')).toHaveCount(3);
  await expect(d.locator('[data-testid="beam-candidate"][data-kept="false"]')).toHaveCount(6);

  // Greedy's two-token path beside it; the best beam is at least as probable.
  const greedy = d.getByTestId("greedy-path");
  await expect(greedy).toBeVisible();
  expect((await greedy.getAttribute("data-token-ids"))!.split(",")).toHaveLength(2);
  expect(scores[0]).toBeGreaterThanOrEqual((await logprob(greedy)) - 1e-9);
  await expect(d.getByTestId("beam-vs-greedy")).toBeVisible();

  // B = 1 replays the search with one beam: exactly greedy's path.
  await d.getByRole("radio", { name: "B = 1" }).check();
  await expect(d.getByTestId("beam-status")).toContainText("Step 2: 1 candidate, 1 kept", { timeout: 120_000 });
  await expect(rows).toHaveCount(1);
  expect(await rows.first().getAttribute("data-token-ids")).toBe(await greedy.getAttribute("data-token-ids"));
  expect(await logprob(rows.first())).toBeCloseTo(await logprob(greedy), 9);
  await expect(d.getByTestId("beam-vs-greedy")).toContainText("Beam #1 is the greedy path");

  // Reset goes back to the prompt alone.
  await d.getByRole("button", { name: "Reset" }).click();
  await expect(d.getByTestId("beam-status")).toContainText("Press Step");
  await expect(rows).toHaveCount(0);
});

test("the beam search fits a 375 px phone in dark mode", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, colorScheme: "dark" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const d = await openDemo(page);
  await expect(page.locator("html")).toHaveClass(/dark/);
  await d.getByRole("radio", { name: "B = 4" }).check();
  for (const n of [1, 2]) {
    await d.getByRole("button", { name: "Step: expand every beam" }).tap();
    await expect(d.getByTestId("beam-status")).toContainText(`Step ${n}:`, { timeout: 120_000 });
  }
  await expect(d.getByTestId("beam-row")).toHaveCount(4);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - 375);
  expect(overflow, `the lesson scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
  const box = await d.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(375);
  expect(errors).toEqual([]);
  await context.close();
});
