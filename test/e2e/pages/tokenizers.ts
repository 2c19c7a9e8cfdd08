import { expect, type Locator, type Page } from "@playwright/test";
import type { CompareTokenizerId } from "@/lib/tokenizers/catalog";

/** Page object for the tokenizer labs (/playground/tokenizers, /playground/bpe) and the lessons' tokenizer demos. */
export class TokenizerPages {
  constructor(readonly page: Page) {}

  async openComparison(text?: string) {
    await this.page.goto(text === undefined ? "/playground/tokenizers" : `/playground/tokenizers?${new URLSearchParams({ text })}`);
  }

  textBox(): Locator {
    return this.page.getByRole("textbox", { name: "Text" });
  }

  card(id: CompareTokenizerId): Locator {
    return this.page.locator(`article[data-tokenizer="${id}"]`);
  }

  /** The token count a card shows, once its answer has arrived. */
  async count(id: CompareTokenizerId): Promise<number> {
    const count = this.card(id).getByTestId("token-count");
    await expect(count).toHaveText(/^\d[\d,]*$/);
    return Number((await count.textContent())!.replaceAll(",", ""));
  }

  async openBpe(text: string, vocab: number) {
    await this.page.goto(`/playground/bpe?${new URLSearchParams({ text, vocab: String(vocab) })}`);
  }

  merges(): Locator {
    return this.page.getByRole("table", { name: "Merges, in the order learned" }).locator("tbody tr");
  }

  demo(kind: string): Locator {
    return this.page.locator(`aside[data-demo-kind="${kind}"]`);
  }
}
