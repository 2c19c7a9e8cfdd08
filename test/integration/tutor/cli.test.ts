/**
 * `npm run ask` (scripts/ask.ts), run as a child process with tsx as a user runs it: --json
 * prints exactly one JSON object {answer, sources, trace} and nothing else; the prompt it
 * ran is the one the tutor's pipeline builds for that question (checked here with the
 * browser's tokenizer, so this file loads no model itself); an off-topic question gets the
 * fixed reply without running the model; bad flags exit with code 2.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Trace } from "@/lib/llm/trace";
import { BpeEncoder } from "@/lib/tokenizers/bpe/encode";
import { fromTokenizerJson } from "@/lib/tokenizers/bpe/export";
import { retrieveForQuestion } from "@/lib/tutor/retrieval";
import { planTurn } from "@/lib/tutor/plan";
import { courseLmFormat, fromBpeEncoder } from "@/lib/tutor/tokenizer";

const DIR = path.resolve("public/models/course-lm");
const TSX = path.resolve("node_modules/.bin/tsx");

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ["scripts/ask.ts", ...args], { cwd: process.cwd(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function oneJsonLine(stdout: string): Record<string, unknown> {
  expect(stdout.endsWith("\n")).toBe(true);
  expect(stdout.trim().split("\n")).toHaveLength(1);
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("scripts/ask.ts", () => {
  it("--json prints exactly {answer, sources, trace}, from the tutor's own prompt for the question", async () => {
    const question = "What does temperature do to the probabilities?";
    const { code, stdout, stderr } = await cli(["--json", "--seed", "7", "--temperature", "0.8", "--top-k", "40", "--max-new-tokens", "12", question]);
    expect(code, stderr).toBe(0);
    const out = oneJsonLine(stdout);
    expect(Object.keys(out).sort()).toEqual(["answer", "sources", "trace"]);
    const trace = out.trace as Trace;
    expect(out.answer).toBe(trace.reply.text);
    expect(trace).toMatchObject({ version: 1, model: { id: "course-lm", backend: "node" }, settings: { seed: 7, temperature: 0.8, topK: 40, maxNewTokens: 12 } });
    expect(trace.steps.length).toBeGreaterThan(0);
    const sources = out.sources as { lesson: string; section: string; title: string; score: number }[];
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) {
      expect(Object.keys(s).sort()).toEqual(["lesson", "score", "section", "title"]);
      expect(s.lesson).toMatch(/^\d\d-[a-z0-9-]+$/);
      expect(typeof s.score).toBe("number");
      expect(trace.prompt.text).toContain(`<|context|>[${s.title}] `);
    }
    expect(sources.map((s) => s.lesson)).toContain("17-temperature");

    // The same pipeline: retrieval + prompt building give exactly the prompt the CLI ran.
    const encoder = new BpeEncoder(fromTokenizerJson(JSON.parse(readFileSync(path.join(DIR, "tokenizer.json"), "utf8"))));
    const tokenizer = fromBpeEncoder(encoder);
    const plan = planTurn({ question, retrieval: retrieveForQuestion(question), history: [], tokenizer, format: courseLmFormat(tokenizer), contextLength: trace.contextLength });
    expect(plan.kind).toBe("generate");
    if (plan.kind === "generate") {
      expect(trace.prompt.text).toBe(plan.prompt.text);
      expect(trace.prompt.tokens.map((t) => t.id)).toEqual(encoder.encode(plan.prompt.text!));
    }
  });

  it("an off-topic question: the fixed reply, no sources, no trace (the model is not run)", async () => {
    const { code, stdout, stderr } = await cli(["--json", "How do I bake sourdough bread?"]);
    expect(code, stderr).toBe(0);
    const out = oneJsonLine(stdout);
    expect(out).toMatchObject({ sources: [], trace: null });
    expect(out.answer).toMatch(/^I couldn't find this in the course/);
    // Without --json: readable, and says the model was not asked.
    const plain = await cli(["How do I bake sourdough bread?"]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("Not generated");
  });

  it("bad flags or no question ⇒ exit 2, a message on stderr, nothing on stdout", async () => {
    const cases: [string[], RegExp][] = [
      [[], /a QUESTION is required/],
      [["--temperature", "5", "hi"], /--temperature: temperature must be a number in \[0, 2\]/],
      [["--top-k", "many", "hi"], /--top-k: .*got "many"/],
      [["--loud", "hi"], /Unknown option '--loud'/],
      [["  "], /must not be empty/],
      [["what", "is", "this"], /one QUESTION, in quotes/],
      [["--model", "../../etc/passwd", "hi"], /--model: invalid model id/],
      [["x".repeat(801)], /too long/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await cli(args);
      expect(code, args.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(message);
    }
  });
});
