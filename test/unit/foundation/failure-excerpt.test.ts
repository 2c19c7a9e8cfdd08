import { describe, expect, it } from "vitest";
import { failureExcerpt } from "../../../scripts/test/failure-excerpt";

// Shapes copied from real Vitest 3 and Playwright output.
const vitestUnhandled = [
  " ✓ test/unit/a.test.ts (3 tests) 12ms",
  " ✓ test/integration/b.test.ts (2 tests) 900ms",
  "",
  "⎯⎯⎯⎯⎯⎯⎯ Unhandled Errors ⎯⎯⎯⎯⎯⎯⎯",
  "",
  "Vitest caught 1 unhandled error during the test run.",
  "error: terminating connection due to administrator command",
  " ❯ Connection.parseE node_modules/pg-protocol/src/parser.ts:369:48",
  "",
  " Test Files  2 passed (2)",
].join("\n");

describe("failureExcerpt", () => {
  it("starts at Vitest's unhandled-errors section, so the error is in the excerpt and the passing files are not", () => {
    const excerpt = failureExcerpt(vitestUnhandled);
    expect(excerpt.startsWith("⎯⎯⎯⎯⎯⎯⎯ Unhandled Errors")).toBe(true);
    expect(excerpt).toContain("terminating connection due to administrator command");
    expect(excerpt).not.toContain("a.test.ts");
  });

  it("starts at the first of Vitest's failed-tests and unhandled-errors sections, and strips colours", () => {
    const output = `ok\n\x1b[31m⎯⎯⎯ Failed Tests 2 ⎯⎯⎯\x1b[39m\n FAIL x.test.ts > adds\n${vitestUnhandled}`;
    const excerpt = failureExcerpt(output);
    expect(excerpt.startsWith("⎯⎯⎯ Failed Tests 2 ⎯⎯⎯\n FAIL x.test.ts > adds")).toBe(true);
    expect(excerpt).toContain("Unhandled Errors");
  });

  it("starts at Playwright's first numbered failure", () => {
    const output = "  ✓  1 [chromium] › a.spec.ts:3:1 › passes (1.0s)\n  ✘  2 [chromium] › b.spec.ts:9:1 › fails (2.0s)\n\n  1) [chromium] › b.spec.ts:9:1 › fails\n\n    Error: expect(received).toBe(expected)\n";
    const excerpt = failureExcerpt(output);
    expect(excerpt.startsWith("  1) [chromium] › b.spec.ts:9:1 › fails")).toBe(true);
    expect(excerpt).toContain("toBe(expected)");
  });

  it("falls back to the last lines when the output names no failure (a crash, a lint error)", () => {
    const output = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    expect(failureExcerpt(output, 6000, 3)).toBe("line 97\nline 98\nline 99");
  });

  it("cuts a long excerpt and says how much more the log holds", () => {
    const output = `⎯⎯ Unhandled Errors ⎯⎯\n${"x".repeat(500)}`;
    const excerpt = failureExcerpt(output, 100);
    expect(excerpt).toHaveLength(100 + "\n… (423 more characters in the log above)".length);
    expect(excerpt).toMatch(/… \(423 more characters in the log above\)$/);
  });
});
