"use client";

/**
 * course-lm's token embedding matrix for the pipeline demo, loaded once per page with
 * lib/embeddings (the shape comes from config.json, so a retrained model reads correctly).
 */
import { fetchCourseEmbeddings } from "@/lib/embeddings/load";
import { row, type EmbeddingMatrix } from "@/lib/embeddings/matrix";

let matrix: Promise<EmbeddingMatrix> | null = null;

export function loadEmbeddings(): Promise<EmbeddingMatrix> {
  matrix ??= fetchCourseEmbeddings()
    .then((e) => e.matrix)
    .catch((error) => {
      matrix = null; // a later attempt tries again
      throw error;
    });
  return matrix;
}

/** The first `dims` numbers of token `id`'s embedding row, or null when the id is outside the matrix. */
export function embeddingRow(m: EmbeddingMatrix, id: number, dims: number): number[] | null {
  if (!Number.isInteger(id) || id < 0 || id >= m.rows) return null;
  return Array.from(row(m, id).subarray(0, Math.min(dims, m.dim)));
}
