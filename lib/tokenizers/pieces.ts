/**
 * One token as the playground draws it — the shape of a trace token (lib/llm/trace.ts), so
 * the inspector's glyph rendering works on it. Isomorphic: used by the server's comparison
 * (compare.ts), the BPE lab's worker and the components.
 */
import { describeBytes } from "./bytes.ts";

export interface TokenPiece {
  id: number;
  /** Readable text; a byte that is not a whole character is written `<0xNN>`. */
  text: string;
  /** The token's raw bytes, present only when some byte is not a whole character. */
  bytes?: number[];
  /** Present (true) for the tokenizer's special tokens. */
  special?: true;
}

/** A token from its raw bytes: byte-faithful text, bytes kept only when partial. */
export function pieceFromBytes(id: number, bytes: Uint8Array, special = false): TokenPiece {
  if (special) return { id, text: new TextDecoder().decode(bytes), special: true };
  const d = describeBytes(bytes);
  return d.partial ? { id, text: d.text, bytes: Array.from(d.bytes) } : { id, text: d.text };
}
