import { expect, test, type Locator, type Page } from "@playwright/test";
import { attentionFlops, formatCount, matrixFlops } from "@/lib/course/attention-cost";
import { findDemoTags } from "@/lib/course/demos";
import { getLessons } from "@/lib/course/lessons";
import { courseLmEncoder } from "@/lib/tokenizers/course-lm";
import { showDemo } from "./pages/lesson";

// The first request loads course-lm's tokenizer on the server; on a busy machine that can take a while.
test.setTimeout(180_000);

const ARCHITECTURE = "13-architecture-and-complexity";
const EXTENDING = "23-extending-context";

/** The `text` of a lesson's demo tag, as the content has it. */
function demoText(slug: string, kind: string): string {
  const lesson = getLessons().find((l) => l.slug === slug)!;
  const tag = findDemoTags(lesson.body).find((t) => t.kind === kind);
  if (!tag) throw new Error(`${slug} has no ${kind} demo`);
  return tag.props.text;
}

/** course-lm's real token ids for a text, straight from its tokenizer.json (what /api/tokenize runs). */
function courseLmIds(text: string): number[] {
  const encoder = courseLmEncoder();
  if (!encoder) throw new Error("course-lm's tokenizer is not installed");
  return encoder.encode(text);
}

function demo(page: Page, kind: string): Locator {
  return page.locator(`aside[data-demo-kind="${kind}"]`);
}

async function tokenIds(items: Locator): Promise<number[]> {
  return items.evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-token-id"))));
}

test("lesson 13's attention grid shows the text's real tokens under a causal mask, and d moves the costs", async ({ page }) => {
  await page.goto(`/learn/level-1/${ARCHITECTURE}`);
  await showDemo(page, "attention-grid");
  const d = demo(page, "attention-grid");
  const ids = courseLmIds(demoText(ARCHITECTURE, "attention-grid"));
  const T = ids.length;
  expect(T).toBeGreaterThan(4);
  expect(T).toBeLessThanOrEqual(24); // the lesson's text fits the grid whole
  await expect(d.getByTestId("token-count")).toHaveText(String(T));

  const grid = d.getByTestId("attention-grid");
  // Columns (keys) and rows (queries) are labelled with course-lm's tokens, in order.
  await expect(grid.locator("thead th[data-token-id]")).toHaveCount(T);
  expect(await tokenIds(grid.locator("thead th[data-token-id]"))).toEqual(ids);
  expect(await tokenIds(grid.locator("tbody th[data-token-id]"))).toEqual(ids);
  await expect(grid.locator("tbody th").first()).toHaveText(courseLmEncoder()!.decode([ids[0]]).replaceAll(" ", "·"));
  // The causal mask: row i sees keys 0 … i, everything to the right of the diagonal is masked.
  const masked = await grid.locator("tbody tr").evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll("td")].map((td) => td.getAttribute("data-masked") === "true")));
  expect(masked).toEqual(ids.map((_, i) => ids.map((__, j) => j > i)));
  // T(T+1)/2 pairs are left.
  await expect(d.getByTestId("pair-count")).toHaveText(String((T * (T + 1)) / 2));

  // The costs at the default width 768, then at 1,536 (slider) and 1,600 (one arrow key).
  await expect(d.getByTestId("width")).toHaveText("768");
  await expect(d.getByTestId("matrices-text")).toHaveText(formatCount(matrixFlops(T, 768)));
  await expect(d.getByTestId("attention-text")).toHaveText(formatCount(attentionFlops(T, 768)));
  await expect(d.getByTestId("crossover")).toContainText("T = 12 · d = 9,216");
  const width = d.getByRole("slider", { name: "Model width d" });
  await width.fill("1536");
  await expect(d.getByTestId("width")).toHaveText("1,536");
  await expect(d.getByTestId("matrices-text")).toHaveText(formatCount(matrixFlops(T, 1536)));
  await expect(d.getByTestId("attention-text")).toHaveText(formatCount(attentionFlops(T, 1536)));
  await expect(d.getByTestId("crossover")).toContainText("T = 12 · d = 18,432");
  await width.focus();
  await page.keyboard.press("ArrowRight");
  await expect(d.getByTestId("width")).toHaveText("1,600");
  await expect(d.getByTestId("matrices-long")).toHaveText(formatCount(matrixFlops(32_768, 1600)));
  await expect(d.getByTestId("attention-long")).toHaveText(formatCount(attentionFlops(32_768, 1600)));
  // Past the crossover attention dominates: 32,768 / (32,768 + 12 · 1,600) = 63 %.
  await expect(d.getByTestId("share-long")).toHaveText("63 %");

  // A longer text: the grid is capped at 24 tokens and says so; the costs count every token.
  const long = "Attention compares every token with every other token, so doubling the length of this paragraph would roughly quadruple the attention work needed to process it.";
  const longIds = courseLmIds(long);
  expect(longIds.length).toBeGreaterThan(24);
  await d.getByRole("textbox", { name: "Text" }).fill(long);
  await expect(d.getByTestId("token-count")).toHaveText(String(longIds.length));
  await expect(grid.locator("thead th[data-token-id]")).toHaveCount(24);
  expect(await tokenIds(grid.locator("thead th[data-token-id]"))).toEqual(longIds.slice(0, 24));
  await expect(d.getByTestId("grid-note")).toHaveText(`Showing the first 24 of ${longIds.length} tokens; the costs below count all ${longIds.length}.`);
  await expect(d.getByTestId("matrices-text")).toHaveText(formatCount(matrixFlops(longIds.length, 1600)));
});

test("lesson 13's live attention: course-lm's real weights of the text's last token, per layer and head, summing to 1, and each layer's guess", async ({ page }) => {
  await page.goto(`/learn/level-1/${ARCHITECTURE}`);
  await showDemo(page, "attention-live");
  const d = demo(page, "attention-live");
  const lesson = getLessons().find((l) => l.slug === ARCHITECTURE)!;
  const prompt = findDemoTags(lesson.body).find((t) => t.kind === "attention-live")!.props.prompt!;
  const chips = d.getByRole("group", { name: "Attention over the tokens before it" }).locator("[data-weight]");
  // The prompt's own tokens (course-lm adds none at the start of a raw prompt).
  await expect(chips).toHaveCount(courseLmIds(prompt).length, { timeout: 60_000 });
  const weights = () => chips.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-weight"))));
  const averaged = await weights();
  expect(averaged.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
  await d.getByLabel("Layer").selectOption({ label: "Layer 1" });
  await d.getByLabel("Head").selectOption({ label: "Head 7" });
  const oneHead = await weights();
  expect(oneHead).not.toEqual(averaged);
  // The lesson's claim: on the starting text this head gives about half its attention to the previous token (" the").
  expect(oneHead.at(-2)!).toBeGreaterThan(0.4);
  await expect(d.getByTestId("lens-line")).toContainText("Each layer's guess at the next token");
  await expect(d.getByTestId("lens-line").locator("code")).toHaveCount(4);
});

test("lesson 23's sliding window shows what a query sees and what a context window drops", async ({ page }) => {
  await page.goto(`/learn/level-1/${EXTENDING}`);
  await showDemo(page, "sliding-window");
  const d = demo(page, "sliding-window");
  const ids = courseLmIds(demoText(EXTENDING, "sliding-window"));
  const T = ids.length;
  expect(T).toBeGreaterThan(64);
  await expect(d.getByTestId("token-count")).toHaveText(String(T));
  const strip = d.getByTestId("query-strip").locator("button");
  await expect(strip).toHaveCount(T);
  expect(await tokenIds(strip)).toEqual(ids);

  const statuses = () => strip.evaluateAll((els) => els.map((el) => el.getAttribute("data-status")));
  const expected = (q: number, w: number) => ids.map((_, i) => (i === q ? "query" : i > q ? "future" : i > q - w ? "window" : "outside"));

  // By default the last token asks, with a window of 16.
  expect(await statuses()).toEqual(expected(T - 1, 16));
  await expect(d.getByTestId("full-count")).toHaveText(String(T));
  await expect(d.getByTestId("window-count")).toHaveText("16");
  await expect(d.getByTestId("outside-count")).toHaveText(String(T - 16));

  // Query token 30 (position 29), window 8: full attention sees 30 tokens, the window 8 (23 … 30), 22 fall outside.
  await d.getByRole("slider", { name: "Query token" }).fill("30");
  await d.getByRole("slider", { name: "Window w" }).fill("8");
  await expect(d.getByTestId("full-count")).toHaveText("30");
  await expect(d.getByTestId("window-count")).toHaveText("8");
  await expect(d.getByTestId("outside-count")).toHaveText("22");
  expect(await statuses()).toEqual(expected(29, 8));

  // Clicking a token makes it the query; so do the arrow keys and Enter.
  await strip.nth(5).click();
  await expect(strip.nth(5)).toHaveAttribute("aria-pressed", "true");
  await expect(d.getByTestId("full-count")).toHaveText("6");
  await expect(d.getByTestId("window-count")).toHaveText("6"); // the window is cut at the start
  await expect(d.getByTestId("outside-count")).toHaveText("0");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
  await expect(d.getByTestId("full-count")).toHaveText("8");
  expect(await statuses()).toEqual(expected(7, 8));

  // The context window: 64 by default drops the first T − 64 tokens, exactly those.
  const context = d.getByTestId("context-strip").locator("li");
  const dropped = () => context.evaluateAll((els) => els.map((el) => el.getAttribute("data-dropped") === "true"));
  await expect(context).toHaveCount(T);
  expect(await tokenIds(context)).toEqual(ids);
  await expect(d.getByTestId("dropped-count")).toHaveText(String(T - 64));
  expect(await dropped()).toEqual(ids.map((_, i) => i < T - 64));
  await d.getByRole("slider", { name: "Context window N" }).fill("50");
  await expect(d.getByTestId("dropped-count")).toHaveText(String(T - 50));
  expect(await dropped()).toEqual(ids.map((_, i) => i < T - 50));
  expect(await tokenIds(d.getByTestId("context-strip").locator('li[data-dropped="true"]'))).toEqual(ids.slice(0, T - 50));
  await d.getByRole("slider", { name: "Context window N" }).fill(String(T));
  await expect(d.getByTestId("dropped-count")).toHaveText("0");
});

test("lesson 23's RoPE demo: the dot product depends only on the offset", async ({ page }) => {
  await page.goto(`/learn/level-1/${EXTENDING}`);
  await showDemo(page, "rope-rotation");
  const d = demo(page, "rope-rotation");
  const m = d.getByRole("slider", { name: "Query position m" });
  const n = d.getByRole("slider", { name: "Key position n" });
  const score = d.getByTestId("rope-score");

  await m.fill("2");
  await n.fill("5");
  await expect(d.getByTestId("rope-offset")).toHaveText("3");
  await expect(score).toHaveText(/^-?\d\.\d{3}$/);
  const first = (await score.textContent())!;

  // Same offset further along: the same score.
  await m.fill("10");
  await n.fill("13");
  await expect(d.getByTestId("rope-offset")).toHaveText("3");
  await expect(score).toHaveText(first);
  await d.getByRole("button", { name: "Both on one →" }).click();
  await expect(d.getByTestId("rope-m-value")).toHaveText("11");
  await expect(d.getByTestId("rope-n-value")).toHaveText("14");
  await expect(score).toHaveText(first);
  // The table of pairs with the same offset agrees.
  await expect(d.getByTestId("rope-same-offset").locator("tbody td:nth-child(3)")).toHaveText([first, first, first]);

  // Another offset: another score.
  await n.fill("18");
  await expect(d.getByTestId("rope-offset")).toHaveText("7");
  await expect(score).not.toHaveText(first);
});

test("the new demos fit a 375 px phone in dark mode", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, colorScheme: "dark" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  for (const [slug, kinds] of [
    [ARCHITECTURE, ["attention-grid"]],
    [EXTENDING, ["rope-rotation", "sliding-window"]],
  ] as const) {
    await page.goto(`/learn/level-1/${slug}`);
    await expect(page.locator("html")).toHaveClass(/dark/);
    for (const kind of kinds) {
      await showDemo(page, kind);
      const d = demo(page, kind);
      if (kind !== "rope-rotation") await expect(d.getByTestId("token-count")).toHaveText(/^\d+$/);
      const box = await d.boundingBox();
      expect(box!.x + box!.width, `${kind} is wider than the phone`).toBeLessThanOrEqual(375);
      // A dark frame, not the light one.
      const background = await d.evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background, kind).not.toBe("rgb(255, 255, 255)");
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - 375);
    expect(overflow, `${slug} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
  }
  expect(errors).toEqual([]);
  await context.close();
});
