/**
 * How a token is drawn in the inspector, byte-faithful and with whitespace made visible.
 *
 * A token's text is split into pieces the UI styles differently:
 * - "text": ordinary characters, shown as they are;
 * - "space" (·), "tab" (→), "newline" (↵, followed by a real line break), "return" (␍),
 *   "nbsp" (⍽): whitespace the learner must be able to see, because " the" and "the" are
 *   different tokens;
 * - "control": other invisible characters (C0/C1 controls, zero-width characters, BOM),
 *   written as their code point, e.g. "U+200B";
 * - "byte": a byte that is not a whole UTF-8 character (half an emoji), written `<0xF0>`;
 * - "special": a special token (`<|end|>`), shown by name and styled apart.
 *
 * When a trace token carries `bytes` (it is a partial UTF-8 sequence), the pieces come from
 * those raw bytes, not from its `text`, so a stray byte can never be confused with a token
 * whose text happens to read "<0xF0>".
 *
 * Isomorphic, no React.
 */
import type { TokenText } from "../llm/trace.ts";
import { byteLabel, splitUtf8 } from "../tokenizers/bytes.ts";

export type TokenPiece =
  | { kind: "text"; text: string }
  | { kind: "space" | "tab" | "newline" | "return" | "nbsp"; text: string; glyph: string }
  | { kind: "control"; text: string; glyph: string }
  | { kind: "byte"; byte: number; glyph: string }
  | { kind: "special"; text: string };

/** Glyphs that stand in for invisible characters. */
export const WHITESPACE_GLYPHS = {
  " ": { kind: "space", glyph: "·" },
  "\t": { kind: "tab", glyph: "→" },
  "\n": { kind: "newline", glyph: "↵" },
  "\r": { kind: "return", glyph: "␍" },
  "\u00a0": { kind: "nbsp", glyph: "⍽" },
} as const;

/** Characters with no visible form of their own: controls, zero-width characters, the BOM, separators. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8]/u;

function codePointLabel(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Split decoded text into visible pieces (whitespace and controls made visible). */
export function textPieces(text: string): TokenPiece[] {
  const pieces: TokenPiece[] = [];
  let run = "";
  const flush = () => {
    if (run) pieces.push({ kind: "text", text: run });
    run = "";
  };
  for (const ch of text) {
    const ws = WHITESPACE_GLYPHS[ch as keyof typeof WHITESPACE_GLYPHS];
    if (ws) {
      flush();
      pieces.push({ kind: ws.kind, text: ch, glyph: ws.glyph });
    } else if (INVISIBLE.test(ch)) {
      flush();
      pieces.push({ kind: "control", text: ch, glyph: codePointLabel(ch) });
    } else {
      run += ch;
    }
  }
  flush();
  return pieces;
}

/** The pieces of one token, ready to render. */
export function tokenPieces(token: TokenText): TokenPiece[] {
  if (token.special) return [{ kind: "special", text: token.text }];
  if (token.bytes && token.bytes.length > 0) {
    const pieces: TokenPiece[] = [];
    for (const part of splitUtf8(token.bytes)) {
      if (part.kind === "byte") pieces.push({ kind: "byte", byte: part.byte, glyph: byteLabel(part.byte) });
      else pieces.push(...textPieces(part.text));
    }
    return pieces;
  }
  if (token.text === "") return [];
  return textPieces(token.text);
}

/** Plain-text form with the same glyphs (for tables, chart labels, select options): " the\n" → "·the↵". */
export function visibleText(token: TokenText): string {
  const pieces = tokenPieces(token);
  if (pieces.length === 0) return "∅";
  return pieces
    .map((p) => {
      switch (p.kind) {
        case "text":
        case "special":
          return p.text;
        case "byte":
        case "space":
        case "tab":
        case "newline":
        case "return":
        case "nbsp":
        case "control":
          return p.glyph;
      }
    })
    .join("");
}

/** True when the token ends with a newline, so the token strip should break the line after it. */
export function endsWithNewline(token: TokenText): boolean {
  if (token.special) return false;
  const pieces = tokenPieces(token);
  return pieces.length > 0 && pieces[pieces.length - 1].kind === "newline";
}

const SPOKEN: Record<string, string> = {
  " ": "space",
  "\t": "tab",
  "\n": "newline",
  "\r": "carriage return",
  "\u00a0": "no-break space",
};

/**
 * What a screen reader should hear for a token: quoted text, with whitespace, stray bytes and
 * special tokens spelled out — " the" → `space, "the"`; "\n\n" → "newline, newline";
 * half an emoji → "byte 0xF0, byte 0x9F"; "<|end|>" → "special token <|end|>".
 */
export function spokenText(token: TokenText): string {
  const pieces = tokenPieces(token);
  if (pieces.length === 0) return "empty token";
  return pieces
    .map((p) => {
      switch (p.kind) {
        case "text":
          return `"${p.text}"`;
        case "special":
          return `special token ${p.text}`;
        case "byte":
          return `byte 0x${p.byte.toString(16).toUpperCase().padStart(2, "0")}`;
        case "control":
          return `invisible character ${p.glyph}`;
        default:
          return SPOKEN[p.text];
      }
    })
    .join(", ");
}

/** A short description of a token's kind, for tooltips: "special token", "partial UTF-8 (2 bytes)", or null. */
export function tokenKindNote(token: TokenText): string | null {
  if (token.special) return "special token";
  if (token.bytes && token.bytes.length > 0) {
    const n = splitUtf8(token.bytes).filter((p) => p.kind === "byte").length;
    return `partial UTF-8: ${n} stray byte${n === 1 ? "" : "s"}, part of a character split across tokens`;
  }
  return null;
}

/**
 * A run of consecutive partial-UTF-8 tokens whose bytes, joined, spell whole characters —
 * the four byte tokens of "🙂", or the six of "温度". The inspector draws the bytes token by
 * token (that is what the model saw) and the characters they make under the run.
 */
export interface ByteRun {
  /** First token of the run (index into the token list). */
  start: number;
  /** One past the last token. */
  end: number;
  /** The characters the joined bytes make (stray bytes, if any are left, as `<0xNN>`). */
  text: string;
  /** The code points of the whole characters: "U+1F642". */
  codePoints: string;
}

export function byteRuns(tokens: readonly TokenText[]): ByteRun[] {
  const runs: ByteRun[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!tokens[i].bytes || tokens[i].special) {
      i++;
      continue;
    }
    const start = i;
    const bytes: number[] = [];
    while (i < tokens.length && tokens[i].bytes && !tokens[i].special) bytes.push(...tokens[i++].bytes!);
    const pieces = splitUtf8(bytes);
    // Worth a caption only when a character was completed across the tokens.
    const chars = pieces.flatMap((p) => (p.kind === "text" ? [...p.text] : []));
    const joined = chars.filter((ch) => ch.codePointAt(0)! > 0x7f);
    if (i - start >= 2 && joined.length > 0) {
      runs.push({
        start,
        end: i,
        text: pieces.map((p) => (p.kind === "text" ? p.text : byteLabel(p.byte))).join(""),
        codePoints: joined.map(codePointLabel).join(" "),
      });
    }
  }
  return runs;
}
