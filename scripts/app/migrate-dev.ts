/** `npm run dev`: apply migrations, then hand over to `next dev`. */
import { spawn } from "node:child_process";
import { resolveDatabaseConfig } from "../../lib/db/config";
import { openConnection } from "../../lib/db/connection";
import { applyMigrations } from "../../lib/db/migrate";

const connection = await openConnection(resolveDatabaseConfig());
try {
  await applyMigrations(connection.sql);
} finally {
  await connection.close();
}
const dev = spawn("npx", ["next", "dev", ...process.argv.slice(2)], { stdio: "inherit" });
dev.on("exit", (code) => process.exit(code ?? 0));
