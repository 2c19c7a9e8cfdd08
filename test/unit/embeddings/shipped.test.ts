/**
 * Against course-lm's real files: whatever the current training produced, the matrix has
 * the shape config.json declares, every value is finite, and the pieces fit together.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assembleEmbeddings, shapeFromConfig } from "@/lib/embeddings/load";
import { nearestNeighbours, row, rowNorms } from "@/lib/embeddings/matrix";
import { pca2 } from "@/lib/embeddings/pca";
import { lookupToken } from "@/lib/embeddings/vocab";

const dir = path.join(process.cwd(), "public/models/course-lm");
const config = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
const tokenizer = JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8"));
const bytes = fs.readFileSync(path.join(dir, "embeddings.bin"));
const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe("course-lm's shipped embeddings.bin", () => {
  const { rows, dim } = shapeFromConfig(config);
  const { matrix, vocab } = assembleEmbeddings(config, tokenizer, buffer);

  it("has the shape config.json declares (vocab_size × hidden_size float32)", () => {
    expect(bytes.byteLength).toBe(config.vocab_size * config.hidden_size * 4);
    expect(matrix.rows).toBe(rows);
    expect(matrix.dim).toBe(dim);
    expect(vocab.entries).toHaveLength(rows);
  });

  it("has a finite value everywhere and no all-zero row", () => {
    let bad = 0;
    for (const v of matrix.data) if (!Number.isFinite(v)) bad++;
    expect(bad).toBe(0);
    const norms = rowNorms(matrix);
    expect(Math.min(...norms)).toBeGreaterThan(0);
  });

  it("gives every ordinary token a neighbour other than itself, and a 2-D projection", () => {
    const the = lookupToken(vocab, " the");
    expect(the).not.toBeNull();
    const n = nearestNeighbours(matrix, row(matrix, the!.id), { k: 5, exclude: [the!.id] });
    expect(n).toHaveLength(5);
    expect(n.every((x) => x.id !== the!.id && x.similarity <= 1 && x.similarity >= -1)).toBe(true);
    const p = pca2(matrix);
    expect(p.points).toHaveLength(rows * 2);
    expect(p.explainedVarianceRatio[0]).toBeGreaterThanOrEqual(p.explainedVarianceRatio[1]);
    expect(p.points.every(Number.isFinite)).toBe(true);
  });
});
