import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { SqlRunner } from "./connection.ts";

/**
 * A small migration runner compatible with `prisma migrate deploy`.
 *
 * Prisma 7's `migrate` needs a native schema engine that cannot be downloaded offline, so
 * Glassbox applies its migrations itself: the folders stay in Prisma's standard format and
 * the bookkeeping table is Prisma's own `_prisma_migrations` (same columns, sha256
 * checksums), so `prisma migrate deploy` works unchanged wherever the native engine exists.
 */

export const MIGRATIONS_DIR = path.resolve("prisma/migrations");

/** Any constant works; it serialises concurrent app servers migrating the same database. */
const ADVISORY_LOCK_KEY = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration?: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  if (!fs.existsSync(/*turbopackIgnore: true*/ dir)) return [];
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!fs.existsSync(file)) return [];
      const sql = fs.readFileSync(file, "utf8");
      return [{ name, sql, checksum: sha256(sql) }];
    });
}

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrateResult {
  applied: string[];
  /** Migrations whose file changed after it was applied (Prisma warns about these too). */
  modified: string[];
}

/**
 * Applies every migration not yet recorded, each in its own transaction: a failing
 * migration rolls back completely (Postgres DDL is transactional), so the data that was
 * there stays intact and start-up stops with the migration's name and the database error.
 * Applying twice is a no-op.
 */
export async function applyMigrations(sql: SqlRunner, migrations = readMigrations()): Promise<MigrateResult> {
  // Under the same lock as the migrations: two servers starting at once on an empty PostgreSQL
  // database race on CREATE TABLE IF NOT EXISTS (it is not atomic: "duplicate key value violates
  // unique constraint pg_type_typname_nsp_index"), which test/e2e/two-servers.spec.ts hit in CI.
  await sql.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [ADVISORY_LOCK_KEY]);
    await tx.exec(CREATE_TABLE);
  });
  const result: MigrateResult = { applied: [], modified: [] };

  for (const migration of migrations) {
    const outcome = await sql.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [ADVISORY_LOCK_KEY]);
      const rows = await tx.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE migration_name = $1`,
        [migration.name],
      );
      const live = rows.filter((row) => row.rolled_back_at === null);
      if (live.some((row) => row.finished_at === null)) {
        throw new MigrationError(
          `Migration ${migration.name} is recorded as failed in _prisma_migrations. ` +
            `Fix the database by hand, then mark it rolled back (set rolled_back_at) and start again.`,
          migration.name,
        );
      }
      if (live.length > 0) return live[0].checksum === migration.checksum ? "present" : "modified";

      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new MigrationError(
          `Migration ${migration.name} failed and was rolled back; no data was changed. ` +
            `Database said: ${error instanceof Error ? error.message : String(error)}`,
          migration.name,
        );
      }
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [crypto.randomUUID(), migration.checksum, migration.name],
      );
      return "applied";
    });
    if (outcome === "applied") result.applied.push(migration.name);
    if (outcome === "modified") result.modified.push(migration.name);
  }
  return result;
}

/**
 * The migrations in `migrations` that the database has not recorded as applied (finished,
 * not rolled back): all of them when `_prisma_migrations` does not exist yet. Read-only, one
 * or two small queries; throws when the database cannot be queried.
 */
export async function pendingMigrations(sql: SqlRunner, migrations = readMigrations()): Promise<string[]> {
  const [{ present }] = await sql.query<{ present: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
  if (!present) return migrations.map((m) => m.name);
  const rows = await sql.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const applied = new Set(rows.map((row) => row.migration_name));
  return migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
}

function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}
