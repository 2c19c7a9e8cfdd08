import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createRateLimiter, RateLimiter, SharedRateLimiter } from "@/lib/http/rate-limit";

describe("createRateLimiter", () => {
  it("keeps the counts in memory with PGlite and shares them through PostgreSQL otherwise", () => {
    expect(createRateLimiter("t", 3, 60_000, { database: { kind: "pglite", dataDir: null } })).toBeInstanceOf(RateLimiter);
    // Creating it opens no connection.
    const shared = createRateLimiter("t", 3, 60_000, { database: { kind: "postgres", url: "postgresql://u:p@127.0.0.1:1/db" } });
    expect(shared).toBeInstanceOf(SharedRateLimiter);
    expect(shared).toMatchObject({ limit: 3, windowMs: 60_000 });
  });
});

describe("SharedRateLimiter when PostgreSQL fails", () => {
  // Nothing listens on port 1: every connection is refused.
  const pool = new pg.Pool({ connectionString: "postgresql://u:p@127.0.0.1:1/db", connectionTimeoutMillis: 500 });
  afterAll(() => pool.end());

  it("never throws: it counts in memory on this server, and says so once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const limiter = new SharedRateLimiter("auth-email", 2, 60_000, pool);
    const results = [await limiter.hit("k"), await limiter.hit("k"), await limiter.hit("k")];
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(results[2]!.retryAfter).toBeGreaterThan(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/auth-email: PostgreSQL failed.*counting in memory/);
    warn.mockRestore();
  });
});
