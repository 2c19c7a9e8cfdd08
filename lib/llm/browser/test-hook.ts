/**
 * TEST / BENCHMARK HOOK — not an API for the app.
 *
 * The engine page (/playground/engine) installs `window.__glassboxEngineTestHook` so that
 * Playwright (test/e2e/engine.spec.ts) and `npm run bench:browser` can drive the browser
 * backend with exact inputs and read back whole traces, without scraping the DOM. The
 * hook calls the same handlers as the page's buttons, so the UI shows what a test does.
 */
import type { Trace } from "../trace.ts";
import type { GenerateRequest, LoadOptions, ReadyInfo } from "./protocol.ts";

export interface EngineTestHook {
  /** Load a model (default course-lm) as the Load button does. */
  load(options?: LoadOptions & { modelId?: string }): Promise<ReadyInfo>;
  /** Generate to the end, as the Generate button does; resolves with the trace. */
  generate(request: GenerateRequest): Promise<Trace>;
  /** Press Stop: aborts the running generation. */
  stop(): void;
  /** What is loaded now. */
  info(): ReadyInfo | null;
}

declare global {
  interface Window {
    /** Test/benchmark hook; see lib/llm/browser/test-hook.ts. */
    __glassboxEngineTestHook?: EngineTestHook;
  }
}

/** Install the hook; returns its uninstaller (for a React effect's clean-up). */
export function installEngineTestHook(hook: EngineTestHook): () => void {
  window.__glassboxEngineTestHook = hook;
  return () => {
    if (window.__glassboxEngineTestHook === hook) delete window.__glassboxEngineTestHook;
  };
}
