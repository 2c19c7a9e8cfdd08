import { describe, expect, it } from "vitest";
import { dot, formatScore, normalizeDegrees, polar, rotate, ropeScore } from "@/lib/course/rope";

describe("rotate", () => {
  it("turns anticlockwise", () => {
    // (1, 0) by 90°: (cos 90°, sin 90°) = (0, 1).
    const [x, y] = rotate([1, 0], Math.PI / 2);
    expect(x).toBeCloseTo(0, 12);
    expect(y).toBeCloseTo(1, 12);
    // (0, 2) by 180°: (0, −2).
    const [x2, y2] = rotate([0, 2], Math.PI);
    expect(x2).toBeCloseTo(0, 12);
    expect(y2).toBeCloseTo(-2, 12);
  });

  it("keeps lengths", () => {
    const v = rotate([3, 4], 1.234);
    expect(Math.hypot(...v)).toBeCloseTo(5, 12);
  });
});

describe("ropeScore", () => {
  // q = (2, 0), k = (1, 0), θ = 60° per position.
  const q = [2, 0] as const;
  const k = [1, 0] as const;
  const theta = Math.PI / 3;

  it("positions 1 and 3: k turned 120° further than q, so 2 · 1 · cos 120° = −1", () => {
    expect(ropeScore(q, k, 1, 3, theta)).toBeCloseTo(-1, 12);
  });

  it("moving both positions together keeps the score: 6 and 8 give −1 too", () => {
    expect(ropeScore(q, k, 6, 8, theta)).toBeCloseTo(-1, 12);
    expect(ropeScore(q, k, 20, 22, theta)).toBeCloseTo(ropeScore(q, k, 1, 3, theta), 12);
  });

  it("offset 0 gives the unrotated dot product, 2 · 1 = 2", () => {
    expect(ropeScore(q, k, 0, 0, theta)).toBeCloseTo(2, 12);
    expect(ropeScore(q, k, 5, 5, theta)).toBeCloseTo(2, 12);
  });

  it("offset 3: 180° apart, 2 · 1 · cos 180° = −2", () => {
    expect(ropeScore(q, k, 0, 3, theta)).toBeCloseTo(-2, 12);
  });

  it("equals q · R((n − m)θ) k for any vectors", () => {
    const a = polar(1, 20);
    const b = polar(0.8, 75);
    for (const [m, n] of [
      [0, 0],
      [3, 7],
      [12, 5],
      [40, 41],
    ]) {
      expect(ropeScore(a, b, m, n, 0.35)).toBeCloseTo(dot(a, rotate(b, (n - m) * 0.35)), 12);
    }
  });
});

describe("helpers", () => {
  it("polar, normalizeDegrees and formatScore", () => {
    // 2 at 90°: (0, 2).
    expect(polar(2, 90)[0]).toBeCloseTo(0, 12);
    expect(polar(2, 90)[1]).toBeCloseTo(2, 12);
    expect(normalizeDegrees(370)).toBe(10);
    expect(normalizeDegrees(-30)).toBe(330);
    expect(formatScore(-0.0001)).toBe("0.000");
    expect(formatScore(0.5)).toBe("0.500");
    expect(formatScore(-1)).toBe("-1.000");
  });
});
