import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DatabaseConfig } from "./config.ts";

/** The few raw-SQL operations the migration runner needs, on either engine. */
export interface SqlRunner {
  /** Runs one or more statements (a whole migration file). */
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/** An open database: a Prisma driver adapter plus raw SQL, and how to close it. */
export interface Connection {
  config: DatabaseConfig;
  adapter: SqlMigrationAwareDriverAdapterFactory;
  sql: SqlRunner;
  close(): Promise<void>;
}

export async function openConnection(config: DatabaseConfig): Promise<Connection> {
  return config.kind === "pglite" ? openPglite(config.dataDir) : openPostgres(config.url);
}

async function openPglite(dataDir: string | null): Promise<Connection> {
  // PGlite needs the data directory's parent to exist.
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const db = new PGlite(dataDir ?? undefined);
  await db.waitReady;
  const runner = (q: Pick<PGlite, "exec" | "query">): SqlRunner => ({
    exec: async (sql) => void (await q.exec(sql)),
    query: async <Row>(sql: string, params: unknown[] = []) => (await q.query<Row>(sql, params)).rows,
    transaction: (fn) => db.transaction((tx) => fn(runner(tx))),
  });
  return {
    config: { kind: "pglite", dataDir },
    adapter: new PrismaPGlite(db),
    sql: runner(db),
    // prisma.$disconnect() does not close PGlite; without this the process never exits.
    close: () => db.close(),
  };
}

async function openPostgres(url: string): Promise<Connection> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection that PostgreSQL closes (a restart, a failover, an administrator's
  // pg_terminate_backend) makes the pool emit "error"; unheard, that event would crash the
  // whole server. The pool has already dropped that connection, and the next query opens another.
  pool.on("error", (error) => console.warn(`[db] an idle PostgreSQL connection closed: ${error.message}`));
  const sql: SqlRunner = {
    exec: async (text) => void (await pool.query(text)),
    query: async <Row>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as Row[],
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const tx: SqlRunner = {
          exec: async (text) => void (await client.query(text)),
          query: async <Row>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as Row[],
          transaction: () => Promise.reject(new Error("nested transactions are not supported")),
        };
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
  return {
    config: { kind: "postgres", url },
    adapter: new PrismaPg(pool),
    sql,
    close: () => pool.end(),
  };
}
