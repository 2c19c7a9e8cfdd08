import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests against the production build, served by the same `npm start` script a
 * user runs, on its own port and a throw-away data directory. The browser is Debian's
 * Chromium (Playwright's own download is not reachable offline).
 */
const PORT = Number(process.env.E2E_PORT ?? 3210);
const BASE_URL = `http://localhost:${PORT}`; // Auth.js cookies are issued for localhost
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const DATA_DIR = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `glassbox-e2e-${process.pid}`);
/** Where the app downloads hub presets from in e2e: a local stand-in of the hub (scripts/lib/hub-stand-in.ts) the tests start on this port. */
export const E2E_HUB_PORT = PORT + 90;

export default defineConfig({
  testDir: "test/e2e",
  timeout: 180_000,
  // Generous waits: the first requests to a cold production server on a busy 2-core machine
  // (bcrypt, PGlite start-up, first-render compilation) can take tens of seconds.
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  // One retry: these machines are shared and a 2-core box under load can lose a race the app
  // does not (a click landing mid-render). A test that passes only on its retry is still
  // reported by name as flaky in `npm test`'s summary; one that fails twice fails the run.
  retries: 1,
  reporter: [["list"]],
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: "npx tsx scripts/app/start.ts",
    url: BASE_URL,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      GLASSBOX_DATA_DIR: DATA_DIR,
      GLASSBOX_HUB_URL: `http://127.0.0.1:${E2E_HUB_PORT}/`,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
