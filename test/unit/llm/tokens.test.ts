import { describe, expect, it } from "vitest";
import { TokenTable, isByteLevelTokenizer, type TokenizerLike } from "@/lib/llm/tokens";
import { bytesToByteLevel, textToByteLevel } from "@/lib/tokenizers/bytes";

function fake(vocab: string[], special: number[], json: unknown): TokenizerLike {
  return {
    get_vocab: () => new Map(vocab.map((t, i) => [t, i])),
    all_special_ids: special,
    decode: (ids) => ids.map((i) => vocab[i]).join(""),
    _tokenizerJSON: json,
  };
}

describe("TokenTable", () => {
  const smile = new TextEncoder().encode("🙂"); // F0 9F 99 82
  const byteLevel = fake(
    ["<|end|>", textToByteLevel(" the"), textToByteLevel("\n")],
    [0],
    { decoder: { type: "ByteLevel" } },
  );

  it("reads byte-level tokens as text, special tokens by name", () => {
    const t = new TokenTable(byteLevel);
    expect(t.text(0)).toEqual({ text: "<|end|>", special: true });
    expect(t.text(1)).toEqual({ text: " the" });
    expect(t.text(2)).toEqual({ text: "\n" });
    expect(t.text(99)).toEqual({ text: "<unused 99>" });
    expect(t.size).toBe(3);
  });

  it("keeps the bytes of a partial UTF-8 token", () => {
    // The first two of the four bytes of 🙂, as one byte-level token (and the other two).
    const tok = fake(["x", bytesToByteLevel(smile.subarray(0, 2)), bytesToByteLevel(smile.subarray(2))], [], {
      pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "ByteLevel" }] },
    });
    const t = new TokenTable(tok);
    expect(t.text(1)).toEqual({ text: "<0xF0><0x9F>", bytes: [0xf0, 0x9f] });
    expect(t.text(2)).toEqual({ text: "<0x99><0x82>", bytes: [0x99, 0x82] });
  });

  it("reads SentencePiece pieces: ▁ is a space, <0xNN> a raw byte", () => {
    const sp = fake(["<s>", "\u2581the", "<0xF0>", "ing"], [0], { decoder: { type: "Sequence", decoders: [{ type: "Replace" }, { type: "ByteFallback" }] } });
    const t = new TokenTable(sp);
    expect(t.text(0)).toEqual({ text: "<s>", special: true });
    expect(t.text(1)).toEqual({ text: " the" });
    expect(t.text(2)).toEqual({ text: "<0xF0>", bytes: [0xf0] });
    expect(t.text(3)).toEqual({ text: "ing" });
  });

  it("detects byte-level tokenizers from tokenizer.json", () => {
    expect(isByteLevelTokenizer({ decoder: { type: "ByteLevel" } })).toBe(true);
    expect(isByteLevelTokenizer({ pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "Split" }, { type: "ByteLevel" }] } })).toBe(true);
    expect(isByteLevelTokenizer({ decoder: { type: "Metaspace" } })).toBe(false);
    expect(isByteLevelTokenizer(undefined)).toBe(false);
  });
});
