/**
 * Loading course-lm's embedding matrix and vocabulary from its folder (served statically at
 * /models/course-lm/ in the browser; read from disk by lib/embeddings/server.ts). The shape
 * always comes from config.json, never from constants here: a retrained model with another
 * vocabulary or width is read correctly.
 */
import { parseEmbeddings, type EmbeddingMatrix } from "./matrix.ts";
import { vocabFromTokenizerJson, type EmbeddingVocab } from "./vocab.ts";

export const COURSE_LM_URL = "/models/course-lm";

export interface EmbeddingShape {
  rows: number;
  dim: number;
}

/** [vocab_size, hidden_size] from a transformers config.json. */
export function shapeFromConfig(config: unknown): EmbeddingShape {
  const c = config as { vocab_size?: unknown; hidden_size?: unknown } | null;
  const rows = c?.vocab_size;
  const dim = c?.hidden_size;
  if (typeof rows !== "number" || typeof dim !== "number" || !Number.isInteger(rows) || !Number.isInteger(dim) || rows <= 0 || dim <= 0) {
    throw new Error("config.json needs positive integers vocab_size and hidden_size");
  }
  return { rows, dim };
}

export interface CourseEmbeddings {
  matrix: EmbeddingMatrix;
  vocab: EmbeddingVocab;
}

/** Put the three files together (shared by the browser loader and the server's). */
export function assembleEmbeddings(config: unknown, tokenizerJson: unknown, buffer: ArrayBuffer): CourseEmbeddings {
  const { rows, dim } = shapeFromConfig(config);
  return { matrix: parseEmbeddings(buffer, rows, dim), vocab: vocabFromTokenizerJson(tokenizerJson, rows) };
}

export interface Progress {
  loaded: number;
  /** From Content-Length; 0 when the server did not say. */
  total: number;
}

/** GET a binary file, reporting bytes as they arrive. */
export async function fetchWithProgress(url: string, onProgress?: (p: Progress) => void, signal?: AbortSignal): Promise<ArrayBuffer> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get("content-length") ?? 0) || 0;
  if (!response.body) {
    const buffer = await response.arrayBuffer();
    onProgress?.({ loaded: buffer.byteLength, total: buffer.byteLength });
    return buffer;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  onProgress?.({ loaded, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress?.({ loaded, total });
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out.buffer;
}

async function fetchJson(url: string, signal?: AbortSignal): Promise<unknown> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** In the browser: config, tokenizer, then the matrix with progress. */
export async function fetchCourseEmbeddings(onProgress?: (p: Progress) => void, signal?: AbortSignal, base = COURSE_LM_URL): Promise<CourseEmbeddings> {
  const [config, tokenizer] = await Promise.all([fetchJson(`${base}/config.json`, signal), fetchJson(`${base}/tokenizer.json`, signal)]);
  const buffer = await fetchWithProgress(`${base}/embeddings.bin`, onProgress, signal);
  return assembleEmbeddings(config, tokenizer, buffer);
}
