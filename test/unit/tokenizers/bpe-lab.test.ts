/** The BPE lab's training and replay functions (what its worker runs). */
import { describe, expect, it } from "vitest";
import { MAX_LAB_VOCAB, MIN_LAB_VOCAB, encodeWithMerges, trainForLab } from "@/lib/tokenizers/bpe/lab";

const TEXT = "the sun is fun and the sunny sun is fun. sunny, funny, sung: the fun sun sung a funny song in the sun.";

describe("trainForLab", () => {
  it("reports every merge, in batches, in rank order", () => {
    const batches: number[][] = [];
    const result = trainForLab(TEXT, 300, (merges) => batches.push(merges.map((m) => m.rank)), 5);
    const ranks = batches.flat();
    expect(ranks).toEqual(result.history.map((_, i) => i));
    expect(batches.slice(0, -1).every((b) => b.length === 5)).toBe(true);
    // The most frequent pair in this text is " s"+"un"-ish material: the first merge occurs often.
    expect(result.history[0].count).toBeGreaterThanOrEqual(result.history.at(-1)!.count);
    expect(result.history[0].id).toBe(256);
  });

  it("stops early on a short text when no pair occurs twice", () => {
    const result = trainForLab("abc abd", 400);
    expect(result.stoppedEarly).toBe(true);
    expect(result.history.length).toBeLessThan(400 - 256);
  });

  it("refuses vocabulary sizes outside the lab's range", () => {
    expect(() => trainForLab(TEXT, MIN_LAB_VOCAB - 1)).toThrow(RangeError);
    expect(() => trainForLab(TEXT, MAX_LAB_VOCAB + 1)).toThrow(RangeError);
    expect(() => trainForLab(TEXT, 300.5)).toThrow(RangeError);
  });
});

describe("encodeWithMerges (the replay)", () => {
  const { model } = trainForLab(TEXT, 300);

  it("gives bytes with no merges and fewer tokens with each step", () => {
    const bytes = new TextEncoder().encode(" the sun").length;
    expect(encodeWithMerges(model, " the sun", 0)).toHaveLength(bytes);
    const counts = [0, 1, 5, 20, model.merges.length].map((k) => encodeWithMerges(model, " the sun", k).length);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]);
    expect(counts.at(-1)).toBeLessThan(counts[0]);
  });

  it("keeps text byte-faithful: an emoji it never saw comes out as bytes", () => {
    const tokens = encodeWithMerges(model, "🤖");
    expect(tokens.map((t) => t.text)).toEqual(["<0xF0>", "<0x9F>", "<0xA4>", "<0x96>"]);
    expect(tokens.map((t) => t.id)).toEqual([0xf0, 0x9f, 0xa4, 0x96]);
  });
});
