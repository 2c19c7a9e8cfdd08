/**
 * Byte-level tokens: GPT-2's bytes ↔ unicode mapping and byte-faithful display.
 *
 * A byte-level BPE vocabulary is built over the 256 possible byte values, not over
 * characters, so every string (any language, any emoji) can be encoded with no
 * "unknown" token. JSON vocab files and merge lists need printable keys, though, so
 * GPT-2 maps each byte to one visible unicode character: printable bytes map to
 * themselves ("a" → "a"), the rest are shifted above U+0100 (space 0x20 → "Ġ",
 * newline 0x0A → "Ċ"). A token string in `tokenizer.json` is a run of these
 * characters, one per byte. This module converts between the three views of a
 * token: that byte-level string, its raw bytes, and text a learner can read.
 *
 * Isomorphic: no Node imports; runs in the browser and in Web Workers.
 */

/** The GPT-2 table: index = byte value, entry = the character standing for it. */
export const BYTE_TO_UNICODE: readonly string[] = buildByteToUnicode();

/** The inverse table: byte-level character → byte value. */
export const UNICODE_TO_BYTE: ReadonlyMap<string, number> = new Map(
  BYTE_TO_UNICODE.map((ch, byte) => [ch, byte]),
);

function buildByteToUnicode(): string[] {
  // Bytes that are already printable, non-space characters keep their own code point:
  // "!".."~", "¡".."¬", "®".."ÿ". The remaining 68 bytes (controls, space, 0x7F-0xA0,
  // soft hyphen) get 256, 257, ... in byte order. Same table as GPT-2's encoder.py and
  // Hugging Face's ByteLevel, so our token strings are theirs.
  const table = new Array<string>(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = String.fromCharCode(printable ? b : next++);
  }
  return table;
}

const utf8 = new TextEncoder();

/** UTF-8 encode text and spell each byte with its byte-level character. */
export function textToByteLevel(text: string): string {
  return bytesToByteLevel(utf8.encode(text));
}

/** Spell raw bytes as a byte-level token string. */
export function bytesToByteLevel(bytes: ArrayLike<number>): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_UNICODE[bytes[i]];
  return out;
}

/** True when every character of `token` is one of the 256 byte-level characters. */
export function isByteLevel(token: string): boolean {
  for (const ch of token) if (!UNICODE_TO_BYTE.has(ch)) return false;
  return true;
}

/**
 * The raw bytes a byte-level token stands for. Throws on a character outside the
 * byte-level alphabet (e.g. a SentencePiece "▁" token): such a token is not byte-level.
 * Special tokens such as "<|end|>" are spelled in printable ASCII, which maps to itself,
 * so they come back as their own UTF-8 bytes.
 */
export function tokenBytes(token: string): Uint8Array {
  const bytes = new Uint8Array(token.length); // byte-level characters are all single UTF-16 units
  let n = 0;
  for (const ch of token) {
    const b = UNICODE_TO_BYTE.get(ch);
    if (b === undefined) throw new Error(`not a byte-level token: ${JSON.stringify(token)}`);
    bytes[n++] = b;
  }
  return bytes.subarray(0, n);
}

/** One piece of a token's display: a decoded character run, or a byte that is not a whole character. */
export type BytePiece = { kind: "text"; text: string } | { kind: "byte"; byte: number };

/**
 * Split bytes into complete UTF-8 characters and stray bytes. Written out by hand rather
 * than with TextDecoder because TextDecoder replaces a broken sequence with "�" — exactly
 * the information the inspector must not lose — and silently drops a leading BOM.
 */
export function splitUtf8(bytes: ArrayLike<number>): BytePiece[] {
  const pieces: BytePiece[] = [];
  let text = "";
  let i = 0;
  while (i < bytes.length) {
    const len = utf8SequenceLength(bytes, i);
    if (len === 0) {
      if (text) pieces.push({ kind: "text", text });
      text = "";
      pieces.push({ kind: "byte", byte: bytes[i] });
      i += 1;
      continue;
    }
    let cp = len === 1 ? bytes[i] : bytes[i] & (0xff >> (len + 1));
    for (let k = 1; k < len; k++) cp = (cp << 6) | (bytes[i + k] & 0x3f);
    text += String.fromCodePoint(cp);
    i += len;
  }
  if (text) pieces.push({ kind: "text", text });
  return pieces;
}

/**
 * Length of the well-formed UTF-8 sequence starting at `i`, or 0 if there is none
 * (a continuation byte on its own, a truncated sequence, an overlong form or a surrogate).
 * The ranges are those of the Unicode standard's table of well-formed byte sequences.
 */
function utf8SequenceLength(bytes: ArrayLike<number>, i: number): number {
  const b0 = bytes[i];
  if (b0 < 0x80) return 1;
  let len: number;
  let lo = 0x80; // allowed range of the second byte
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) len = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    if (b0 === 0xe0) lo = 0xa0; // no overlong 3-byte forms
    if (b0 === 0xed) hi = 0x9f; // no UTF-16 surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    if (b0 === 0xf0) lo = 0x90; // no overlong 4-byte forms
    if (b0 === 0xf4) hi = 0x8f; // nothing above U+10FFFF
  } else return 0;
  if (i + len > bytes.length) return 0;
  if (bytes[i + 1] < lo || bytes[i + 1] > hi) return 0;
  for (let k = 2; k < len; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return 0;
  return len;
}

/** How a stray byte is written in display text: `<0xF0>`, as in Llama/SentencePiece vocabularies. */
export function byteLabel(byte: number): string {
  return `<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`;
}

export interface TokenDescription {
  /** Readable text: the decoded characters, with each stray byte written as `<0xNN>`. */
  text: string;
  /** The token's raw bytes. */
  bytes: Uint8Array;
  /** True when some byte is not part of a complete character (e.g. half an emoji). */
  partial: boolean;
}

/**
 * Describe a byte-level token for display. "Ġthe" → { text: " the", partial: false };
 * the first two bytes of "🙂" → { text: "<0xF0><0x9F>", partial: true }. Decoding one
 * token at a time with a tokenizer's decode() gives "�" instead; this keeps the bytes.
 */
export function describeToken(token: string): TokenDescription {
  return describeBytes(tokenBytes(token));
}

/** Same as describeToken, from raw bytes. */
export function describeBytes(bytes: Uint8Array): TokenDescription {
  let text = "";
  let partial = false;
  for (const piece of splitUtf8(bytes)) {
    if (piece.kind === "text") text += piece.text;
    else {
      text += byteLabel(piece.byte);
      partial = true;
    }
  }
  return { text, bytes, partial };
}

/**
 * Decode a sequence of byte-level tokens to text (what a ByteLevel decoder does): the
 * bytes are joined first, so a character split across tokens comes out whole. Invalid
 * leftovers become "�", as in every tokenizer's decode(). The BOM is kept (ignoreBOM),
 * so a text that starts with U+FEFF round-trips.
 */
export function decodeByteLevel(tokens: readonly string[]): string {
  const parts = tokens.map(tokenBytes);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(all);
}
