/**
 * `npm start`: build if the sources changed since the last build, apply migrations, serve.
 * Honours PORT (default 3000). A failed migration stops start-up with the reason.
 */
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describeDatabase, resolveDatabaseConfig } from "../../lib/db/config";
import { openConnection } from "../../lib/db/connection";
import { applyMigrations, MigrationError } from "../../lib/db/migrate";

const ROOT = process.cwd();
const DIST = path.join(ROOT, process.env.GLASSBOX_NEXT_DIR || ".next");
const STAMP = path.join(DIST, "glassbox-build-stamp");
const BUILD_INPUTS = ["app", "components", "lib", "content", "public", "prisma", "instrumentation.ts", "proxy.ts", "package-lock.json", "next.config.mjs", "postcss.config.mjs", "tsconfig.json"];

process.env.NEXT_TELEMETRY_DISABLED ??= "1";

/** Size + mtime of every build input: cheap, and changes whenever a source does. */
function sourceFingerprint(): string {
  const hash = crypto.createHash("sha256");
  const visit = (file: string) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      if (path.basename(file) === "generated") return; // Prisma client: derived from prisma/
      for (const entry of fs.readdirSync(file).sort()) visit(path.join(file, entry));
    } else {
      hash.update(`${path.relative(ROOT, file)}:${stat.size}:${stat.mtimeMs}\n`);
    }
  };
  BUILD_INPUTS.forEach((input) => visit(path.join(ROOT, input)));
  return hash.digest("hex");
}

function buildIfNeeded(): void {
  const fingerprint = sourceFingerprint();
  const built = fs.existsSync(path.join(DIST, "BUILD_ID")) && fs.readFileSync(STAMP, { encoding: "utf8", flag: "a+" }) === fingerprint;
  if (built) return;
  console.log("› Building the app (first start or sources changed)…");
  const result = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error("✖ Build failed; see the output above.");
    process.exit(result.status ?? 1);
  }
  fs.writeFileSync(STAMP, fingerprint);
}

async function migrate(): Promise<void> {
  const config = resolveDatabaseConfig();
  const connection = await openConnection(config);
  try {
    const { applied } = await applyMigrations(connection.sql);
    console.log(applied.length ? `› Applied migrations to ${describeDatabase(config)}: ${applied.join(", ")}` : `› Database: ${describeDatabase(config)} (up to date)`);
  } catch (error) {
    console.error(`✖ ${error instanceof MigrationError ? error.message : `Could not open or migrate ${describeDatabase(config)}: ${(error as Error).message}`}`);
    console.error("  The app was not started. Existing data was not changed.");
    process.exit(1);
  } finally {
    // PGlite allows one process per data directory: release it before Next opens it.
    await connection.close();
  }
}

const skipBuild = process.argv.includes("--no-build");
if (!skipBuild) buildIfNeeded();
await migrate();

const port = process.env.PORT || "3000";
console.log(`› Glassbox on http://localhost:${port}`);
// NEXT_MANUAL_SIG_HANDLE: Next leaves SIGTERM/SIGINT to the app's own graceful shutdown
// (instrumentation.ts → lib/ops/shutdown.ts: drain generations, close the database, exit).
// Next's own CLI run by this Node directly (not through npx, which does not pass a signal on:
// the server outlived a stopped `npm start`), so a signal sent here reaches the server itself.
const nextCli = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const server = spawn(process.execPath, [nextCli, "start", "-p", port], { stdio: "inherit", env: { ...process.env, NEXT_MANUAL_SIG_HANDLE: "true" } });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 0)));
