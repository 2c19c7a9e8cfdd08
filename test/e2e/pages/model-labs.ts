import { expect, type Locator, type Page } from "@playwright/test";

/** Page objects for the model labs (/playground/next-token, /playground/perplexity) and model demos. */
export class NextTokenLabPage {
  constructor(readonly page: Page) {}

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/playground/next-token${query ? `?${query}` : ""}`);
  }

  distribution(): Locator {
    return this.page.getByTestId("nt-distribution");
  }

  candidates(): Locator {
    return this.page.getByTestId("nt-candidate");
  }

  chosen(): Locator {
    return this.page.getByTestId("nt-chosen");
  }

  /** The final probability of each charted candidate, by token id, once the distribution is fresh. */
  async probabilities(): Promise<Map<string, number>> {
    await expect(this.distribution()).toHaveAttribute("aria-busy", "false");
    const buttons = await this.candidates().all();
    const out = new Map<string, number>();
    for (const b of buttons) out.set((await b.getAttribute("data-token-id"))!, Number(await b.getAttribute("data-prob")));
    return out;
  }

  /** Set a slider's exact value through its number box. */
  async setSetting(label: string, value: number): Promise<void> {
    await this.page.getByRole("spinbutton", { name: `${label} (exact value)` }).fill(String(value));
  }

  /** The model bar's banner when the model cannot load in this browser. */
  browserLoadError(): Locator {
    return this.page.getByRole("alert").filter({ hasText: "could not load in this browser" });
  }

  /** "Try again" on that banner, then the distribution computed in this page's worker. */
  async retryInBrowser(): Promise<void> {
    await this.browserLoadError().getByRole("button", { name: "Try again" }).click();
    await expect(this.distribution()).toHaveAttribute("data-trace-backend", "wasm", { timeout: 300_000 });
    await this.waitForDistribution();
  }

  async waitForDistribution(): Promise<void> {
    await expect(this.candidates().first()).toBeVisible({ timeout: 240_000 });
    await expect(this.distribution()).toHaveAttribute("aria-busy", "false", { timeout: 120_000 });
  }
}

export class PerplexityLabPage {
  constructor(readonly page: Page) {}

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/playground/perplexity${query ? `?${query}` : ""}`);
  }

  panels(): Locator {
    return this.page.getByTestId("ppl-panel");
  }

  perplexities(): Locator {
    return this.page.getByTestId("ppl-perplexity");
  }
}
