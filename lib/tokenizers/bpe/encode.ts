/**
 * Encoding with a trained byte-level BPE: apply the learned merges to new text.
 *
 * Per pre-tokenised word: start from its bytes, then repeatedly find the adjacent pair
 * with the lowest merge rank (the earliest-learned merge) and merge its occurrences, left
 * to right, until no adjacent pair is in the merge list. That replays training's merges
 * in training's order — the same result as Hugging Face's BPE model, which tests check
 * against transformers.js. Special tokens are cut out first and map straight to their ids.
 *
 * Written for clarity (O(n²) per word) with a per-word cache; words are short.
 */

import { decodeByteLevel, describeToken, type TokenDescription } from "../bytes.ts";
import type { BpeModel } from "./train.ts";
import { pretokenize, splitSpecialTokens } from "./pretokenize.ts";

export interface EncodedToken {
  id: number;
  /** The byte-level token string (as in tokenizer.json). */
  token: string;
  special: boolean;
}

export class BpeEncoder {
  private readonly ids: Map<string, number>;
  private readonly tokens: string[];
  private readonly ranks = new Map<string, number>();
  private readonly specials: string[];
  private readonly specialSet: Set<string>;
  private readonly cache = new Map<string, string[]>();

  constructor(model: Pick<BpeModel, "vocab" | "merges" | "specialTokens">) {
    this.ids = new Map(Object.entries(model.vocab));
    this.tokens = [];
    for (const [token, id] of this.ids) this.tokens[id] = token;
    // A pair is keyed "left right": byte-level tokens never contain a plain space.
    model.merges.forEach(([l, r], rank) => {
      const key = `${l} ${r}`;
      if (!this.ranks.has(key)) this.ranks.set(key, rank);
    });
    this.specials = [...model.specialTokens];
    this.specialSet = new Set(this.specials);
  }

  get vocabSize(): number {
    return this.tokens.length;
  }

  /** Text → token ids. Special tokens written in the text become their single ids. */
  encode(text: string): number[] {
    return this.encodeTokens(text).map((t) => t.id);
  }

  /** Text → tokens with ids (what the playground's tokenizer view shows). */
  encodeTokens(text: string): EncodedToken[] {
    const out: EncodedToken[] = [];
    for (const segment of splitSpecialTokens(text, this.specials)) {
      if (segment.special) {
        out.push({ id: this.idOf(segment.text), token: segment.text, special: true });
        continue;
      }
      for (const word of pretokenize(segment.text)) {
        for (const token of this.bpe(word)) out.push({ id: this.idOf(token), token, special: false });
      }
    }
    return out;
  }

  /** Ids → text. Bytes are joined before UTF-8 decoding, so split characters come out whole. */
  decode(ids: readonly number[]): string {
    let text = "";
    let run: string[] = []; // ordinary tokens waiting to be decoded together
    for (const id of ids) {
      const token = this.idToToken(id);
      if (this.specialSet.has(token)) {
        text += decodeByteLevel(run) + token;
        run = [];
      } else run.push(token);
    }
    return text + decodeByteLevel(run);
  }

  idToToken(id: number): string {
    const token = this.tokens[id];
    if (token === undefined) throw new Error(`no token with id ${id}`);
    return token;
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** Byte-faithful display of one token (special tokens are shown as written). */
  describe(id: number): TokenDescription {
    return describeToken(this.idToToken(id));
  }

  isSpecial(id: number): boolean {
    return this.specialSet.has(this.idToToken(id));
  }

  /** Apply the merges to one byte-level word. */
  bpe(word: string): string[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    let parts = Array.from(word); // one byte-level character per byte
    for (;;) {
      // Find the adjacent pair learned earliest.
      let bestRank = Infinity;
      let best = "";
      for (let i = 0; i + 1 < parts.length; i++) {
        const key = `${parts[i]} ${parts[i + 1]}`;
        const rank = this.ranks.get(key);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = key;
        }
      }
      if (bestRank === Infinity) break;
      // Merge every occurrence of that pair, left to right ("a a a" → "aa a").
      const next: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        if (i + 1 < parts.length && `${parts[i]} ${parts[i + 1]}` === best) {
          next.push(parts[i] + parts[i + 1]);
          i++;
        } else next.push(parts[i]);
      }
      parts = next;
    }
    if (this.cache.size < 50_000) this.cache.set(word, parts);
    return parts;
  }

  private idOf(token: string): number {
    const id = this.ids.get(token);
    // Cannot happen with a vocabulary that contains all 256 bytes; guard against hand-made ones.
    if (id === undefined) throw new Error(`token ${JSON.stringify(token)} is not in the vocabulary`);
    return id;
  }
}
