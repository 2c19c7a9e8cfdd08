/**
 * `npm run generate` (scripts/generate.ts), run as a child process with tsx exactly as a
 * user runs it: --json prints one Trace and nothing else, equal to decode() called directly
 * with the same settings and seed; bad flags exit with code 2; the table mode shows a row
 * per token.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTrace } from "@/lib/llm/decode";
import type { LoadedModel } from "@/lib/llm/load";
import { COURSE_LM } from "@/lib/llm/registry";
import { loadRegistryModel } from "@/lib/llm/server/files";
import type { Trace } from "@/lib/llm/trace";

const TSX = path.resolve("node_modules/.bin/tsx");

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ["scripts/generate.ts", ...args], { cwd: process.cwd(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const withoutTimings = (t: Trace) => ({ ...t, timings: null });

describe("scripts/generate.ts", () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await loadRegistryModel(COURSE_LM);
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it("--json prints exactly one Trace, equal to decode() with the same seed", async () => {
    const settings = { temperature: 0.9, topK: 30, topP: 0.9, minP: 0.02, repetitionPenalty: 1.1, frequencyPenalty: 0.3, maxNewTokens: 16, seed: 77 };
    const { code, stdout, stderr } = await cli([
      "--prompt", "A language model",
      "--temperature", "0.9", "--top-k", "30", "--top-p", "0.9", "--min-p", "0.02",
      "--repetition-penalty", "1.1", "--frequency-penalty", "0.3", "--presence-penalty", "0",
      "--max-new-tokens", "16", "--seed", "77", "--json",
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout.endsWith("\n")).toBe(true);
    expect(stdout.trim().split("\n")).toHaveLength(1);
    const trace = JSON.parse(stdout) as Trace;
    expect(trace).toMatchObject({ version: 1, model: { id: "course-lm", backend: "node", revision: model.revision } });
    const direct = await generateTrace({ model, prompt: "A language model", settings });
    expect(withoutTimings(trace)).toEqual(withoutTimings(direct));
  });

  it("without --json prints the reply and one table row per token (--chat applies the chat template)", async () => {
    const { code, stdout, stderr } = await cli(["--prompt", "What is a token?", "--chat", "--greedy", "--max-new-tokens", "8"]);
    expect(code, stderr).toBe(0);
    const direct = await generateTrace({ model, messages: [{ role: "user", content: "What is a token?" }], settings: { greedy: true, maxNewTokens: 8 } });
    expect(stdout).toContain(`prompt: ${direct.prompt.tokens.length} tokens`);
    expect(stdout).toContain(direct.reply.text);
    expect(stdout).toMatch(/step\s+token\s+p\s+p final\s+rank\s+kept k\/p\/min\s+entropy\s+u/);
    const rows = stdout.split("\n").filter((line) => /^\s+\d+\s{2}"/.test(line));
    expect(rows).toHaveLength(direct.steps.length);
    direct.steps.forEach((s, i) => {
      expect(rows[i].trim().startsWith(`${s.index}  ${JSON.stringify(s.text)}`), rows[i]).toBe(true);
      expect(rows[i]).toContain(Math.exp(s.logprob).toFixed(4));
    });
    expect(stdout).toMatch(new RegExp(`finish: ${direct.finishReason} · ${direct.steps.length} tokens`));
  });

  it("--internals adds each step's attention and logit lens to the Trace (and a lens line under each row)", async () => {
    const { code, stdout, stderr } = await cli(["--prompt", "What is a token?", "--chat", "--greedy", "--max-new-tokens", "4", "--json", "--internals"]);
    expect(code, stderr).toBe(0);
    const trace = JSON.parse(stdout) as Trace;
    const P = trace.prompt.tokens.length;
    trace.steps.forEach((s) => {
      expect(s.attention).toHaveLength(4);
      expect(s.attention![0]![0]).toHaveLength(P + s.index);
      expect(s.logitLens!.at(-1)![0]!.id).toBe(s.candidates[0]!.id);
    });
    const table = await cli(["--prompt", "What is a token?", "--chat", "--greedy", "--max-new-tokens", "4", "--internals"]);
    expect(table.stdout.split("\n").filter((line) => line.trim().startsWith("lens: L0 "))).toHaveLength(trace.steps.length);
  });

  it("bad flags ⇒ exit 2, a clear message on stderr, nothing on stdout", async () => {
    const cases: [string[], RegExp][] = [
      [["--prompt", "x", "--temperature", "5"], /--temperature: temperature must be a number in \[0, 2\].*got 5/],
      [["--prompt", "x", "--top-k", "many"], /--top-k: .*got "many"/],
      [["--prompt", "x", "--max-new-tokens", "100000"], /--max-new-tokens: .*\[1, 256\]/],
      [["--prompt", "x", "--presence-penalty", "-3"], /--presence-penalty: .*got -3/],
      [["--prompt", "x", "--loud"], /Unknown option '--loud'/],
      [["--temperature", "1"], /--prompt TEXT is required/],
      [["--prompt", "x", "--model", "../../etc/passwd"], /--model: invalid model id.*known models: course-lm/],
      [["--prompt", "x", "--model", "SmolLM2-135M-Instruct", "--internals"], /--internals: SmolLM2-135M-Instruct has no internals graph/],
    ];
    // These exit before any model loads; run them side by side.
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach(({ code, stdout, stderr }, i) => {
      const [args, message] = cases[i];
      expect(code, args.join(" ")).toBe(2);
      expect(stdout, args.join(" ")).toBe("");
      expect(stderr).toMatch(message);
      expect(stderr).toContain("usage: npm run generate");
    });
  });
});
