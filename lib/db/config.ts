import path from "node:path";
import { DEFAULT_DATA_DIR, serverEnv } from "../env/server.ts";

/**
 * Where the data lives. One schema, two engines that speak the same SQL:
 * - PGlite (Postgres compiled to WASM, in-process) — the zero-set-up default;
 * - a real PostgreSQL server, for deployments that run several stateless app servers.
 */
export type DatabaseConfig =
  | { kind: "pglite"; dataDir: string | null } // null: in memory (tests)
  | { kind: "postgres"; url: string };

export { DEFAULT_DATA_DIR };

/**
 * `DATABASE_URL` forms:
 *   (unset)                    embedded PGlite under `$GLASSBOX_DATA_DIR/pglite` (default `data/`)
 *   postgres://… postgresql:// a PostgreSQL server
 *   pglite:memory              a throw-away in-memory PGlite
 *   pglite:PATH                PGlite stored in PATH (relative to the working directory)
 */
export function resolveDatabaseConfig(env: { DATABASE_URL?: string; GLASSBOX_DATA_DIR?: string } = serverEnv()): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) {
    const dataDir = env.GLASSBOX_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
    return { kind: "pglite", dataDir: path.resolve(dataDir, "pglite") };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: "postgres", url };
  if (url === "pglite:memory") return { kind: "pglite", dataDir: null };
  if (url.startsWith("pglite:")) return { kind: "pglite", dataDir: path.resolve(url.slice("pglite:".length)) };
  throw new Error(
    `DATABASE_URL must be postgres://…, postgresql://…, pglite:memory or pglite:PATH (got "${url.split(":")[0]}:…").`,
  );
}

/** A description safe to print: never includes a password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === "pglite") return config.dataDir ? `PGlite at ${config.dataDir}` : "PGlite in memory";
  const u = new URL(config.url);
  return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
}
