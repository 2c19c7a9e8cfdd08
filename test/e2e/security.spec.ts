/**
 * Security headers on the production build: a Content Security Policy that allows only the
 * app's own scripts, workers and WebAssembly, no framing, nosniff, a referrer policy — and
 * the pages that start workers and compile wasm run under it without a single violation.
 */
import { expect, test } from "@playwright/test";

test("every page is served with the security headers", async ({ request }) => {
  for (const url of ["/", "/learn/level-1/04-tokens", "/playground/tokenizers", "/api/models"]) {
    const response = await request.get(url);
    const headers = response.headers();
    const csp = headers["content-security-policy"] ?? "";
    expect(csp, url).toContain("default-src 'self'");
    expect(csp, url).toContain("frame-ancestors 'none'");
    expect(csp, url).toContain("'wasm-unsafe-eval'");
    expect(csp, url).toMatch(/worker-src 'self'/);
    expect(csp, url).not.toContain("'unsafe-eval'");
    expect(headers["x-content-type-options"], url).toBe("nosniff");
    expect(headers["referrer-policy"], url).toBe("strict-origin-when-cross-origin");
    expect(headers["x-frame-options"], url).toBe("DENY");
  }
});

test("workers and WebAssembly run under the policy without violations (BPE trainer, embeddings PCA)", async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener("securitypolicyviolation", (event) => w.__violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.goto("/playground/embeddings");
  // The PCA runs in a worker: the plot appears only if the worker started under the policy.
  await expect(page.getByTestId("embedding-plot")).toBeVisible();
  await page.goto(`/playground/bpe?${new URLSearchParams({ text: "the sun is fun and the sunny sun is fun.", vocab: "270" })}`);
  await page.getByRole("button", { name: "Train", exact: true }).click();
  await expect(page.getByRole("table", { name: "Merges, in the order learned" }).locator("tbody tr").first()).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
});
