/**
 * Helpers for the browser-engine e2e tests: driving /playground/engine through its test
 * hook, and the server's reference reply to compare with.
 *
 * The reference: the colleague-built `POST /api/generate` (NDJSON stream) when the app has
 * it; otherwise the same decode() run here in the test process (Node, onnxruntime-node) on
 * the same model files the app serves — which is exactly what the server route runs.
 */
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import type { GenerateRequest, LoadOptions, ReadyInfo } from "@/lib/llm/browser/protocol";
import type { LoadedModel } from "@/lib/llm/load";
import { createStreamedSteps, type Trace } from "@/lib/llm/trace";

/** The files onnxruntime-web may request from /ort/ (what scripts/app/copy-ort-wasm.mjs copies). */
export const ORT_FILES = ["ort-wasm-simd-threaded.asyncify.mjs", "ort-wasm-simd-threaded.asyncify.wasm"];

export class EnginePage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/playground/engine");
    await this.page.waitForFunction(() => window.__glassboxEngineTestHook !== undefined);
  }

  load(options: LoadOptions = {}): Promise<ReadyInfo> {
    return this.page.evaluate((o) => window.__glassboxEngineTestHook!.load(o), options);
  }

  generate(request: GenerateRequest): Promise<Trace> {
    return this.page.evaluate((r) => window.__glassboxEngineTestHook!.generate(r), request);
  }
}

let nodeModel: Promise<LoadedModel> | null = null;

async function nodeTrace(input: GenerateRequest): Promise<Trace> {
  const [{ generateTrace }, { loadRegistryModel }, { resolveModel }] = await Promise.all([
    import("@/lib/llm/decode"),
    import("@/lib/llm/server/files"),
    import("@/lib/llm/registry"),
  ]);
  // Loaded as the server loads it (same files, same `sha256:` revision label).
  nodeModel ??= loadRegistryModel(resolveModel("course-lm"));
  const model = await nodeModel;
  const prompt = input.messages !== undefined ? { messages: input.messages } : input.promptIds !== undefined ? { promptIds: input.promptIds } : { prompt: input.prompt };
  return generateTrace({ ...prompt, model, settings: input.settings });
}

/** The server's trace for this request, and where it came from. */
export async function referenceTrace(
  request: APIRequestContext,
  input: GenerateRequest,
): Promise<{ trace: Trace; source: "POST /api/generate" | "decode() in Node" }> {
  const body = {
    ...(input.messages !== undefined ? { messages: input.messages } : input.promptIds !== undefined ? { promptIds: input.promptIds } : { prompt: input.prompt }),
    model: "course-lm",
    settings: input.settings,
    ...(input.forcedTokens ? { forcedTokens: input.forcedTokens } : {}),
    ...(input.internals ? { internals: true } : {}),
  };
  const response = await request.post("/api/generate", { data: body, timeout: 120_000 });
  if (response.status() === 404) return { trace: await nodeTrace(input), source: "decode() in Node" };
  const text = await response.text();
  expect(response.ok(), `POST /api/generate → ${response.status()}: ${text.slice(0, 300)}`).toBe(true);
  const events = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { type: string; trace?: Trace })
    .map(createStreamedSteps()); // the wire's "done" leaves out the steps (the step lines)
  const done = events.find((e) => e.type === "done");
  expect(done?.trace, "the NDJSON stream ends with a done event").toBeDefined();
  return { trace: done!.trace!, source: "POST /api/generate" };
}

export async function disposeReference(): Promise<void> {
  const model = await nodeModel;
  nodeModel = null;
  await model?.dispose();
}

/** Largest |Δlogit| over the candidates both steps list (same token ids), across the reply. */
export function maxLogitDiff(a: Trace, b: Trace): number {
  let max = 0;
  const n = Math.min(a.steps.length, b.steps.length);
  for (let i = 0; i < n; i++) {
    const other = new Map(b.steps[i].candidates.map((c) => [c.id, c.logit]));
    for (const c of a.steps[i].candidates) {
      const l = other.get(c.id);
      if (l !== undefined) max = Math.max(max, Math.abs(l - c.logit));
    }
  }
  return max;
}

export const tokenIds = (t: Trace) => t.steps.map((s) => s.tokenId);
