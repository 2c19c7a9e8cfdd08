import { describe, expect, it } from "vitest";
import { wordMap, parseWordList } from "@/lib/embeddings/word-map";
import { commonWordTokens, displayText, lookupToken, normalizeQuery, suggestTokens, vocabFromTokenizerJson, wordToken } from "@/lib/embeddings/vocab";

// A tiny byte-level vocabulary in tokenizer.json's shape ("Ġ" is a leading space).
const json = {
  model: { vocab: { "<|end|>": 0, a: 1, king: 2, "Ġking": 3, "Ġsat": 4, Paris: 5, "Ġthe": 6, "Ġqueen": 7, "ð": 8, "Ġa": 9, "Ġkingdom": 10 } },
  added_tokens: [{ id: 0, content: "<|end|>", special: true }],
};
const vocab = vocabFromTokenizerJson(json);

describe("vocabFromTokenizerJson", () => {
  it("reads every id with byte-faithful text, special tokens flagged", () => {
    expect(vocab.entries).toHaveLength(11);
    expect(vocab.entries[3]).toMatchObject({ raw: "Ġking", text: " king", special: false });
    expect(vocab.entries[0]).toMatchObject({ text: "<|end|>", special: true });
    // "ð" is the byte 0xF0: the start of a 4-byte character, not a character on its own.
    expect(vocab.entries[8]).toMatchObject({ text: "<0xF0>", partial: true });
  });

  it("pads to the matrix's row count with unused ids", () => {
    const padded = vocabFromTokenizerJson(json, 13);
    expect(padded.entries).toHaveLength(13);
    expect(padded.entries[12]).toMatchObject({ special: true, text: "<unused 12>" });
  });
});

describe("lookupToken", () => {
  it("finds the exact token, with or without the leading space", () => {
    expect(lookupToken(vocab, "king")).toEqual({ id: 2, match: "exact" });
    expect(lookupToken(vocab, " king")).toEqual({ id: 3, match: "exact" });
  });

  it("accepts ·, Ġ and ␣ as a typed leading space", () => {
    for (const q of ["·king", "Ġking", "␣king"]) expect(lookupToken(vocab, q)).toEqual({ id: 3, match: "exact" });
    expect(normalizeQuery("·sat")).toBe(" sat");
    expect(displayText(" sat")).toBe("·sat");
    expect(displayText("sat")).toBe("sat");
  });

  it("falls back to the other spacing when only that one is a token", () => {
    expect(lookupToken(vocab, "sat")).toEqual({ id: 4, match: "added-space" });
    expect(lookupToken(vocab, "·Paris")).toEqual({ id: 5, match: "removed-space" });
  });

  it("finds nothing for unknown text, empty text or a special token", () => {
    expect(lookupToken(vocab, "dragon")).toBeNull();
    expect(lookupToken(vocab, "")).toBeNull();
    expect(lookupToken(vocab, "<|end|>")).toBeNull();
  });
});

describe("suggestTokens", () => {
  it("offers tokens starting with the text (with or without a space), shortest first", () => {
    expect(suggestTokens(vocab, "kin").map((e) => e.id)).toEqual([2, 3, 10]);
    expect(suggestTokens(vocab, "·kin").map((e) => e.id)).toEqual([3, 10]);
    expect(suggestTokens(vocab, "")).toEqual([]);
  });
});

describe("wordToken", () => {
  // A stand-in tokenizer: whole tokens when the vocabulary has them, else one token per character.
  const ids = new Map(vocab.entries.map((e) => [e.text, e.id]));
  const encode = (text: string) => (ids.has(text) ? [ids.get(text)!] : [...text].map((_, i) => 100 + i));

  it("prefers the mid-sentence (leading space) token, then the bare one", () => {
    expect(wordToken("king", encode)).toEqual({ word: "king", id: 3, pieces: [3], whole: true });
    expect(wordToken("Paris", encode)).toEqual({ word: "Paris", id: 5, pieces: [5], whole: true });
  });

  it("uses the first piece of a word that is several tokens, and says it is not whole", () => {
    expect(wordToken("dragon", encode)).toMatchObject({ id: 100, whole: false });
    expect(wordToken("dragon", encode)!.pieces).toHaveLength(7);
    expect(wordToken("  ", encode)).toBeNull();
  });
});

describe("commonWordTokens", () => {
  it("lists whole-word tokens (space + letters) in id order", () => {
    expect(commonWordTokens(vocab, 10, 3)).toEqual([3, 4, 6, 7, 10]);
    expect(commonWordTokens(vocab, 10)).toEqual([3, 7, 10]);
    expect(commonWordTokens(vocab, 2, 3)).toEqual([3, 4]);
    expect(commonWordTokens(vocab, 10, 5)).toEqual([7, 10]);
  });
});

describe("wordMap", () => {
  // Words of the small vocabulary above, on a 4-dimensional matrix built by hand.
  const rows = 11;
  const dim = 4;
  const data = new Float32Array(rows * dim);
  const set = (id: number, v: number[]) => data.set(v, id * dim);
  set(3, [1, 0, 0, 0]); // " king"
  set(7, [0.9, 0.1, 0, 0]); // " queen"
  set(4, [0, 0, 1, 0]); // " sat"
  const m = { rows, dim, data };
  const ids = new Map(vocab.entries.map((e) => [e.text, e.id]));
  const encode = (text: string) => (ids.has(text) ? [ids.get(text)!] : text === " kings" ? [3, 1] : [...text].map(() => 1));

  it("projects each word's token and measures pairwise cosine", () => {
    const map = wordMap(m, vocab, encode, parseWordList(" king, queen,sat,king,,kings"));
    expect(map.words.map((w) => w.word)).toEqual(["king", "queen", "sat", "kings"]);
    expect(map.words[0]).toMatchObject({ id: 3, tokenText: " king", whole: true });
    // "kings" is two tokens here; its first piece is " king", so it sits exactly on "king".
    expect(map.words[3]).toMatchObject({ id: 3, whole: false, pieceTexts: [" king", "a"] });
    expect([map.words[3].x, map.words[3].y]).toEqual([map.words[0].x, map.words[0].y]);
    expect(map.similarity[0][0]).toBeCloseTo(1, 9);
    expect(map.similarity[0][1]).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 6);
    expect(map.similarity[0][2]).toBe(0);
    expect(map.similarity[1][0]).toBe(map.similarity[0][1]);
    // king and queen are close, sat is far: the projection keeps that order.
    const d = (i: number, j: number) => Math.hypot(map.words[i].x - map.words[j].x, map.words[i].y - map.words[j].y);
    expect(d(0, 1)).toBeLessThan(d(0, 2));
  });
});
