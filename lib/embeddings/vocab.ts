/**
 * course-lm's vocabulary as the embeddings lab needs it: each id's readable text
 * (byte-faithful, lib/tokenizers/bytes.ts), lookup of a token by its text, and which token
 * stands for a word. In a byte-level BPE vocabulary a leading space is part of the token:
 * " king" (written "Ġking" in tokenizer.json, "·king" on screen) and "king" are two
 * different tokens with two different embedding rows.
 *
 * Isomorphic.
 */
import { describeToken, textToByteLevel } from "../tokenizers/bytes.ts";

export interface VocabEntry {
  id: number;
  /** The byte-level string in tokenizer.json ("Ġking"). */
  raw: string;
  /** How it reads (" king"); stray bytes as <0xNN>. */
  text: string;
  special: boolean;
  /** True when some byte is not a whole UTF-8 character. */
  partial: boolean;
}

export interface EmbeddingVocab {
  entries: VocabEntry[];
  byRaw: Map<string, number>;
}

interface TokenizerJsonLike {
  model?: { vocab?: Record<string, number> };
  added_tokens?: { id: number; content: string; special?: boolean }[];
}

/** The vocabulary of a byte-level BPE tokenizer.json, indexed by id (`size` rows). */
export function vocabFromTokenizerJson(json: unknown, size?: number): EmbeddingVocab {
  const j = json as TokenizerJsonLike;
  const vocab = j.model?.vocab;
  if (!vocab || typeof vocab !== "object") throw new Error("tokenizer.json has no model.vocab");
  const special = new Map((j.added_tokens ?? []).filter((t) => t.special !== false).map((t) => [t.id, t.content]));
  const raws: string[] = [];
  for (const [token, id] of Object.entries(vocab)) raws[id] = token;
  for (const [id, content] of special) raws[id] = content;
  const n = size ?? raws.length;
  const entries: VocabEntry[] = [];
  const byRaw = new Map<string, number>();
  for (let id = 0; id < n; id++) {
    const raw = raws[id];
    if (raw === undefined) {
      entries.push({ id, raw: "", text: `<unused ${id}>`, special: true, partial: false });
      continue;
    }
    byRaw.set(raw, id);
    if (special.has(id)) {
      entries.push({ id, raw, text: raw, special: true, partial: false });
      continue;
    }
    try {
      const d = describeToken(raw);
      entries.push({ id, raw, text: d.text, special: false, partial: d.partial });
    } catch {
      entries.push({ id, raw, text: raw, special: false, partial: false });
    }
  }
  return { entries, byRaw };
}

/** Space markers a learner may type for a leading space: "·" (how the app draws a space), "Ġ" (tokenizer.json), "␣". */
const SPACE_MARKER = /^[·Ġ␣]/u;

/** Text as typed → the token text it means: a leading space marker becomes a real space. */
export function normalizeQuery(query: string): string {
  return query.replace(SPACE_MARKER, " ");
}

/** A token's text as typed in the lab and kept in the URL: a leading space written "·". */
export function displayText(text: string): string {
  return text.startsWith(" ") ? `·${text.slice(1)}` : text;
}

export interface TokenMatch {
  id: number;
  /** "exact": the text is a token; otherwise the token with a leading space added or removed. */
  match: "exact" | "added-space" | "removed-space";
}

/**
 * The token whose text is `query` (after normalizeQuery), or else the same text with a
 * leading space added (or removed), so "sat" finds " sat" when there is no bare "sat".
 * Special tokens are not offered: their rows are never trained as words.
 */
export function lookupToken(vocab: EmbeddingVocab, query: string): TokenMatch | null {
  const text = normalizeQuery(query);
  if (text === "") return null;
  const find = (t: string) => {
    const id = vocab.byRaw.get(textToByteLevel(t));
    return id !== undefined && !vocab.entries[id].special ? id : undefined;
  };
  const exact = find(text);
  if (exact !== undefined) return { id: exact, match: "exact" };
  if (text.startsWith(" ")) {
    const bare = find(text.slice(1));
    return bare === undefined ? null : { id: bare, match: "removed-space" };
  }
  const spaced = find(` ${text}`);
  return spaced === undefined ? null : { id: spaced, match: "added-space" };
}

/** Up to `limit` tokens whose display text starts with the query (the autocomplete), shortest first, then by id. */
export function suggestTokens(vocab: EmbeddingVocab, query: string, limit = 20): VocabEntry[] {
  const text = normalizeQuery(query);
  if (text === "") return [];
  const lower = text.toLowerCase();
  const spaced = ` ${lower}`;
  return vocab.entries
    .filter((e) => !e.special && !e.partial && (e.text.toLowerCase().startsWith(lower) || (!text.startsWith(" ") && e.text.toLowerCase().startsWith(spaced))))
    .sort((a, b) => a.text.length - b.text.length || a.id - b.id)
    .slice(0, limit);
}

export interface WordToken {
  word: string;
  /** The token used for the word. */
  id: number;
  /** Every token the word splits into (as written mid-sentence, or alone when that is one token). */
  pieces: number[];
  /** One token: the whole word; several: `id` is only the first piece. */
  whole: boolean;
}

/**
 * Which token stands for a word. Mid-sentence a word carries its leading space, so " cat" is
 * tried first, then the bare "cat" (a sentence start, or a word only seen that way); when
 * neither is a single token, the word is several tokens and the first piece of " word" is
 * used — callers must say so. `encode` is the tokenizer (text → ids).
 */
export function wordToken(word: string, encode: (text: string) => number[]): WordToken | null {
  const w = word.trim();
  if (w === "") return null;
  const spaced = encode(` ${w}`);
  if (spaced.length === 1) return { word: w, id: spaced[0], pieces: spaced, whole: true };
  const bare = encode(w);
  if (bare.length === 1) return { word: w, id: bare[0], pieces: bare, whole: true };
  return { word: w, id: spaced[0], pieces: spaced, whole: false };
}

/**
 * Tokens worth labelling on the map: whole words (a leading space then at least `minLetters`
 * letters). BPE merges frequent pairs first, so a lower id is (roughly) a more frequent
 * token in the training text: the first `limit` such ids are the common words.
 */
export function commonWordTokens(vocab: EmbeddingVocab, limit: number, minLetters = 4): number[] {
  const re = new RegExp(`^ \\p{L}{${minLetters},}$`, "u");
  const out: number[] = [];
  for (const e of vocab.entries) {
    if (out.length >= limit) break;
    if (!e.special && re.test(e.text)) out.push(e.id);
  }
  return out;
}
