import "server-only";
import { PrismaClient } from "../generated/prisma/client.ts";
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
