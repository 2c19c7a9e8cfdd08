import { describe, expect, it } from "vitest";
import type { EmbeddingMatrix } from "@/lib/embeddings/matrix";
import { pca2 } from "@/lib/embeddings/pca";

/** A seeded Gaussian-ish generator (sum of uniforms), so the data is the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  return () => u() + u() + u() + u() - 2;
}

const dotp = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i], 0);
const unit = (v: number[]) => {
  const n = Math.sqrt(dotp(v, v));
  return v.map((x) => x / n);
};

/** n points: big spread along `major`, smaller along `minor`, small noise elsewhere, offset by `shift`. */
function synthetic(n: number, dim: number, major: number[], minor: number[], seed = 7): EmbeddingMatrix {
  const g = rng(seed);
  const data = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    const a = 10 * g();
    const b = 3 * g();
    for (let j = 0; j < dim; j++) data[r * dim + j] = 5 + a * major[j] + b * minor[j] + 0.1 * g();
  }
  return { rows: n, dim, data };
}

describe("pca2", () => {
  const dim = 16;
  const major = unit(Array.from({ length: dim }, (_, i) => (i % 3) - 1 + 0.3 * i));
  const minorRaw = Array.from({ length: dim }, (_, i) => (i % 2 === 0 ? 1 : -1));
  const proj = dotp(minorRaw, major);
  const minor = unit(minorRaw.map((x, i) => x - proj * major[i])); // orthogonal to major
  const m = synthetic(400, dim, major, minor);
  const result = pca2(m);

  it("recovers the dominant direction, then the second", () => {
    expect(Math.abs(dotp(result.components[0], major))).toBeGreaterThan(0.99);
    expect(Math.abs(dotp(result.components[1], minor))).toBeGreaterThan(0.99);
  });

  it("returns orthonormal components", () => {
    expect(dotp(result.components[0], result.components[0])).toBeCloseTo(1, 9);
    expect(dotp(result.components[1], result.components[1])).toBeCloseTo(1, 9);
    expect(Math.abs(dotp(result.components[0], result.components[1]))).toBeLessThan(1e-9);
  });

  it("reports explained variance sorted, each in [0, 1], summing to at most 1", () => {
    const [r1, r2] = result.explainedVarianceRatio;
    expect(r1).toBeGreaterThanOrEqual(r2);
    expect(r2).toBeGreaterThan(0);
    expect(r1 + r2).toBeLessThanOrEqual(1 + 1e-12);
    // With spreads 10 : 3 : noise, the first two carry almost everything.
    expect(r1 + r2).toBeGreaterThan(0.95);
    expect(r1).toBeGreaterThan(0.8);
  });

  it("centres the data: the projected points have mean ≈ 0", () => {
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < m.rows; i++) {
      sx += result.points[2 * i];
      sy += result.points[2 * i + 1];
    }
    expect(Math.abs(sx / m.rows)).toBeLessThan(1e-6);
    expect(Math.abs(sy / m.rows)).toBeLessThan(1e-6);
  });

  it("is deterministic, including the signs", () => {
    const again = pca2(m);
    expect(Array.from(again.points)).toEqual(Array.from(result.points));
    // A different start vector converges to the same (sign-fixed) components.
    const other = pca2(m, { seed: 99 });
    expect(dotp(other.components[0], result.components[0])).toBeGreaterThan(0.999999);
    expect(dotp(other.components[1], result.components[1])).toBeGreaterThan(0.999999);
  });

  it("handles data that lies on a single line (second component explains nothing)", () => {
    const line: EmbeddingMatrix = { rows: 3, dim: 3, data: Float32Array.from([0, 0, 0, 1, 2, 2, 2, 4, 4]) };
    const r = pca2(line);
    expect(Math.abs(dotp(r.components[0], [1 / 3, 2 / 3, 2 / 3]))).toBeGreaterThan(0.999999);
    expect(r.explainedVarianceRatio[0]).toBeCloseTo(1, 9);
    expect(r.explainedVarianceRatio[1]).toBeCloseTo(0, 9);
  });
});
