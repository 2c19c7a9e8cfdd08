import "server-only";
import { PrismaClient } from "../generated/prisma/client.ts";
import { onShutdown } from "../ops/shutdown.ts";
import { resolveDatabaseConfig } from "./config.ts";
import { openConnection, type Connection } from "./connection.ts";

/**
 * The app's Prisma client: one per process, opened on first use (never at import time, so
 * `next build` does not open the database) and kept on globalThis so Next's dev-mode module
 * reloading does not open PGlite twice — PGlite allows one instance per data directory.
 */

interface Db {
  prisma: PrismaClient;
  connection: Connection;
}

const globalForDb = globalThis as unknown as { glassboxDb?: Promise<Db> };

export function getDb(): Promise<Db> {
  globalForDb.glassboxDb ??= (async () => {
    const connection = await openConnection(resolveDatabaseConfig());
    const prisma = new PrismaClient({ adapter: connection.adapter });
    return { prisma, connection };
  })();
  return globalForDb.glassboxDb;
}

export async function getPrisma(): Promise<PrismaClient> {
  return (await getDb()).prisma;
}

/**
 * Close the app's database (shutdown): Prisma, then the connection — PGlite writes out and
 * releases its data directory, a PostgreSQL pool ends its connections. Afterwards getDb()
 * rejects (it does not reopen: a request arriving during shutdown must not reopen PGlite).
 * Returns whether a database was open.
 */
export async function closeDb(): Promise<boolean> {
  const open = globalForDb.glassboxDb;
  const closed = Promise.reject(new Error("the database is closed: the server is shutting down"));
  closed.catch(() => undefined);
  globalForDb.glassboxDb = closed;
  const db = await open?.catch(() => null);
  if (!db) return false;
  await db.prisma.$disconnect();
  await db.connection.close();
  return true;
}

// On SIGTERM, after the generations have drained (lib/ops/shutdown.ts).
onShutdown("database", "close", () => closeDb());
