import { describe, expect, it } from "vitest";
import {
  analogy,
  cosine,
  EmbeddingShapeError,
  nearestNeighbours,
  neighbourRank,
  parseEmbeddings,
  row,
  rowNorms,
  type EmbeddingMatrix,
} from "@/lib/embeddings/matrix";

function matrix(rows: number[][]): EmbeddingMatrix {
  const dim = rows[0].length;
  return { rows: rows.length, dim, data: Float32Array.from(rows.flat()) };
}

function littleEndian(values: number[]): ArrayBuffer {
  const buffer = new ArrayBuffer(values.length * 4);
  const view = new DataView(buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return buffer;
}

describe("parseEmbeddings", () => {
  it("reads float32 little-endian rows in row-major order", () => {
    const m = parseEmbeddings(littleEndian([1, 2, 3, 4, 5, 6.5]), 2, 3);
    expect(Array.from(row(m, 0))).toEqual([1, 2, 3]);
    expect(Array.from(row(m, 1))).toEqual([4, 5, 6.5]);
  });

  it("refuses a file whose size is not rows × dim × 4, naming both sizes", () => {
    expect(() => parseEmbeddings(littleEndian([1, 2, 3, 4, 5]), 2, 3)).toThrow(EmbeddingShapeError);
    expect(() => parseEmbeddings(littleEndian([1, 2, 3, 4, 5]), 2, 3)).toThrow(/20 bytes.*24 bytes/);
    expect(() => parseEmbeddings(littleEndian([1, 2, 3, 4, 5, 6]), 3, 3)).toThrow(/24 bytes.*36 bytes/);
  });

  it("refuses a nonsensical shape", () => {
    expect(() => parseEmbeddings(new ArrayBuffer(0), 0, 3)).toThrow(EmbeddingShapeError);
    expect(() => parseEmbeddings(new ArrayBuffer(8), 1.5, 2)).toThrow(EmbeddingShapeError);
  });
});

describe("norms and cosine", () => {
  it("computes L2 norms per row", () => {
    expect(Array.from(rowNorms(matrix([[3, 4], [0, 0], [1, 0]])))).toEqual([5, 0, 1]);
  });

  it("gives 1 for parallel, −1 for opposite, 0 for orthogonal or zero vectors", () => {
    expect(cosine([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(cosine([1, 2], [-1, -2])).toBeCloseTo(-1, 12);
    expect(cosine([1, 0], [0, 5])).toBe(0);
    expect(cosine([0, 0], [1, 1])).toBe(0);
    expect(cosine([1, 1], [1, 0])).toBeCloseTo(Math.SQRT1_2, 12);
  });
});

describe("nearestNeighbours", () => {
  const m = matrix([
    [1, 0, 0],
    [0.9, 0.1, 0],
    [0, 1, 0],
    [1.8, 0.2, 0], // same direction as row 1, twice as long
    [-1, 0, 0],
    [1, 0, 0], // exact duplicate of row 0
  ]);

  it("puts an exact duplicate first (similarity 1) and excludes the query itself", () => {
    const n = nearestNeighbours(m, row(m, 0), { k: 3, exclude: [0] });
    expect(n[0]).toEqual({ id: 5, similarity: 1 });
    expect(n.map((x) => x.id)).not.toContain(0);
  });

  it("ranks by cosine (length does not matter) and breaks ties by the lower id", () => {
    const n = nearestNeighbours(m, row(m, 1), { k: 6, exclude: [1] });
    expect(n[0].id).toBe(3); // same direction, different length
    expect(n[0].similarity).toBeCloseTo(1, 6);
    expect(n.slice(1, 3).map((x) => x.id)).toEqual([0, 5]); // equal similarity → lower id first
    expect(n.at(-1)!.id).toBe(4);
    for (let i = 1; i < n.length; i++) expect(n[i - 1].similarity).toBeGreaterThanOrEqual(n[i].similarity);
  });

  it("honours k and the candidate list", () => {
    expect(nearestNeighbours(m, row(m, 0), { k: 2 })).toHaveLength(2);
    expect(nearestNeighbours(m, row(m, 0), { k: 10, candidates: [2, 4] }).map((x) => x.id)).toEqual([2, 4]);
  });

  it("reports the rank of a chosen token", () => {
    const r = neighbourRank(m, row(m, 0), 4, { exclude: [0] });
    expect(r.rank).toBe(5);
    expect(r.of).toBe(5);
    expect(r.similarity).toBeCloseTo(-1, 12);
  });
});

describe("analogy (a − b + c)", () => {
  // Rows built so that a − b + c = d exactly, every row of length √2 (so normalising the
  // terms first changes nothing), plus distractors.
  const e = (...ones: number[]) => [0, 1, 2, 3, 4, 5].map((i) => (ones.includes(i) ? 1 : 0));
  const rows = [
    e(0, 2), // 0: a
    e(1, 2), // 1: b
    e(1, 3), // 2: c
    e(4, 5), // 3: distractor
    e(0, 3), // 4: d = a − b + c
    e(0, 5), // 5: distractor sharing one axis with d
  ];
  const m = matrix(rows);

  it("returns d, with similarity 1, and never a, b or c", () => {
    const { neighbours, vector } = analogy(m, { a: 0, b: 1, c: 2 }, { k: 3 });
    expect(neighbours[0].id).toBe(4);
    expect(neighbours[0].similarity).toBeCloseTo(1, 6);
    expect(neighbours.map((n) => n.id)).not.toEqual(expect.arrayContaining([0]));
    for (const n of neighbours) expect([0, 1, 2]).not.toContain(n.id);
    expect(cosine(vector, rows[4])).toBeCloseTo(1, 6);
  });

  it("works on raw vectors too", () => {
    const { vector, neighbours } = analogy(m, { a: 0, b: 1, c: 2 }, { k: 1, normalize: false });
    expect(Array.from(vector)).toEqual(rows[4]);
    expect(neighbours[0].id).toBe(4);
  });
});
