import { expect, test, type Page } from "@playwright/test";
import { analogy, nearestNeighbours, row } from "@/lib/embeddings/matrix";
import { displayText, lookupToken } from "@/lib/embeddings/vocab";
import { EmbeddingsLabPage, shippedEmbeddings, trainingLogJson } from "./pages/embeddings";
import { showDemo } from "./pages/lesson";

const shipped = shippedEmbeddings();
const candidates = shipped.vocab.entries.filter((e) => !e.special).map((e) => e.id);
const label = (id: number) => displayText(shipped.vocab.entries[id].text);

/** The app's answers, computed here from the files (the page must agree with the library). */
function expectedNeighbours(query: string) {
  const q = lookupToken(shipped.vocab, query)!;
  return nearestNeighbours(shipped.matrix, row(shipped.matrix, q.id), { k: 10, exclude: [q.id], candidates });
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

test("the embeddings lab loads the matrix, plots every token, and finds neighbours", async ({ page }) => {
  const errors = watchErrors(page);
  const lab = new EmbeddingsLabPage(page);
  await lab.goto();
  await expect(page.getByTestId("emb-shape")).toHaveText(`${shipped.matrix.rows.toLocaleString("en-US")} tokens × ${shipped.matrix.dim} numbers`);
  await lab.waitForPlot();
  await expect(lab.plot()).toHaveAttribute("data-points", String(shipped.config.vocab_size - shipped.specialCount));
  await expect(page.getByTestId("emb-variance")).toContainText("of the variance");

  await lab.input("token").fill("·model");
  await expect(page.getByTestId("token-match")).toContainText(`id ${lookupToken(shipped.vocab, " model")!.id}`);
  const rows = await lab.rows("neighbours");
  const expected = expectedNeighbours(" model");
  expect(rows.map((r) => r.token)).toEqual(expected.map((n) => label(n.id)));
  for (let i = 0; i < rows.length; i++) expect(rows[i].similarity).toBeCloseTo(expected[i].similarity, 5);
  // The searched token is highlighted on the plot.
  await expect(lab.plot().locator(`[data-role="query"][data-token-id="${lookupToken(shipped.vocab, " model")!.id}"]`)).toHaveCount(1);
  expect(errors).toEqual([]);
});

test("vector arithmetic returns the library's answer, and the URL state survives a reload", async ({ page }) => {
  const lab = new EmbeddingsLabPage(page);
  await lab.goto();
  await expect(page.getByTestId("emb-shape")).toBeVisible();
  const [a, b, c] = ["·tokens", "·token", "·word"];
  await lab.input("term-a").fill(a);
  await lab.input("term-b").fill(b);
  await lab.input("term-c").fill(c);
  await lab.input("token").fill("·vocabulary");
  const ids = [a, b, c].map((t) => lookupToken(shipped.vocab, t)!.id);
  const expected = analogy(shipped.matrix, { a: ids[0], b: ids[1], c: ids[2] }, { k: 10, candidates }).neighbours;
  const results = await lab.rows("analogy-results");
  expect(results.map((r) => r.token)).toEqual(expected.map((n) => label(n.id)));
  for (const r of results) expect(ids.map(label)).not.toContain(r.token);

  await expect(page).toHaveURL(/[?&]a=%C2%B7tokens/);
  await page.reload();
  await expect(lab.input("term-a")).toHaveValue(a);
  await expect(lab.input("term-c")).toHaveValue(c);
  await expect(lab.input("token")).toHaveValue("·vocabulary");
  expect((await lab.rows("analogy-results")).map((r) => r.token)).toEqual(expected.map((n) => label(n.id)));
  expect((await lab.rows("neighbours")).map((r) => r.token)).toEqual(expectedNeighbours(" vocabulary").map((n) => label(n.id)));
});

test("an unknown token says so instead of listing neighbours", async ({ page }) => {
  const lab = new EmbeddingsLabPage(page);
  await lab.goto("?q=zzzqqq");
  await expect(page.getByTestId("token-match")).toHaveText("not a token in course-lm's vocabulary");
  await expect(lab.neighbours()).toHaveCount(0);
});

test("the lesson's embedding-map demo plots its words with a cosine table", async ({ page }) => {
  await page.goto("/learn/level-1/07-embeddings");
  await showDemo(page, "embedding-map");
  const demo = page.locator('[data-demo-kind="embedding-map"]');
  await expect(demo.getByTestId("embedding-plot")).toBeVisible();
  // tokens="king,queen,man,woman,apple,orange,cat,dog": one labelled point per word.
  await expect(demo.getByTestId("embedding-plot").locator("[data-role=word]")).toHaveCount(8);
  await expect(demo.getByTestId("cosine-table").locator("tbody tr")).toHaveCount(8);
  await expect(demo.getByRole("link", { name: "Open in the playground" })).toHaveAttribute("href", /\/playground\/embeddings\?q=/);
});

test("the KV-cache calculator gives 1 GiB for Llama 3 8B at 8,192 tokens in fp16", async ({ page }) => {
  await page.goto("/learn/level-1/22-kv-cache");
  await showDemo(page, "kv-cache-calculator");
  const demo = page.locator('[data-demo-kind="kv-cache-calculator"]');
  await demo.getByRole("button", { name: "Llama 3 8B" }).click();
  await expect(demo.getByLabel("Sequence length (tokens)")).toHaveValue("8192");
  await expect(demo.getByLabel("Batch (sequences)")).toHaveValue("1");
  await expect(demo.getByLabel("Bytes per value")).toHaveValue("fp16");
  await expect(demo.getByTestId("kv-size")).toHaveText("1 GiB");
  await expect(demo.getByTestId("kv-formula")).toContainText("= 1,073,741,824 bytes");
  // Doubling the batch doubles the cache.
  await demo.getByLabel("Batch (sequences)").fill("2");
  await expect(demo.getByTestId("kv-size")).toHaveText("2 GiB");
});

test("the training-curve demo shows the real run's final loss from the log", async ({ page }) => {
  const log = trainingLogJson();
  await page.goto("/learn/level-1/25-training-loop");
  await showDemo(page, "training-curve");
  const demo = page.locator('[data-demo-kind="training-curve"]');
  await expect(demo.getByTestId("final-val-loss")).toHaveText(log.final.val_loss.toFixed(3));
  await expect(demo.getByTestId("final-train-loss")).toHaveText(log.final.train_loss.toFixed(3));
  await expect(demo.getByTestId("final-val-ppl")).toHaveText(Math.exp(log.final.val_loss).toFixed(1));
  await expect(demo.getByTestId("loss-chart").locator("path.recharts-curve").first()).toBeVisible();
  await expect(demo.getByTestId("lr-chart").locator("path.recharts-curve").first()).toBeVisible();
  await demo.getByLabel("tokens seen").check();
  await expect(demo.getByTestId("loss-chart")).toContainText("Tokens seen");
});
