import "dotenv/config";
import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma 7's CLI downloads its native schema engine on every command, even `generate`,
// from a host that is unreachable offline. `generate` only needs the path to exist, so we
// point it at a stand-in that explains how migrations work in this project.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("scripts/db/no-schema-engine.sh");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
