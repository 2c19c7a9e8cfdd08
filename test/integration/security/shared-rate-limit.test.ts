import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SharedRateLimiter, type RateLimitResult } from "@/lib/http/rate-limit";
import { tooManyAttemptsMessage } from "@/lib/auth/limits";
import { limitTokenize } from "@/lib/tokenizers/rate-limit";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";

/**
 * Rate limits shared through PostgreSQL: several app servers on one database count against
 * one limit. Needs a PostgreSQL server (TEST_POSTGRES_URL; CI sets it) — the limits are kept
 * in memory with PGlite, which the unit tests cover.
 */
const postgres = process.env.TEST_POSTGRES_URL;
if (!postgres) console.warn("shared-rate-limit.test.ts skipped: TEST_POSTGRES_URL is not set (CI sets it)");

/** Runs limit-server.ts as its own process against `databaseUrl`. */
function server(databaseUrl: string, email: string, attempts: number): Promise<RateLimitResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("test/integration/security/limit-server.ts"), email, String(attempts)], {
      env: { ...process.env, DATABASE_URL: databaseUrl, GLASSBOX_AUTH_RATE_LIMIT: "10" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`limit server exited ${code}: ${err}`))));
  });
}

// Skipped only without a PostgreSQL server (TEST_POSTGRES_URL): with PGlite the limits are in memory by design (unit-tested); CI always runs it.
describe.skipIf(!postgres)("rate limits shared through PostgreSQL", () => {
  let db: TestDatabase;
  let url: string;
  const pools: pg.Pool[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(); // migrated: the rate_limits table comes from prisma/migrations
    if (db.connection.config.kind !== "postgres") throw new Error("expected PostgreSQL");
    url = db.connection.config.url;
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await db?.close();
  });

  it("two server processes share the sign-in limit: the 11th attempt for one email is refused with Retry-After", async () => {
    const [a, b] = await Promise.all([server(url, "ada@example.com", 5), server(url, "ada@example.com", 5)]);
    expect([...a, ...b].every((r) => r.ok)).toBe(true);
    // One shared count: the ten attempts left 9, 8, …, 0 remaining, each once, however the two
    // processes interleaved. (Counted per process, each would have seen 9…5.)
    expect([...a, ...b].map((r) => r.remaining).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const [eleventh] = await server(url, "ada@example.com", 1);
    expect(eleventh!.ok).toBe(false);
    expect(eleventh!.retryAfter).toBeGreaterThan(500); // the 10-minute window, just begun
    expect(eleventh!.retryAfter).toBeLessThanOrEqual(600);
    expect(tooManyAttemptsMessage(eleventh!.retryAfter)).toMatch(/Too many attempts\. Try again in 10 minutes\./);

    // Another email has its own count.
    expect((await server(url, "grace@example.com", 1))[0]!.ok).toBe(true);
    const rows = await db.connection.sql.query<{ key: string; points: number }>('SELECT key, points FROM "rate_limits"');
    expect(rows).toContainEqual({ key: "auth-email:signin:ada@example.com", points: 11 });
  });

  it("two limiters with their own connections count together, concurrently; the refusal is the route's 429", async () => {
    const limiter = () => {
      const pool = new pg.Pool({ connectionString: url, max: 4 });
      // As the app's own pools do: an idle connection the server closes must not be an uncaught error.
      pool.on("error", () => {});
      pools.push(pool);
      return new SharedRateLimiter("tokenize-ip", 6, 60_000, pool);
    };
    const [one, two] = [limiter(), limiter()];
    const from = (ip: string) => new Request("http://localhost/api/tokenize", { method: "POST", headers: { "x-forwarded-for": ip } });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => limitTokenize(from("10.1.1.1"), i % 2 ? one : two)));
    expect(answers.filter((a) => a === null)).toHaveLength(6);
    const refused = answers.find((a) => a !== null)!;
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await refused.json()).error).toMatch(/tokenize requests from this address.*seconds/);
    expect(await limitTokenize(from("10.1.1.2"), one)).toBeNull();
  });
});
