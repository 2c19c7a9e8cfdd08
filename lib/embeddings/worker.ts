/// <reference lib="webworker" />
/**
 * PCA off the main thread: the covariance of 2048 × 256 floats is ~130 M multiply-adds,
 * enough to freeze a phone's page for a noticeable moment. The page posts the matrix
 * (a copy) and gets back the 2-D points and the explained variance.
 */
import { pca2 } from "./pca.ts";
import type { PcaRequest, PcaResponse } from "./pca-client.ts";

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<PcaRequest>) => {
  const { id, rows, dim, data, seed } = event.data;
  let reply: PcaResponse;
  try {
    const result = pca2({ rows, dim, data }, { seed });
    reply = { id, ok: true, points: result.points, explainedVarianceRatio: result.explainedVarianceRatio, variances: result.variances };
    scope.postMessage(reply, [result.points.buffer]);
  } catch (e) {
    reply = { id, ok: false, error: e instanceof Error ? e.message : String(e) };
    scope.postMessage(reply);
  }
};
