import crypto from "node:crypto";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { openConnection, type Connection } from "@/lib/db/connection";
import { applyMigrations } from "@/lib/db/migrate";

/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default, or — when
 * TEST_POSTGRES_URL points at a PostgreSQL server (CI does this) — a new database created on
 * that server and dropped afterwards. Same migrations, same SQL, both ways.
 */
export interface TestDatabase {
  prisma: PrismaClient;
  connection: Connection;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_POSTGRES_URL;
  if (!serverUrl) {
    const connection = await openConnection({ kind: "pglite", dataDir: null });
    await applyMigrations(connection.sql);
    const prisma = new PrismaClient({ adapter: connection.adapter });
    return {
      prisma,
      connection,
      kind: "pglite",
      close: async () => {
        await prisma.$disconnect();
        await connection.close();
      },
    };
  }

  const name = `glassbox_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const connection = await openConnection({ kind: "postgres", url: url.toString() });
  await applyMigrations(connection.sql);
  const prisma = new PrismaClient({ adapter: connection.adapter });
  return {
    prisma,
    connection,
    kind: "postgres",
    close: async () => {
      await prisma.$disconnect();
      await connection.close().catch(() => {});
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** Makes the app's own `getDb()` singleton (used by route handlers) use `db`. */
export function useAsAppDatabase(db: TestDatabase): void {
  (globalThis as unknown as { glassboxDb?: Promise<unknown> }).glassboxDb = Promise.resolve({
    prisma: db.prisma,
    connection: db.connection,
  });
}
