/**
 * A token embedding matrix and the geometry the embeddings lessons talk about: lengths,
 * cosine similarity, nearest neighbours and "a − b + c" arithmetic.
 *
 * Isomorphic (no Node or DOM imports): the playground runs it in the page and in a worker,
 * the lesson demos on the server, the tests in Node.
 */

/** `rows` vectors of `dim` floats, row-major (row i is data[i*dim … (i+1)*dim)). */
export interface EmbeddingMatrix {
  rows: number;
  dim: number;
  data: Float32Array;
}

export class EmbeddingShapeError extends Error {
  override name = "EmbeddingShapeError";
}

/**
 * Read a float32 little-endian, row-major [rows, dim] matrix (what the model export writes
 * to embeddings.bin). The shape comes from config.json, so a file from another training
 * run (or a truncated download) is refused with both sizes in the message rather than
 * silently read as the wrong rows.
 */
export function parseEmbeddings(buffer: ArrayBuffer, rows: number, dim: number): EmbeddingMatrix {
  if (!Number.isInteger(rows) || !Number.isInteger(dim) || rows <= 0 || dim <= 0) {
    throw new EmbeddingShapeError(`invalid embedding shape ${rows} × ${dim}`);
  }
  const expected = rows * dim * 4;
  if (buffer.byteLength !== expected) {
    throw new EmbeddingShapeError(
      `embedding file is ${buffer.byteLength} bytes, but ${rows} × ${dim} float32 values need ${expected} bytes`,
    );
  }
  const data = new Float32Array(rows * dim);
  // DataView reads little-endian explicitly, so the result does not depend on the host's byte order.
  const view = new DataView(buffer);
  for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(i * 4, true);
  return { rows, dim, data };
}

/** Row `i` as a view (no copy). */
export function row(m: EmbeddingMatrix, i: number): Float32Array {
  if (!Number.isInteger(i) || i < 0 || i >= m.rows) throw new RangeError(`row ${i} is outside 0…${m.rows - 1}`);
  return m.data.subarray(i * m.dim, (i + 1) * m.dim);
}

/** A new matrix holding the given rows, in the given order. */
export function selectRows(m: EmbeddingMatrix, ids: readonly number[]): EmbeddingMatrix {
  const data = new Float32Array(ids.length * m.dim);
  ids.forEach((id, k) => data.set(row(m, id), k * m.dim));
  return { rows: ids.length, dim: m.dim, data };
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`vectors of different lengths (${a.length}, ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm(v: ArrayLike<number>): number {
  return Math.sqrt(dot(v, v));
}

/** The L2 norm of every row. */
export function rowNorms(m: EmbeddingMatrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = norm(row(m, i));
  return out;
}

/** Cosine similarity in [−1, 1]; 0 when either vector is all zeros (no direction to compare). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = norm(a);
  const nb = norm(b);
  if (na === 0 || nb === 0) return 0;
  return Math.max(-1, Math.min(1, dot(a, b) / (na * nb)));
}

export interface Neighbour {
  id: number;
  similarity: number;
}

export interface NeighbourOptions {
  k: number;
  /** Row ids never returned (the query token itself, the terms of an analogy). */
  exclude?: Iterable<number>;
  /** Precomputed rowNorms(m), to avoid recomputing them for every query. */
  norms?: Float64Array;
  /** Row ids that may be returned at all (e.g. only real, non-special tokens); default all. */
  candidates?: Iterable<number>;
}

/**
 * The k rows most similar to `query` by cosine, most similar first. Ties are broken by the
 * lower id, so the answer is the same in every browser and on the server.
 */
export function nearestNeighbours(m: EmbeddingMatrix, query: ArrayLike<number>, options: NeighbourOptions): Neighbour[] {
  if (query.length !== m.dim) throw new RangeError(`query has ${query.length} dimensions, the matrix ${m.dim}`);
  const exclude = new Set(options.exclude ?? []);
  const norms = options.norms ?? rowNorms(m);
  const qn = norm(query);
  const ids = options.candidates ? [...options.candidates] : Array.from({ length: m.rows }, (_, i) => i);
  const scored: Neighbour[] = [];
  for (const id of ids) {
    if (exclude.has(id)) continue;
    const n = norms[id];
    const similarity = qn === 0 || n === 0 ? 0 : Math.max(-1, Math.min(1, dot(query, row(m, id)) / (qn * n)));
    scored.push({ id, similarity });
  }
  scored.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
  return scored.slice(0, Math.max(0, options.k));
}

/** Rank (1 = most similar) of `target` among the allowed rows, by the same ordering as nearestNeighbours. */
export function neighbourRank(m: EmbeddingMatrix, query: ArrayLike<number>, target: number, options: Omit<NeighbourOptions, "k">): Neighbour & { rank: number; of: number } {
  const all = nearestNeighbours(m, query, { ...options, k: Number.MAX_SAFE_INTEGER });
  const index = all.findIndex((n) => n.id === target);
  if (index < 0) throw new RangeError(`token ${target} is excluded or not a candidate`);
  return { ...all[index], rank: index + 1, of: all.length };
}

function unit(v: ArrayLike<number>): Float64Array {
  const n = norm(v);
  const out = new Float64Array(v.length);
  if (n > 0) for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
  return out;
}

/**
 * a − b + c. With `normalize` (the default, as in word2vec's analogy test) each term is
 * scaled to length 1 first, so a token with a long vector cannot dominate the sum.
 */
export function analogyVector(m: EmbeddingMatrix, a: number, b: number, c: number, normalize = true): Float64Array {
  const [va, vb, vc] = [a, b, c].map((id) => (normalize ? unit(row(m, id)) : Float64Array.from(row(m, id))));
  const out = new Float64Array(m.dim);
  for (let i = 0; i < m.dim; i++) out[i] = va[i] - vb[i] + vc[i];
  return out;
}

export interface AnalogyResult {
  vector: Float64Array;
  /** Nearest rows to the vector, never a, b or c (else "king" would usually win "king − man + woman"). */
  neighbours: Neighbour[];
}

export function analogy(
  m: EmbeddingMatrix,
  terms: { a: number; b: number; c: number },
  options: Omit<NeighbourOptions, "exclude"> & { normalize?: boolean },
): AnalogyResult {
  const vector = analogyVector(m, terms.a, terms.b, terms.c, options.normalize ?? true);
  const neighbours = nearestNeighbours(m, vector, { ...options, exclude: [terms.a, terms.b, terms.c] });
  return { vector, neighbours };
}
