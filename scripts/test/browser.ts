/**
 * `npm test` finds or gets the browser its e2e stage needs, so that on a fresh machine the
 * README's two commands are all the set-up. In order:
 *
 *   1. CHROMIUM_PATH, when set (a path that does not exist is an error, not a fallback);
 *   2. Debian's chromium package (/usr/bin/chromium), which the project is tested with;
 *   3. Playwright's own Chromium: already downloaded, or downloaded now where the network allows;
 *   4. as root with apt-get: `apt-get install -y chromium`;
 *
 * each step saying in one line what it does; otherwise one line on how to get a browser.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

export type BrowserLookup = { ok: true; path: string; how: string } | { ok: false; problem: string };

/** Playwright's own Chromium, where playwright-core would look for it (it may not be downloaded). */
function playwrightChromium(): string | null {
  try {
    const { chromium } = createRequire(import.meta.url)("playwright-core") as { chromium: { executablePath(): string } };
    return chromium.executablePath();
  } catch {
    return null;
  }
}

const run = (command: string, args: string[], timeoutMs: number) =>
  spawnSync(command, args, { stdio: ["ignore", "ignore", "inherit"], timeout: timeoutMs, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;

export function findOrGetChromium(say: (line: string) => void = (line) => console.log(line)): BrowserLookup {
  const given = process.env.CHROMIUM_PATH;
  if (given) return fs.existsSync(given) ? { ok: true, path: given, how: "CHROMIUM_PATH" } : { ok: false, problem: `CHROMIUM_PATH is set to ${given}, which does not exist.` };
  if (fs.existsSync(DEBIAN_CHROMIUM)) return { ok: true, path: DEBIAN_CHROMIUM, how: "Debian's chromium" };

  const bundled = playwrightChromium();
  if (bundled && fs.existsSync(bundled)) return { ok: true, path: bundled, how: "Playwright's Chromium" };
  if (bundled) {
    say("› no Chromium found: downloading Playwright's (npx playwright install chromium)");
    if (run("npx", ["playwright", "install", "chromium"], 5 * 60_000) && fs.existsSync(bundled)) return { ok: true, path: bundled, how: "Playwright's Chromium, downloaded" };
  }

  const root = process.getuid?.() === 0;
  const apt = fs.existsSync("/usr/bin/apt-get");
  if (root && apt) {
    say("› no Chromium found: installing Debian's (apt-get install -y chromium)");
    // A fresh image may have no package lists yet: update them once if the first try fails.
    if (run("apt-get", ["install", "-y", "-q", "chromium"], 10 * 60_000) || (run("apt-get", ["update", "-q"], 5 * 60_000) && run("apt-get", ["install", "-y", "-q", "chromium"], 10 * 60_000))) {
      if (fs.existsSync(DEBIAN_CHROMIUM)) return { ok: true, path: DEBIAN_CHROMIUM, how: "Debian's chromium, installed now" };
    }
  }
  return {
    ok: false,
    problem: `No Chromium for the e2e tests: install Debian's with \`sudo apt-get install -y chromium\`, or run \`npx playwright install chromium\`, or set CHROMIUM_PATH.`,
  };
}
