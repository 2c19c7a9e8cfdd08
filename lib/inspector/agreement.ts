/**
 * Do two backends agree on a reply? The inspector's Agreement view runs the same reply (its
 * prompt tokens, its tokens forced, its settings) on the other backend — the page's worker
 * (WebAssembly or WebGPU) for a reply the server made, the server for one made in the page — and
 * compares step by step: the top-1 token by raw logit, and the largest |Δlogit| over the
 * candidates both recorded (what webgpu-bench calls "CPU match").
 *
 * agreement() is pure; runElsewhere() moves the request (browser code).
 */
import { sharedBrowserEngine } from "../llm/browser/client.ts";
import type { LoadProgressEvent } from "../llm/browser/protocol.ts";
import type { Trace } from "../llm/trace.ts";
import { replayTrace } from "./internals.ts";

export interface StepAgreement {
  step: number;
  /** Top token by raw logit here and there. */
  top: [number, number];
  agree: boolean;
  /** Largest |Δlogit| over the candidates both traces recorded (null: none shared). */
  maxLogitDiff: number | null;
}

export interface Agreement {
  steps: StepAgreement[];
  /** Steps whose top-1 token is the same. */
  agreeing: number;
  maxLogitDiff: number;
}

/** Step-by-step agreement of two runs of the same reply (compared over the shorter). */
export function agreement(a: Pick<Trace, "steps">, b: Pick<Trace, "steps">): Agreement {
  const n = Math.min(a.steps.length, b.steps.length);
  const steps: StepAgreement[] = [];
  for (let i = 0; i < n; i++) {
    const x = a.steps[i]!;
    const y = b.steps[i]!;
    const theirs = new Map(y.candidates.map((c) => [c.id, c.logit]));
    let max: number | null = null;
    for (const c of x.candidates) {
      const other = theirs.get(c.id);
      if (other === undefined || !Number.isFinite(c.logit) || !Number.isFinite(other)) continue;
      max = Math.max(max ?? 0, Math.abs(c.logit - other));
    }
    const top: [number, number] = [x.candidates[0]!.id, y.candidates[0]!.id];
    steps.push({ step: i, top, agree: top[0] === top[1], maxLogitDiff: max });
  }
  return { steps, agreeing: steps.filter((s) => s.agree).length, maxLogitDiff: Math.max(0, ...steps.map((s) => s.maxLogitDiff ?? 0)) };
}

/** The reply run on the other backend: in this page for a server reply, on the server for a page's. */
export async function runElsewhere(trace: Trace, options: { signal?: AbortSignal; onProgress?: (event: LoadProgressEvent) => void } = {}): Promise<Trace> {
  if (trace.model.backend !== "node") return replayTrace(trace, {}, options.signal);
  const engine = sharedBrowserEngine();
  if (engine.info?.modelId !== trace.model.id) await engine.load(trace.model.id, { onProgress: options.onProgress });
  return engine.run(
    {
      promptIds: trace.prompt.tokens.map((t) => t.id),
      settings: { ...trace.settings, maxNewTokens: Math.max(1, trace.steps.length) },
      forcedTokens: trace.steps.map((s) => s.tokenId),
    },
    { signal: options.signal },
  );
}
