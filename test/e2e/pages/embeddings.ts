import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { assembleEmbeddings, type CourseEmbeddings } from "@/lib/embeddings/load";

/** Page object for /playground/embeddings and the embeddings/KV/training demos in lessons. */
export class EmbeddingsLabPage {
  constructor(readonly page: Page) {}

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/playground/embeddings${query}`);
  }

  input(name: "token" | "term-a" | "term-b" | "term-c" | "expect") {
    return this.page.locator(`input[name="${name}"]`);
  }

  plot() {
    return this.page.getByTestId("embedding-plot");
  }

  neighbours() {
    return this.page.getByTestId("neighbours");
  }

  analogyResults() {
    return this.page.getByTestId("analogy-results");
  }

  /** The token texts and similarities of a results table, in order. */
  async rows(table: "neighbours" | "analogy-results"): Promise<{ token: string; similarity: number }[]> {
    const rows = this.page.getByTestId(table).locator("tbody tr");
    await expect(rows.first()).toBeVisible();
    const out: { token: string; similarity: number }[] = [];
    for (const r of await rows.all()) {
      out.push({ token: (await r.getByRole("button").textContent()) ?? "", similarity: Number(await r.getAttribute("data-similarity")) });
    }
    return out;
  }

  /** Waits until the plot is drawn (the worker's PCA finished). */
  async waitForPlot(): Promise<void> {
    await expect(this.plot()).toBeVisible();
  }
}

/** course-lm's embeddings read here in the test process from the same files the app serves. */
export function shippedEmbeddings(): CourseEmbeddings & { config: { vocab_size: number }; specialCount: number } {
  const dir = path.join(process.cwd(), "public/models/course-lm");
  const config = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
  const tokenizer = JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8"));
  const bytes = fs.readFileSync(path.join(dir, "embeddings.bin"));
  const data = assembleEmbeddings(config, tokenizer, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return { ...data, config, specialCount: data.vocab.entries.filter((e) => e.special).length };
}

export function trainingLogJson(): { final: { val_loss: number; train_loss: number } } {
  return JSON.parse(fs.readFileSync(path.join(process.cwd(), "public/models/course-lm/training-log.json"), "utf8"));
}
