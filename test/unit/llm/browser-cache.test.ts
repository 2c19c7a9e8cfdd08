/** The browser worker's freshness check for same-origin model files (lib/llm/browser/cache.ts). */
import { describe, expect, it } from "vitest";
import { sameFile } from "@/lib/llm/browser/cache";

const h = (init: Record<string, string>) => new Headers(init);

describe("sameFile", () => {
  it("trusts the ETag when both responses carry one", () => {
    expect(sameFile(h({ etag: 'W/"a-1"', "content-length": "10" }), h({ etag: 'W/"a-1"', "content-length": "10" }))).toBe(true);
    // Same size, new content (a retrained model of the same shape): the ETag tells.
    expect(sameFile(h({ etag: 'W/"a-1"', "content-length": "10" }), h({ etag: 'W/"a-2"', "content-length": "10" }))).toBe(false);
  });

  it("falls back to Last-Modified, then to the size", () => {
    expect(sameFile(h({ "last-modified": "Mon, 30 Nov 2026 01:55:40 GMT" }), h({ "last-modified": "Mon, 30 Nov 2026 01:55:40 GMT" }))).toBe(true);
    expect(sameFile(h({ "last-modified": "Mon, 30 Nov 2026 01:55:40 GMT" }), h({ "last-modified": "Tue, 01 Dec 2026 00:00:00 GMT" }))).toBe(false);
    expect(sameFile(h({ "content-length": "10" }), h({ "content-length": "11" }))).toBe(false);
    expect(sameFile(h({ "content-length": "10" }), h({ "content-length": "10" }))).toBe(true);
  });

  it("assumes a change when there is nothing to compare", () => {
    expect(sameFile(h({}), h({ etag: 'W/"a-1"' }))).toBe(false);
  });
});
