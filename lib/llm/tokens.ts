/**
 * Token id → how the token reads, for traces: byte-faithful, cached per vocabulary.
 *
 * A tokenizer's decode([id]) is the wrong tool for one token: for a token holding half of
 * an emoji it returns "�", and it hides special tokens or spaces depending on options. The
 * inspector must show exactly what the model produced, so we read the token's own string
 * from the vocabulary and convert it:
 * - byte-level BPE (GPT-2, course-lm, SmolLM2, Qwen): each character stands for one byte
 *   (lib/tokenizers/bytes.ts); a partial UTF-8 token keeps its raw bytes;
 * - SentencePiece-style vocabularies (Llama 2, Gemma): "▁" is a space and "<0xF0>" is a
 *   raw byte (byte fallback);
 * - special tokens ("<|end|>", "<|im_start|>") read as their own names, flagged special.
 *
 * Isomorphic (type-only import of transformers.js).
 */
import { describeBytes, describeToken } from "../tokenizers/bytes.ts";
import type { TokenText } from "./trace.ts";

/** The part of a transformers.js tokenizer this module uses (a fake one is enough in tests). */
export interface TokenizerLike {
  get_vocab(): Map<string, number>;
  all_special_ids: number[];
  decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
  /** transformers.js keeps the parsed tokenizer.json here; we only read decoder/pre_tokenizer types. */
  _tokenizerJSON?: unknown;
}

const utf8 = new TextEncoder();

/** Does this tokenizer.json describe a byte-level BPE (GPT-2's byte ↔ character table)? */
export function isByteLevelTokenizer(json: unknown): boolean {
  const j = json as { decoder?: unknown; pre_tokenizer?: unknown } | null | undefined;
  const has = (node: unknown): boolean => {
    const n = node as { type?: string; decoders?: unknown[]; pretokenizers?: unknown[] } | null | undefined;
    if (!n) return false;
    if (n.type === "ByteLevel") return true;
    return (n.decoders ?? n.pretokenizers ?? []).some(has);
  };
  return has(j?.decoder) || has(j?.pre_tokenizer);
}

export class TokenTable {
  private readonly tokens: (string | undefined)[];
  private readonly special: Set<number>;
  private readonly byteLevel: boolean;
  private readonly cache: (TokenText | undefined)[] = [];

  constructor(private readonly tokenizer: TokenizerLike) {
    this.tokens = [];
    for (const [token, id] of tokenizer.get_vocab()) this.tokens[id] = token;
    this.special = new Set(tokenizer.all_special_ids);
    this.byteLevel = isByteLevelTokenizer(tokenizer._tokenizerJSON);
  }

  /** Number of ids the tokenizer knows (the model's logits may have a few more, unused). */
  get size(): number {
    return this.tokens.length;
  }

  /** The vocabulary's own string for an id ("Ġthe"), or undefined for an unused id. */
  rawToken(id: number): string | undefined {
    return this.tokens[id];
  }

  isSpecial(id: number): boolean {
    return this.special.has(id);
  }

  /** How token `id` reads (cached: built once per id). */
  text(id: number): TokenText {
    let t = this.cache[id];
    if (!t) this.cache[id] = t = this.describe(id);
    return t;
  }

  private describe(id: number): TokenText {
    const token = this.tokens[id];
    // Ids past the tokenizer's vocabulary exist when the embedding matrix was padded to a
    // round size (Qwen: 151,936 rows for 151,665 tokens); the model gives them logits too.
    if (token === undefined) return { text: `<unused ${id}>` };
    if (this.special.has(id)) return { text: token, special: true };
    let bytes: Uint8Array;
    if (this.byteLevel) {
      try {
        const d = describeToken(token);
        return d.partial ? { text: d.text, bytes: Array.from(d.bytes) } : { text: d.text };
      } catch {
        // An added (non-special) token outside the byte alphabet: its text is literal.
        bytes = utf8.encode(token);
      }
    } else {
      const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(token);
      bytes = byte ? Uint8Array.of(parseInt(byte[1], 16)) : utf8.encode(token.replaceAll("\u2581", " "));
    }
    const d = describeBytes(bytes);
    return d.partial ? { text: d.text, bytes: Array.from(d.bytes) } : { text: d.text };
  }

  /** Decode ids to text as the tokenizer does (bytes joined first, so split characters come out whole). */
  decode(ids: number[], skipSpecialTokens = false): string {
    if (ids.length === 0) return ""; // transformers.js throws on an empty list
    return this.tokenizer.decode(ids, { skip_special_tokens: skipSpecialTokens });
  }
}
