/**
 * Principal component analysis to two dimensions, computed in the app (no library): centre
 * the rows, build the dim × dim covariance, and find its two largest eigenvectors by power
 * iteration with deflation. Deterministic: the start vector comes from a seeded PRNG and
 * each component's sign is fixed (largest-magnitude coordinate positive), so the same
 * matrix always gives the same picture.
 */
import type { EmbeddingMatrix } from "./matrix.ts";

export interface Pca2 {
  /** The mean row that was subtracted. */
  mean: Float64Array;
  /** Two orthonormal directions, the first explaining the most variance. */
  components: [Float64Array, Float64Array];
  /** Variance along each component (eigenvalues of the covariance). */
  variances: [number, number];
  /** Share of the total variance each component explains; sorted, each in [0, 1], sum ≤ 1. */
  explainedVarianceRatio: [number, number];
  /** Row i's coordinates: points[2i], points[2i+1]. */
  points: Float64Array;
}

export interface PcaOptions {
  seed?: number;
  maxIterations?: number;
  /** Stop when the direction moves less than this (1 − |cos| between iterations). */
  tolerance?: number;
}

/** mulberry32: a tiny seeded PRNG (the start vector only needs to be reproducible). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The (population) covariance of the centred rows, dim × dim, and the mean. */
export function covariance(m: EmbeddingMatrix): { mean: Float64Array; cov: Float64Array } {
  const { rows, dim, data } = m;
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) mean[j] += data[r * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= Math.max(rows, 1);
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dim; j++) centred[j] = data[r * dim + j] - mean[j];
    // Upper triangle only; mirrored below.
    for (let i = 0; i < dim; i++) {
      const ci = centred[i];
      if (ci === 0) continue;
      const base = i * dim;
      for (let j = i; j < dim; j++) cov[base + j] += ci * centred[j];
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = cov[i * dim + j] / Math.max(rows, 1);
      cov[i * dim + j] = v;
      cov[j * dim + i] = v;
    }
  }
  return { mean, cov };
}

function normalizeInPlace(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return n;
}

function fixSign(v: Float64Array): void {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[best])) best = i;
  if (v[best] < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i];
}

/**
 * The leading eigenvector of a symmetric positive semi-definite matrix, kept orthogonal to
 * `against` (already-found components) on every step: that is the deflation, and it also
 * stops rounding errors from leaking the first component back into the second.
 */
function powerIteration(cov: Float64Array, dim: number, against: Float64Array[], next: () => number, maxIterations: number, tolerance: number): { vector: Float64Array; value: number } {
  let v = new Float64Array(dim);
  for (let i = 0; i < dim; i++) v[i] = next() - 0.5;
  const project = (x: Float64Array) => {
    for (const u of against) {
      let d = 0;
      for (let i = 0; i < dim; i++) d += x[i] * u[i];
      for (let i = 0; i < dim; i++) x[i] -= d * u[i];
    }
  };
  project(v);
  if (normalizeInPlace(v) === 0) return { vector: v, value: 0 };
  let value = 0;
  for (let it = 0; it < maxIterations; it++) {
    const w = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      let s = 0;
      const base = i * dim;
      for (let j = 0; j < dim; j++) s += cov[base + j] * v[j];
      w[i] = s;
    }
    project(w);
    value = normalizeInPlace(w);
    if (value === 0) return { vector: v, value: 0 }; // nothing left in this subspace
    let c = 0;
    for (let i = 0; i < dim; i++) c += w[i] * v[i];
    v = w;
    if (1 - Math.abs(c) < tolerance) break;
  }
  return { vector: v, value };
}

export function pca2(m: EmbeddingMatrix, options: PcaOptions = {}): Pca2 {
  if (m.dim < 2) throw new RangeError("PCA to 2-D needs at least 2 dimensions");
  const { seed = 1, maxIterations = 2000, tolerance = 1e-12 } = options;
  const { mean, cov } = covariance(m);
  const next = prng(seed);
  const first = powerIteration(cov, m.dim, [], next, maxIterations, tolerance);
  const second = powerIteration(cov, m.dim, [first.vector], next, maxIterations, tolerance);
  fixSign(first.vector);
  fixSign(second.vector);
  let total = 0;
  for (let i = 0; i < m.dim; i++) total += cov[i * m.dim + i];
  const ratio = (x: number) => (total > 0 ? Math.min(1, Math.max(0, x / total)) : 0);

  const points = new Float64Array(m.rows * 2);
  for (let r = 0; r < m.rows; r++) {
    let x = 0;
    let y = 0;
    for (let j = 0; j < m.dim; j++) {
      const c = m.data[r * m.dim + j] - mean[j];
      x += c * first.vector[j];
      y += c * second.vector[j];
    }
    points[2 * r] = x;
    points[2 * r + 1] = y;
  }
  return {
    mean,
    components: [first.vector, second.vector],
    variances: [first.value, second.value],
    explainedVarianceRatio: [ratio(first.value), ratio(second.value)],
    points,
  };
}
