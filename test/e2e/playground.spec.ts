/**
 * The playground as a whole: the index links every lab, and every lab fits a 375 px phone
 * in dark mode once its content has loaded (no sideways scrolling).
 */
import { expect, test } from "@playwright/test";
import { LABS } from "../../lib/playground/labs";

test("the playground index links every lab", async ({ page }) => {
  await page.goto("/playground");
  for (const lab of LABS) await expect(page.getByRole("link", { name: new RegExp(lab.title) })).toHaveAttribute("href", `/playground/${lab.slug}`);
});

test("every lab fits a 375 px phone in dark mode", async ({ browser }) => {
  test.setTimeout(300_000);
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, colorScheme: "dark" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  for (const lab of LABS) {
    await page.goto(`/playground/${lab.slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.locator("html")).toHaveClass(/dark/);
    // Let the lab's first results arrive (requests, workers) before measuring.
    await page.waitForLoadState("networkidle");
    // Against the 375 px we asked for, not window.innerWidth: a mobile browser widens its
    // layout viewport (zooming out) to fit content that is too wide, hiding the overflow.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - 375);
    expect(overflow, `${lab.slug} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
  }
  expect(errors).toEqual([]);
  await context.close();
});
