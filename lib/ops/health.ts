import "server-only";
import { getDb } from "../db/index.ts";
import { pendingMigrations, readMigrations, type Migration } from "../db/migrate.ts";
import { loadedModelIds } from "../llm/server/index.ts";
import { isShuttingDown } from "./shutdown.ts";

/**
 * GET /api/health: is this server fit to take traffic? Cheap enough for a load balancer to
 * call every second: one `SELECT 1`, plus the migrations check until it has once passed
 * (migrations only ever get applied, at start-up, so "applied" is cached); the models list
 * is read from memory and never loads one.
 *
 * 200 only when status is "ok"; 503 when the database does not answer (or answers slower
 * than PING_TIMEOUT_MS), when migrations are pending, and while shutting down.
 */

export type HealthStatus = "ok" | "database-unavailable" | "migrations-pending" | "shutting-down";

export interface HealthReport {
  status: HealthStatus;
  database: {
    reachable: boolean;
    engine: "pglite" | "postgres" | null;
    /** "unknown" when the database did not answer. */
    migrations: "applied" | "pending" | "unknown";
    /** Names of the migrations not applied, when some are pending. */
    pending?: string[];
  };
  /** Model ids loaded in this process right now. */
  models: { loaded: string[] };
}

export const PING_TIMEOUT_MS = 2_000;

interface HealthCache {
  migrations: Migration[] | null;
  migrationsApplied: boolean;
  /** Last database failure logged, so a down database is logged once, not every second. */
  loggedFailure: string | null;
}

const KEY = Symbol.for("glassbox.ops.health.v1");

function cache(): HealthCache {
  const g = globalThis as unknown as Record<symbol, HealthCache | undefined>;
  return (g[KEY] ??= { migrations: null, migrationsApplied: false, loggedFailure: null });
}

export async function checkHealth(): Promise<{ httpStatus: 200 | 503; report: HealthReport }> {
  const c = cache();
  const database: HealthReport["database"] = { reachable: false, engine: null, migrations: "unknown" };
  try {
    await withTimeout(
      (async () => {
        const { connection } = await getDb();
        database.engine = connection.config.kind;
        await connection.sql.query("SELECT 1");
        database.reachable = true;
        if (!c.migrationsApplied) {
          c.migrations ??= readMigrations();
          const pending = await pendingMigrations(connection.sql, c.migrations);
          c.migrationsApplied = pending.length === 0;
          if (pending.length > 0) database.pending = pending;
        }
        database.migrations = c.migrationsApplied ? "applied" : "pending";
      })(),
      PING_TIMEOUT_MS,
    );
    c.loggedFailure = null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The reason goes to the log (once per distinct failure), never to the client: it may name hosts.
    if (c.loggedFailure !== message) console.error("[health] database check failed:", message);
    c.loggedFailure = message;
  }

  const status: HealthStatus = isShuttingDown()
    ? "shutting-down"
    : !database.reachable
      ? "database-unavailable"
      : database.migrations !== "applied"
        ? "migrations-pending"
        : "ok";
  return {
    httpStatus: status === "ok" ? 200 : 503,
    report: { status, database, models: { loaded: loadedModelIds() } },
  };
}

/** Tests: forget the cached "migrations applied". */
export function resetHealthCacheForTests(): void {
  const c = cache();
  c.migrations = null;
  c.migrationsApplied = false;
  c.loggedFailure = null;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a late failure after the timeout is not an unhandled rejection
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
