/**
 * Rotary position embeddings on one pair of coordinates (lesson 23): the query at position m
 * is turned by the angle m·θ, the key at position n by n·θ. Rotations compose, so
 *
 *   (R(mθ) q) · (R(nθ) k) = q · R((n − m)θ) k,
 *
 * and the attention score depends only on the offset n − m, not on where the pair sits.
 */

export type Vec2 = readonly [number, number];

/** v turned anticlockwise by `angle` radians: (x cos a − y sin a, x sin a + y cos a). */
export function rotate([x, y]: Vec2, angle: number): Vec2 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [x * c - y * s, x * s + y * c];
}

export function dot(a: Vec2, b: Vec2): number {
  return a[0] * b[0] + a[1] * b[1];
}

/** The angle RoPE turns a vector at `position` by: position·θ (radians). */
export function ropeAngle(position: number, theta: number): number {
  return position * theta;
}

/** The score of query q at position m against key k at position n, both rotated: (R(mθ) q) · (R(nθ) k). */
export function ropeScore(q: Vec2, k: Vec2, queryPosition: number, keyPosition: number, theta: number): number {
  return dot(rotate(q, ropeAngle(queryPosition, theta)), rotate(k, ropeAngle(keyPosition, theta)));
}

/** A vector of the given length at `degrees` from the x axis. */
export function polar(length: number, degrees: number): Vec2 {
  const a = (degrees * Math.PI) / 180;
  return [length * Math.cos(a), length * Math.sin(a)];
}

/** An angle in degrees folded into [0, 360). */
export function normalizeDegrees(degrees: number): number {
  return ((degrees % 360) + 360) % 360;
}

/** A score as printed: three decimals, never "-0.000". */
export function formatScore(x: number): string {
  const s = x.toFixed(3);
  return s === "-0.000" ? "0.000" : s;
}
