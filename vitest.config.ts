import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    environment: "node",
    // The real model and real databases are slow to start on 2 cores; no test asserts time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One file at a time per core keeps PGlite and onnxruntime from starving each other.
    maxWorkers: 2,
    setupFiles: ["test/setup/server-only.ts"],
  },
});
