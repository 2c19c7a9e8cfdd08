/**
 * `npm test`: every check CI runs, in order — lint, types, unit + integration (Vitest), e2e
 * (Playwright on Debian's Chromium). Runs every stage even if one fails, then prints one
 * summary line with the number of tests passed and failed.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findOrGetChromium } from "./browser.ts";
import { failureExcerpt } from "./failure-excerpt.ts";

const REPORTS = fs.mkdtempSync(path.join(os.tmpdir(), "glassbox-test-"));
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
/** The browser the e2e stage runs, found (or installed) when that stage starts: ./browser.ts. */
let chromium: string | null = null;

interface Stage {
  name: string;
  command: string[];
  /** Reads the test counts a stage wrote; stages without tests count as one check. */
  counts?: () => { passed: number; failed: number; flaky?: string[] };
  precondition?: () => string | null;
  /** Extra environment for the stage's command. */
  env?: () => Record<string, string>;
}

const vitestReport = path.join(REPORTS, "vitest.json");
const vitestPgReport = path.join(REPORTS, "vitest-postgres.json");
const playwrightReport = path.join(REPORTS, "playwright.json");

const stages: Stage[] = [
  { name: "lint", command: ["npx", "eslint", "."] },
  { name: "types", command: ["npx", "tsc", "--noEmit"] },
  {
    name: "unit",
    command: ["npx", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`],
    counts: () => {
      const r = JSON.parse(fs.readFileSync(vitestReport, "utf8"));
      return { passed: r.numPassedTests, failed: r.numFailedTests };
    },
  },
  // The DB integration suite again on a real PostgreSQL server, when one is given (CI).
  ...(process.env.TEST_POSTGRES_URL
    ? [
        {
          name: "postgres",
          command: ["npx", "vitest", "run", "test/integration", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestPgReport}`],
          counts: () => {
            const r = JSON.parse(fs.readFileSync(vitestPgReport, "utf8"));
            return { passed: r.numPassedTests, failed: r.numFailedTests };
          },
        },
      ]
    : []),
  {
    name: "e2e",
    command: ["npx", "playwright", "test", "--reporter=list,json"],
    precondition: () => {
      const found = findOrGetChromium();
      if (!found.ok) return found.problem;
      chromium = found.path;
      console.log(`› e2e browser: ${found.path} (${found.how})`);
      return null;
    },
    env: (): Record<string, string> => (chromium ? { CHROMIUM_PATH: chromium } : {}),
    counts: () => {
      const r = JSON.parse(fs.readFileSync(playwrightReport, "utf8")) as PlaywrightReport;
      return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, flaky: flakyTitles(r.suites) };
    },
  },
];

/** The parts of Playwright's JSON report read here. */
interface PlaywrightSuite {
  title: string;
  specs?: { title: string; tests: { status: string }[] }[];
  suites?: PlaywrightSuite[];
}
interface PlaywrightReport {
  stats: { expected: number; flaky: number; unexpected: number };
  suites: PlaywrightSuite[];
}

/** Tests that failed and then passed on their retry: counted as passed, but named in the summary. */
function flakyTitles(suites: PlaywrightSuite[], prefix = ""): string[] {
  return suites.flatMap((suite) => {
    const here = prefix ? `${prefix} › ${suite.title}` : suite.title;
    const specs = (suite.specs ?? []).filter((spec) => spec.tests.some((t) => t.status === "flaky")).map((spec) => `${here} › ${spec.title}`);
    return [...specs, ...flakyTitles(suite.suites ?? [], here)];
  });
}

if (!process.env.TEST_POSTGRES_URL && (only.length === 0 || only.includes("postgres"))) {
  console.log("› postgres stage skipped: TEST_POSTGRES_URL is not set (CI sets it; the integration suite still runs on PGlite)");
}

/**
 * Runs a stage's command with its output passed through as it comes, and also kept: when a stage
 * fails, the part of its output that says why is printed again at the very end, where a CI log's
 * tail — often all anyone sees of it — will show it.
 */
function runStage(stage: Stage): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(stage.command[0], stage.command.slice(1), {
      stdio: ["inherit", "pipe", "pipe"],
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport, NEXT_TELEMETRY_DISABLED: "1", ...stage.env?.() },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      output += chunk.toString();
    });
    child.on("error", (error) => resolve({ status: 1, output: `${output}\n${error.message}` }));
    child.on("close", (status) => resolve({ status, output }));
  });
}

let passed = 0;
let failed = 0;
const failures: { stage: string; excerpt: string }[] = [];
const flaky: string[] = [];
for (const stage of stages) {
  if (only.length && !only.includes(stage.name)) continue;
  const problem = stage.precondition?.();
  if (problem) {
    console.error(`\n✖ ${stage.name}: ${problem}`);
    failed += 1;
    failures.push({ stage: stage.name, excerpt: problem });
    continue;
  }
  console.log(`\n━━ ${stage.name}: ${stage.command.join(" ")}`);
  const result = await runStage(stage);
  let counts: ReturnType<NonNullable<Stage["counts"]>> = { passed: result.status === 0 ? 1 : 0, failed: result.status === 0 ? 0 : 1 };
  if (stage.counts) {
    try {
      counts = stage.counts();
      flaky.push(...(counts.flaky ?? []));
      if (result.status !== 0 && counts.failed === 0) counts.failed = 1; // crashed outside a test
    } catch {
      counts = { passed: 0, failed: 1 }; // no report: the runner itself failed
    }
  }
  passed += counts.passed;
  failed += counts.failed;
  if (result.status !== 0) failures.push({ stage: stage.name, excerpt: failureExcerpt(result.output) });
}

for (const failure of failures) console.error(`\n━━ why ${failure.stage} failed (repeated from above)\n${failure.excerpt.trim()}`);
if (flaky.length) console.warn(`\nFlaky (failed once, passed on retry — look into these):\n${flaky.map((t) => `  ${t}`).join("\n")}`);
if (failures.length) console.error(`\nFailed stages: ${failures.map((f) => f.stage).join(", ")}`);
console.log(`\ntests: ${passed} passed${flaky.length ? ` (${flaky.length} on retry)` : ""}, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
