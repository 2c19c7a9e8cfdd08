import { PrismaClient } from "@/lib/generated/prisma/client";
import { openConnection, type Connection } from "@/lib/db/connection";
import { applyMigrations } from "@/lib/db/migrate";
import { createPostgresDatabase } from "../../scripts/lib/app-server";

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

  // The drop waits for the pool's last sessions to close rather than terminating them (WITH
  // (FORCE)): pg-pool's end() resolves before its sockets are closed, and a session killed
  // while closing emits an error nobody listens for (it failed a CI run as an uncaught exception).
  const database = await createPostgresDatabase(serverUrl, "glassbox_test");
  const connection = await openConnection({ kind: "postgres", url: database.url });
  await applyMigrations(connection.sql);
  const prisma = new PrismaClient({ adapter: connection.adapter });
  return {
    prisma,
    connection,
    kind: "postgres",
    close: async () => {
      await prisma.$disconnect();
      await connection.close().catch(() => {});
      await database.drop();
    },
  };
}

export function useAsAppDatabase(db: TestDatabase): void {
  (globalThis as unknown as { glassboxDb?: Promise<unknown> }).glassboxDb = Promise.resolve({
    prisma: db.prisma,
    connection: db.connection,
  });
}
