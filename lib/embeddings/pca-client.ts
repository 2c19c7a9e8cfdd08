/**
 * The page's side of lib/embeddings/worker.ts: run pca2 in a Web Worker and await the result.
 * Browser-only at call time (it constructs a Worker); importing it is harmless elsewhere.
 */
import type { EmbeddingMatrix } from "./matrix.ts";

export interface PcaRequest {
  id: number;
  rows: number;
  dim: number;
  data: Float32Array;
  seed: number;
}

export type PcaResponse =
  | { id: number; ok: true; points: Float64Array; explainedVarianceRatio: [number, number]; variances: [number, number] }
  | { id: number; ok: false; error: string };

export interface PcaProjection {
  points: Float64Array;
  explainedVarianceRatio: [number, number];
  variances: [number, number];
}

let nextId = 1;

/** One worker per call, ended when it answers (PCA runs once per page load). */
export function pcaInWorker(m: EmbeddingMatrix, seed = 1, signal?: AbortSignal): Promise<PcaProjection> {
  return new Promise((resolve, reject) => {
    // The literal `new Worker(new URL(...), …)` lets the bundler find and build the worker.
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "glassbox-pca" });
    const id = nextId++;
    const finish = () => {
      worker.terminate();
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      finish();
      reject(new DOMException("PCA was cancelled", "AbortError"));
    };
    signal?.addEventListener("abort", onAbort);
    worker.onmessage = (event: MessageEvent<PcaResponse>) => {
      if (event.data.id !== id) return;
      finish();
      if (event.data.ok) resolve({ points: event.data.points, explainedVarianceRatio: event.data.explainedVarianceRatio, variances: event.data.variances });
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(event.message || "the PCA worker failed to start"));
    };
    const request: PcaRequest = { id, rows: m.rows, dim: m.dim, data: m.data.slice(), seed };
    worker.postMessage(request, [request.data.buffer]);
  });
}
