import { expect, test } from "@playwright/test";
import { COMPARE_TOKENIZER_IDS } from "@/lib/tokenizers/catalog";
import { TokenizerPages } from "./pages/tokenizers";
import { showDemo } from "./pages/lesson";

// The first request loads every tokenizer on the server (Gemma's 33 MB vocabulary among
// them); on a busy 2-core machine that can take a while, hence the long waits.
test.setTimeout(240_000);

test("the comparison shows every tokenizer's count for a text, offline", async ({ page }) => {
  const lab = new TokenizerPages(page);
  await lab.openComparison("hello world");
  const counts = new Map<string, number>();
  for (const id of COMPARE_TOKENIZER_IDS) counts.set(id, await lab.count(id));
  expect(counts.size).toBeGreaterThanOrEqual(7);
  // GPT-2 splits "hello world" as "hello" + " world" (ids 31373, 995).
  expect(counts.get("gpt2")).toBe(2);
  await expect(lab.card("gpt2").locator("[data-token-id]")).toHaveCount(2);
  await expect(lab.card("gpt2").locator('[data-token-id="31373"]')).toBeVisible();
  await expect(page.getByRole("figure", { name: "Token counts by tokenizer" })).toBeVisible();
});

test("editing the text updates the URL, and a reload keeps it", async ({ page }) => {
  const lab = new TokenizerPages(page);
  await lab.openComparison();
  await lab.textBox().fill("こんにちは世界 🤖");
  await expect(page).toHaveURL(/text=%E3%81%93/);
  const gpt2 = await lab.count("gpt2");
  const gpt4o = await lab.count("gpt-4o");
  expect(gpt2).toBeGreaterThan(gpt4o); // GPT-2 spends bytes on Japanese
  // The emoji's bytes show as bytes in GPT-2, never as "�".
  await expect(lab.card("gpt2")).toContainText("<0x");
  await expect(lab.card("gpt2")).not.toContainText("\uFFFD");
  await page.reload();
  await expect(lab.textBox()).toHaveValue("こんにちは世界 🤖");
  expect(await lab.count("gpt2")).toBe(gpt2);
});

test("the text box takes typing only once the page is live: read-only in the server's HTML, editable after hydration", async ({ page, request }) => {
  // A keystroke before hydration would be overwritten as React takes the box over.
  const html = await (await request.get("/playground/tokenizers")).text();
  const box = html.match(/<textarea[^>]*id="tok-text"[^>]*>/)?.[0];
  expect(box).toMatch(/\sreadonly(=""|\s|>)/i);
  const lab = new TokenizerPages(page);
  await lab.openComparison();
  await expect(lab.textBox()).toBeEditable();
});

test("the chat-template toggle shows each template's special tokens", async ({ page }) => {
  const lab = new TokenizerPages(page);
  await page.goto("/playground/tokenizers?text=hi&tok=course-lm,gpt2,llama3&chat=1");
  await expect(lab.card("llama3")).toContainText("<|start_header_id|>");
  await expect(lab.card("course-lm")).toContainText("<|assistant|>");
  await expect(lab.card("gpt2")).toContainText("no chat template");
  await expect(lab.card("gemma3")).toHaveCount(0); // not selected
});

test("the BPE lab trains on a short text, lists merges and compares with course-lm", async ({ page }) => {
  const lab = new TokenizerPages(page);
  await lab.openBpe("the sun is fun and the sunny sun is fun. sunny, funny, sung: the fun sun.", 280);
  await page.getByRole("button", { name: "Train", exact: true }).click();
  await expect(page.getByText(/Learned \d+ merges/)).toBeVisible();
  expect(await lab.merges().count()).toBeGreaterThan(3);
  await expect(lab.merges().first()).toContainText("→");
  await expect(page.getByTestId("bpe-count")).toHaveText(/^\d+ tokens$/);
  await expect(page.getByTestId("course-lm-count")).toHaveText(/^\d+ tokens$/);
  // Replaying zero merges leaves the text as bytes: more tokens than with every merge.
  const all = Number(await page.getByTestId("replay-count").textContent());
  await page.getByRole("slider", { name: "Replay merges" }).fill("0");
  await expect(page.getByTestId("replay-count")).not.toHaveText(String(all));
  expect(Number(await page.getByTestId("replay-count").textContent())).toBeGreaterThan(all);
});

test("a lesson's tokenizer demo shows course-lm's real tokens", async ({ page }) => {
  const lab = new TokenizerPages(page);
  await page.goto("/learn/level-1/04-tokens");
  await showDemo(page, "tokenizer");
  const demo = lab.demo("tokenizer");
  await expect(demo.getByTestId("token-count")).toHaveText(/^\d+$/);
  const n = Number(await demo.getByTestId("token-count").textContent());
  expect(n).toBeGreaterThan(3);
  await expect(demo.locator("[data-token-id]")).toHaveCount(n);
});
