/**
 * An inspector challenge end to end, on the real course-lm: lesson 18's top-p challenge opens
 * the next-token lab in the task's state, the learner reads the tokens left after top-p at
 * both temperatures, and the lesson's check agrees; a wrong answer says so and can reveal the
 * computed values; a non-number is refused in the form.
 */
import { expect, test, type Page } from "@playwright/test";
import { showDemo } from "./pages/lesson";
import { NextTokenLabPage } from "./pages/model-labs";

async function survivorsAfterTopP(lab: NextTokenLabPage): Promise<number> {
  await lab.waitForDistribution();
  const text = await lab.page.locator('[data-stage="topP"]').getByText(/tokens? left/).textContent();
  return Number(text!.match(/([\d,]+)\s+tokens? left/)![1]!.replace(/,/g, ""));
}

function challenge(page: Page) {
  return page.locator('[data-challenge="top-p-survivors"]');
}

test("lesson 18's top-p challenge: read the counts in the lab, and the lesson checks them", async ({ page, context }) => {
  test.setTimeout(300_000);
  await page.goto("/learn/level-1/18-top-k-and-top-p");
  await showDemo(page, "challenge-top-p-survivors"); // loads as the learner scrolls to it
  const card = challenge(page);
  await expect(card.getByRole("heading", { name: "Predict the nucleus, then check" })).toBeVisible();

  // The lab opens in a new tab, already at top-p 0.9 and T = 0.7.
  const [labPage] = await Promise.all([context.waitForEvent("page"), card.getByRole("link", { name: /Open the next-token lab/ }).click()]);
  const lab = new NextTokenLabPage(labPage);
  await expect(labPage).toHaveURL(/topP=0\.9/);
  const low = await survivorsAfterTopP(lab);
  await lab.setSetting("Temperature", 1.3);
  await expect(labPage).toHaveURL(/temperature=1\.3/);
  await expect.poll(() => survivorsAfterTopP(lab), { timeout: 120_000 }).not.toBe(low);
  const high = await survivorsAfterTopP(lab);
  expect(high).toBeGreaterThan(low);
  await labPage.close();

  // A non-number is refused in the form, before anything is sent.
  await card.getByLabel("Tokens left after top-p at T = 0.7").fill("many");
  await card.getByRole("button", { name: "Check" }).click();
  await expect(card.getByText("Enter a number.")).toHaveCount(2); // "many", and the empty second field

  // Swapped: both wrong; the learner may reveal what course-lm gives.
  await card.getByLabel("Tokens left after top-p at T = 0.7").fill(String(high));
  await card.getByLabel("Tokens left after top-p at T = 1.3").fill(String(low));
  await card.getByRole("button", { name: "Check" }).click();
  await expect(card.getByText(/Not yet/)).toBeVisible({ timeout: 60_000 });
  await expect(card.getByText("✗ not quite")).toHaveCount(2);
  await card.getByRole("button", { name: "Show the answer" }).click();
  await expect(card.getByText(`course-lm gives ${low}`)).toBeVisible();

  // Right: both marked right, and the method is explained.
  await card.getByLabel("Tokens left after top-p at T = 0.7").fill(String(low));
  await card.getByLabel("Tokens left after top-p at T = 1.3").fill(String(high));
  await card.getByRole("button", { name: "Check" }).click();
  await expect(card.getByText(/Correct — that is what course-lm gives/)).toBeVisible({ timeout: 60_000 });
  await expect(card.getByText("✓ right")).toHaveCount(2);
  await expect(card.getByText(/flattens the distribution/)).toBeVisible();
});
