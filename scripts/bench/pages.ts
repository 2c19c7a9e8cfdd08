/**
 * Page weight: the JavaScript each route makes a browser download on first load (issue #13).
 *
 *   npm run bench:pages [-- --url http://localhost:3000] [--port 3295] [--details]
 *
 * Starts the production app (scripts/app/start.ts, a fresh PGlite in a temporary folder)
 * unless --url is given, opens each route in a fresh Chromium context (empty cache, signed out)
 * and sums the bytes on the wire (compressed, as `next start` serves them) of every script the
 * page loads until the network is quiet, before any interaction. A report, not a timed test:
 * byte counts do not depend on how busy the machine is. Compares each with the budget the
 * issue set (lesson ≤ 150 KB, /tutor ≤ 200 KB, / ≤ 120 KB); exit code 1 when one is over.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { startAppServer, type AppServer } from "../lib/app-server.ts";
import { findOrGetChromium } from "../test/browser.ts";

const { values } = parseArgs({ options: { url: { type: "string" }, port: { type: "string", default: "3295" }, details: { type: "boolean", default: false } } });

const KB = 1024;
/** Routes measured, with their budget in bytes (null: reported, no budget). */
const ROUTES: [route: string, budget: number | null][] = [
  ["/", 120 * KB],
  ["/learn", null],
  ["/learn/level-1/04-tokens", 150 * KB],
  ["/learn/level-1/17-temperature", 150 * KB],
  ["/learn/level-1/25-training-loop", 150 * KB],
  ["/tutor", 200 * KB],
  ["/playground/next-token", null],
  ["/playground/tokenizers", null],
  ["/progress", null],
];

async function main() {
  const found = findOrGetChromium((line) => console.error(line));
  if (!found.ok) throw new Error(found.problem);
  let server: AppServer | null = null;
  let dataDir: string | null = null;
  let base = values.url?.replace(/\/$/, "");
  if (!base) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "glassbox-pages-"));
    console.error(`starting the app on :${values.port}…`);
    server = await startAppServer({ port: Number(values.port), env: { GLASSBOX_DATA_DIR: dataDir } });
    base = server.url;
  }
  const browser = await chromium.launch({ executablePath: found.path, args: ["--no-sandbox", "--disable-gpu"] });
  let over = 0;
  try {
    console.log(`\nFirst-load JavaScript per route (compressed bytes on the wire, empty cache, signed out), ${base}`);
    console.log(`${"route".padEnd(34)} ${"scripts".padStart(7)} ${"KB".padStart(8)} ${"budget".padStart(8)}`);
    for (const [route, budget] of ROUTES) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const pending: Promise<{ url: string; bytes: number }>[] = [];
      page.on("requestfinished", (request) => {
        if (request.resourceType() === "script") pending.push(request.sizes().then((s) => ({ url: request.url(), bytes: s.responseBodySize })));
      });
      await page.goto(`${base}${route}`, { waitUntil: "networkidle" });
      const scripts = await Promise.all(pending);
      const sizes = scripts.map((s) => s.bytes);
      const bytes = sizes.reduce((a, b) => a + b, 0);
      const tooBig = budget !== null && bytes > budget;
      if (tooBig) over++;
      console.log(
        `${route.padEnd(34)} ${String(sizes.length).padStart(7)} ${(bytes / KB).toFixed(1).padStart(8)} ${budget === null ? "—".padStart(8) : `${budget / KB}`.padStart(8)}${tooBig ? "  over budget" : ""}`,
      );
      // --details: every script, largest first (to see what to split).
      if (values.details) for (const s of [...scripts].sort((a, b) => b.bytes - a.bytes)) console.log(`    ${(s.bytes / KB).toFixed(1).padStart(7)} KB  ${new URL(s.url).pathname}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exitCode = over > 0 ? 1 : 0;
}

await main();
