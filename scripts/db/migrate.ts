/**
 * npm run db:migrate                   apply pending migrations to the configured database
 * npm run db:migration:new -- NAME     write prisma/migrations/<timestamp>_NAME/migration.sql
 *                                      from the difference between the migrations and the schema
 */
import fs from "node:fs";
import path from "node:path";
import { describeDatabase, resolveDatabaseConfig } from "../../lib/db/config";
import { openConnection } from "../../lib/db/connection";
import { applyMigrations, MIGRATIONS_DIR, MigrationError } from "../../lib/db/migrate";
import { diffDatabaseAgainstSchema } from "./schema-engine";

const SCHEMA = path.resolve("prisma/schema.prisma");

async function deploy(): Promise<void> {
  const config = resolveDatabaseConfig();
  const connection = await openConnection(config);
  try {
    const { applied, modified } = await applyMigrations(connection.sql);
    for (const name of modified) console.warn(`warning: migration ${name} was edited after it was applied`);
    console.log(
      applied.length
        ? `Applied ${applied.length} migration(s) to ${describeDatabase(config)}: ${applied.join(", ")}`
        : `${describeDatabase(config)} is up to date.`,
    );
  } finally {
    await connection.close();
  }
}

async function create(rawName: string | undefined): Promise<void> {
  const name = (rawName ?? "").toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
  if (!name) throw new Error("Give the migration a name: npm run db:migration:new -- add_lesson_notes");

  // Replay the existing migrations into a scratch in-memory database, then diff it against
  // the schema: what remains is exactly the new migration.
  const scratch = await openConnection({ kind: "pglite", dataDir: null });
  try {
    await applyMigrations(scratch.sql);
    const sql = await diffDatabaseAgainstSchema(scratch.adapter, SCHEMA);
    if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
      console.log("The schema matches the migrations: nothing to do.");
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    const lock = path.join(MIGRATIONS_DIR, "migration_lock.toml");
    if (!fs.existsSync(lock)) fs.writeFileSync(lock, 'provider = "postgresql"\n');
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql — review it, then npm run db:migrate.`);
  } finally {
    await scratch.close();
  }
}

const [command, arg] = process.argv.slice(2);
try {
  if (command === "deploy") await deploy();
  else if (command === "new") await create(arg);
  else throw new Error(`unknown command "${command}" (use deploy or new)`);
  process.exit(0); // pg's pool keeps timers alive for a while; we are done.
} catch (error) {
  console.error(error instanceof MigrationError ? `Migration failed: ${error.message}` : `Error: ${(error as Error).message}`);
  process.exit(1);
}
