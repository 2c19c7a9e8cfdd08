import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";

/**
 * An idle pooled connection that PostgreSQL closes (a restart, an administrator, DROP DATABASE …
 * WITH (FORCE)) must not crash the process (lib/db/connection.ts listens for the pool's "error").
 * Needs a PostgreSQL server (TEST_POSTGRES_URL; CI sets it): PGlite runs in-process, with no
 * server that could close a connection, so there is nothing to test without one.
 */
const postgres = process.env.TEST_POSTGRES_URL;
if (!postgres) console.warn("postgres-connection.test.ts: skipped: TEST_POSTGRES_URL is not set (CI sets it)");

// Skipped only without a PostgreSQL server (TEST_POSTGRES_URL): PGlite has no server to drop a connection; CI always runs it.
describe.skipIf(!postgres)("a PostgreSQL connection the server closes", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.close());

  it("an idle connection terminated by the server (a restart, an administrator) is dropped without crashing the process, and the next query reconnects", async () => {
    // Make the pool hold idle connections, then have another session terminate them.
    await Promise.all(Array.from({ length: 3 }, () => db.connection.sql.query("SELECT pg_sleep(0.05)")));
    const name = new URL(db.connection.config.kind === "postgres" ? db.connection.config.url : "").pathname.slice(1);
    const admin = new pg.Client({ connectionString: postgres });
    await admin.connect();
    try {
      const terminated = await admin.query<{ ok: boolean }>(
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        [name],
      );
      expect(terminated.rows.length).toBeGreaterThan(0);
      expect(terminated.rows.every((row) => row.ok)).toBe(true);
    } finally {
      await admin.end();
    }
    // Without an "error" listener on the pool, the terminated idle clients' errors are uncaught
    // exceptions here (Vitest fails the run, a server would exit).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [{ one }] = await db.connection.sql.query<{ one: number }>("SELECT 1 AS one");
    expect(one).toBe(1);
    expect(await db.prisma.user.count()).toBe(0);
  });
});
