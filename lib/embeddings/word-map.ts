/**
 * The data of the lessons' embedding-map demo: each word's token, those vectors projected to
 * 2-D (PCA over just these vectors, so they spread across the picture) and their pairwise
 * cosine similarities. Isomorphic; the demo runs it on the server.
 */
import { cosine, row, selectRows, type EmbeddingMatrix } from "./matrix.ts";
import { pca2 } from "./pca.ts";
import { wordToken, type EmbeddingVocab, type WordToken } from "./vocab.ts";

export interface WordMapEntry extends WordToken {
  /** The token used, as it reads (" king"), and each piece's text. */
  tokenText: string;
  pieceTexts: string[];
  x: number;
  y: number;
}

export interface WordMap {
  words: WordMapEntry[];
  /** similarity[i][j]: cosine between word i's and word j's token vectors. */
  similarity: number[][];
  explainedVarianceRatio: [number, number];
}

/** Split a demo's `tokens` prop ("king,queen, man") into distinct non-empty words, at most `max`. */
export function parseWordList(list: string, max = 16): string[] {
  const seen = new Set<string>();
  for (const w of list.split(",")) {
    const t = w.trim();
    if (t && !seen.has(t)) seen.add(t);
  }
  return [...seen].slice(0, max);
}

export function wordMap(m: EmbeddingMatrix, vocab: EmbeddingVocab, encode: (text: string) => number[], words: readonly string[]): WordMap {
  const tokens = words.map((w) => wordToken(w, encode)).filter((t): t is WordToken => t !== null);
  // Two words can share a first token ("cat" and "cats" when "cats" is " cat" + "s"): project each vector once.
  const ids = [...new Set(tokens.map((t) => t.id))];
  const projection = ids.length >= 2 && m.dim >= 2 ? pca2(selectRows(m, ids)) : null;
  const at = new Map(ids.map((id, i) => [id, i]));
  const entries = tokens.map((t) => {
    const i = at.get(t.id)!;
    return {
      ...t,
      tokenText: vocab.entries[t.id].text,
      pieceTexts: t.pieces.map((p) => vocab.entries[p]?.text ?? `<${p}>`),
      x: projection ? projection.points[2 * i] : 0,
      y: projection ? projection.points[2 * i + 1] : 0,
    };
  });
  const similarity = entries.map((a) => entries.map((b) => cosine(row(m, a.id), row(m, b.id))));
  return { words: entries, similarity, explainedVarianceRatio: projection ? projection.explainedVarianceRatio : [0, 0] };
}
