import { describe, expect, it } from "vitest";
import { BpeEncoder } from "@/lib/tokenizers/bpe/encode";
import { BinaryHeap } from "@/lib/tokenizers/bpe/heap";
import { pretokenize, splitSpecialTokens, splitWords } from "@/lib/tokenizers/bpe/pretokenize";
import { BpeTrainer, countWords, trainBpe, type TrainProgress } from "@/lib/tokenizers/bpe/train";
import { SPECIAL_TOKEN_LIST } from "@/lib/tokenizers/bpe/chat";
import { UNICODE_TO_BYTE as BYTE_OF } from "@/lib/tokenizers/bytes";

/** Sennrich et al.'s example: each text is one word, so the counts are easy to follow by hand. */
const TOY = [
  ...Array(5).fill("low"),
  ...Array(2).fill("lower"),
  ...Array(6).fill("newest"),
  ...Array(3).fill("widest"),
];

/** Small deterministic PRNG (mulberry32) for the property tests. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCorpus(seed: number, length: number, alphabet = "aab c\n🙂é1") {
  const r = rng(seed);
  const chars = Array.from(alphabet);
  return Array.from({ length }, () => chars[Math.floor(r() * chars.length)]).join("");
}

/** The textbook trainer: recount every pair from scratch before each merge. Same tie rule. */
function naivePairCounts(words: { tokens: string[]; count: number }[]) {
  const counts = new Map<string, number>();
  for (const { tokens, count } of words) {
    for (let i = 0; i + 1 < tokens.length; i++) {
      const key = `${tokens[i]} ${tokens[i + 1]}`;
      counts.set(key, (counts.get(key) ?? 0) + count);
    }
  }
  return counts;
}

describe("pre-tokenisation", () => {
  it("splits like GPT-2", () => {
    expect(splitWords("Hello world, it's 2024!  ok\n\n\tyes")).toEqual([
      "Hello", " world", ",", " it", "'s", " 2024", "!", " ", " ok", "\n\n", "\t", "yes",
    ]); // whitespace before a word leaves its last character to stand alone (only a space joins the word)
    expect(pretokenize(" the")).toEqual(["Ġthe"]);
  });

  it("cuts special tokens out first, longest match first", () => {
    expect(splitSpecialTokens("<|user|>Hi<|end|>\n<|endoftext|>", SPECIAL_TOKEN_LIST)).toEqual([
      { text: "<|user|>", special: true },
      { text: "Hi", special: false },
      { text: "<|end|>", special: true },
      { text: "\n", special: false },
      { text: "<|endoftext|>", special: true },
    ]);
  });

  it("never counts special tokens as corpus words", () => {
    const words = countWords(["a<|end|>b"], SPECIAL_TOKEN_LIST);
    expect([...words.keys()]).toEqual(["a", "b"]);
  });
});

describe("binary heap", () => {
  it("pops in order", () => {
    const h = new BinaryHeap<number>((a, b) => a < b);
    const r = rng(1);
    const xs = Array.from({ length: 200 }, () => Math.floor(r() * 50));
    xs.forEach((x) => h.push(x));
    const out: number[] = [];
    while (h.size) out.push(h.pop()!);
    expect(out).toEqual([...xs].sort((a, b) => a - b));
  });
});

describe("trainBpe", () => {
  it("learns the hand-computed merges of the toy corpus", () => {
    const result = trainBpe(TOY, { vocabSize: 256 + 12 });
    expect(result.merges.map(([l, r]) => `${l} ${r}`)).toEqual([
      "e s", // 9 — ties with "s t" (9); "e" < "s"
      "es t", // 9
      "l o", // 7 — ties with "o w" (7); "l" < "o"
      "lo w", // 7
      "e w", // 6 — ties with "n e" and "w est"; "e" is the smallest left token
      "ew est", // 6 — ties with "n ew"; "ew" < "n"
      "n ewest", // 6
      "d est", // 3 — ties with "i d", "w i"
      "i dest",
      "w idest",
      "e r", // 2 — ties with "low e"; "e" < "low"
      "low er",
    ]);
    expect(result.history.map((m) => m.count)).toEqual([9, 9, 7, 7, 6, 6, 6, 3, 3, 3, 2, 2]);
    expect(result.stats.stoppedEarly).toBe(false);
    expect(result.tokens).toHaveLength(268);
    expect(result.vocab["newest"]).toBe(256 + 6);
  });

  it("stops when no pair is frequent enough", () => {
    const result = trainBpe(TOY, { vocabSize: 1000 });
    expect(result.merges).toHaveLength(12);
    expect(result.stats.stoppedEarly).toBe(true);
    expect(trainBpe(TOY, { vocabSize: 1000, minFrequency: 4 }).merges).toHaveLength(7);
  });

  it("gives special tokens the first ids and the 256 bytes the next ones", () => {
    const result = trainBpe("a b", { vocabSize: 300, specialTokens: SPECIAL_TOKEN_LIST });
    expect(result.tokens.slice(0, 6)).toEqual(SPECIAL_TOKEN_LIST);
    expect(result.vocab["<|endoftext|>"]).toBe(0);
    expect(result.vocab["<|end|>"]).toBe(5);
    expect(result.vocab["Ā"]).toBe(6); // byte 0x00
    expect(result.vocab["Ġ"]).toBe(6 + 0x20);
  });

  it("is deterministic whatever the order of the corpus", () => {
    const texts = randomCorpus(7, 3000).split("\n");
    const a = trainBpe(texts, { vocabSize: 320, minFrequency: 1 });
    const b = trainBpe([...texts].reverse(), { vocabSize: 320, minFrequency: 1 });
    expect(b.merges).toEqual(a.merges);
    expect(b.vocab).toEqual(a.vocab);
  });

  it("reports progress and every merge", () => {
    const progress: TrainProgress[] = [];
    let merges = 0;
    trainBpe(TOY, { vocabSize: 268, progressEvery: 5, onProgress: (p) => progress.push(p), onMerge: () => merges++ });
    expect(merges).toBe(12);
    expect(progress.map((p) => p.merges)).toEqual([5, 10, 12]);
    expect(progress.at(-1)).toMatchObject({ target: 12, lastMerge: { merged: "lower" } });
  });

  it("peek() announces the merge step() will make", () => {
    const t = new BpeTrainer(countWords(TOY));
    expect(t.peek()).toEqual({ left: "e", right: "s", count: 9 });
    expect(t.step()).toMatchObject({ left: "e", right: "s", merged: "es", count: 9, rank: 0, id: 256 });
  });
});

describe("incremental pair counts (property)", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`equal a full recount after every merge (seed ${seed})`, () => {
      const text = randomCorpus(seed, 2000);
      const trainer = BpeTrainer.fromTexts([text]);
      const before = trainer.segmentedWords().map((w) => w.tokens.join(""));
      for (let step = 0; step < 80; step++) {
        const expected = naivePairCounts(trainer.segmentedWords());
        expect(trainer.pairCountsSnapshot()).toEqual(expected);
        // The chosen pair is the naive argmax under the documented tie rule.
        const best = [...expected].sort(([ka, ca], [kb, cb]) => {
          if (ca !== cb) return cb - ca;
          const [la, ra] = ka.split(" ").map(bytesKey);
          const [lb, rb] = kb.split(" ").map(bytesKey);
          return la !== lb ? (la < lb ? -1 : 1) : ra < rb ? -1 : ra > rb ? 1 : 0;
        })[0];
        const merge = trainer.step();
        if (!best) {
          expect(merge).toBeNull();
          break;
        }
        expect(`${merge!.left} ${merge!.right}`).toBe(best[0]);
        expect(merge!.count).toBe(best[1]);
      }
      // Merging never changes what the words spell.
      expect(trainer.segmentedWords().map((w) => w.tokens.join(""))).toEqual(before);
    });
  }
});

/** A byte-level token's bytes as a binary string, which compares like unsigned bytes. */
function bytesKey(token: string) {
  return String.fromCharCode(...Array.from(token, (ch) => BYTE_OF.get(ch)!));
}

describe("BpeEncoder", () => {
  const model = trainBpe(TOY, { vocabSize: 268, specialTokens: ["<|end|>"] });
  const enc = new BpeEncoder(model);

  it("applies merges by rank", () => {
    expect(enc.encodeTokens("lowest").map((t) => t.token)).toEqual(["low", "est"]);
    expect(enc.encodeTokens("newer").map((t) => t.token)).toEqual(["n", "ew", "er"]);
    expect(enc.encodeTokens("widest<|end|>").map((t) => t.token)).toEqual(["widest", "<|end|>"]);
  });

  it("merges overlapping pairs left to right", () => {
    const m = trainBpe("aaa", { vocabSize: 257, minFrequency: 1 });
    expect(m.merges).toEqual([["a", "a"]]);
    expect(new BpeEncoder(m).encodeTokens("aaaaa").map((t) => t.token)).toEqual(["aa", "aa", "a"]);
  });

  it("round-trips any text, including bytes never seen in training", () => {
    const text = "lowest 🙂 日本語 ∑ x² \t\n  <|end|> end";
    expect(enc.decode(enc.encode(text))).toBe(text);
  });
});
