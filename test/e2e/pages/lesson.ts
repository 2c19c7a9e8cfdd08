import { expect, type Page } from "@playwright/test";

/**
 * Lesson demos and challenges load when the learner scrolls near them
 * (components/ui/on-view.tsx). These helpers scroll the way a learner does — the window, not
 * Playwright's actionability checks, which race with a placeholder that mounts (and leaves the
 * DOM) the moment it is seen — and keep scrolling until nothing is left as a placeholder: a
 * scroll made before the page has hydrated is undone by it (the window returns to the top), so
 * one scroll is not enough.
 */
export async function showDemo(page: Page, kind: string): Promise<void> {
  const left = page.locator(`[data-on-view="${kind}"], [data-demo-kind="${kind}"] [data-on-view]`);
  await expect
    .poll(
      async () => {
        await page.evaluate((kind) => {
          const target = document.querySelector(`[data-on-view="${kind}"]`) ?? document.querySelector(`[data-demo-kind="${kind}"]`);
          target?.scrollIntoView({ block: "center" });
        }, kind);
        await page.waitForTimeout(100);
        return left.count();
      },
      { timeout: 30_000, message: `the ${kind} demo never loaded` },
    )
    .toBe(0);
}

/** Every lazily loaded demo and challenge of the page, mounted: scroll to each placeholder in turn. */
export async function showAllDemos(page: Page): Promise<void> {
  const left = page.locator("[data-on-view]");
  await expect
    .poll(
      async () => {
        await page.evaluate(() => document.querySelector("[data-on-view]")?.scrollIntoView({ block: "center" }));
        await page.waitForTimeout(100);
        return left.count();
      },
      { timeout: 30_000, message: "some demo never loaded" },
    )
    .toBe(0);
  await page.evaluate(() => window.scrollTo(0, 0));
}
