import path from "node:path";
import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/lib/auth/client";
import { signUpSchema } from "@/lib/auth/credentials";
import { RateLimiter } from "@/lib/http/rate-limit";
import { describeDatabase, resolveDatabaseConfig } from "@/lib/db/config";

describe("resolveDatabaseConfig", () => {
  it("defaults to embedded PGlite under data/", () => {
    expect(resolveDatabaseConfig({})).toEqual({ kind: "pglite", dataDir: path.resolve("data/pglite") });
    expect(resolveDatabaseConfig({ GLASSBOX_DATA_DIR: "/tmp/gb" })).toEqual({ kind: "pglite", dataDir: "/tmp/gb/pglite" });
  });

  it("picks PostgreSQL for postgres URLs and PGlite for pglite: URLs", () => {
    expect(resolveDatabaseConfig({ DATABASE_URL: "postgresql://u:p@db:5432/app" })).toEqual({ kind: "postgres", url: "postgresql://u:p@db:5432/app" });
    expect(resolveDatabaseConfig({ DATABASE_URL: "pglite:memory" })).toEqual({ kind: "pglite", dataDir: null });
    expect(resolveDatabaseConfig({ DATABASE_URL: "pglite:./x" })).toEqual({ kind: "pglite", dataDir: path.resolve("x") });
  });

  it("refuses other URLs with a message that names the accepted forms", () => {
    expect(() => resolveDatabaseConfig({ DATABASE_URL: "mysql://x" })).toThrow(/postgres:\/\/.*pglite:memory/);
  });

  it("never prints a password", () => {
    expect(describeDatabase({ kind: "postgres", url: "postgres://user:secret@db:6543/app" })).toBe("PostgreSQL at db:6543/app");
  });
});

describe("RateLimiter", () => {
  it("allows `limit` hits per window, then refuses with the seconds left", () => {
    let now = 0;
    const limiter = new RateLimiter(3, 60_000, () => now);
    expect([1, 2, 3].map(() => limiter.hit("k").ok)).toEqual([true, true, true]);
    now = 15_000;
    expect(limiter.hit("k")).toEqual({ ok: false, retryAfter: 45, remaining: 0 });
    expect(limiter.hit("other").ok).toBe(true);
    now = 60_000;
    expect(limiter.hit("k").ok).toBe(true);
  });
});

describe("signUpSchema", () => {
  it("normalises email case and whitespace", () => {
    expect(signUpSchema.parse({ name: " Ada ", email: "  Ada@Example.COM ", password: "12345678" })).toEqual({
      name: "Ada",
      email: "ada@example.com",
      password: "12345678",
    });
  });

  it("refuses passwords bcrypt would silently truncate", () => {
    expect(signUpSchema.safeParse({ name: "A", email: "a@b.co", password: "é".repeat(40) }).success).toBe(false);
  });
});

describe("safeCallbackUrl", () => {
  it.each([
    ["/progress", "/progress"],
    ["/learn/level-1/04-tokens?x=1", "/learn/level-1/04-tokens?x=1"],
    ["https://evil.example", "/learn"],
    ["//evil.example", "/learn"],
    ["/\\evil.example", "/learn"],
    [null, "/learn"],
  ])("%s → %s", (input, expected) => {
    expect(safeCallbackUrl(input)).toBe(expected);
  });
});
