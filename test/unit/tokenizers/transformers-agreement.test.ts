/**
 * Our exported tokenizer.json / tokenizer_config.json, loaded by transformers.js exactly as
 * the app loads course-lm: same ids as our encoder, exact round trips, single-id special
 * tokens, and the chat template rendering the agreed format.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AutoTokenizer, env, type PreTrainedTokenizer } from "@huggingface/transformers";
import { BpeEncoder } from "@/lib/tokenizers/bpe/encode";
import { fromTokenizerJson, toTokenizerConfig, toTokenizerJson } from "@/lib/tokenizers/bpe/export";
import { SPECIAL_TOKEN_IDS, SPECIAL_TOKEN_LIST, renderChat, type ChatMessage } from "@/lib/tokenizers/bpe/chat";
import { trainBpe } from "@/lib/tokenizers/bpe/train";

const CORPUS = `
A language model reads text as tokens. A token is a piece of text: a word, part of a word,
a space followed by a word, or a single byte. The tokenizer turns text into token ids, and the
model predicts the next token id. Byte pair encoding starts from the 256 bytes and merges the
most frequent adjacent pair, again and again, until the vocabulary is full.

    Indented code:	tabs	and  spaces   and\r\nwindows line endings.
def f(x):
    return x ** 2 + 3.14159 * x - 42  # comments, numbers 1234567890

It's, don't, we'll, they're, I'm, you've, he'd. "Quotes" and 'single quotes'.
Maths: ∑ᵢ pᵢ log pᵢ ≤ 0, ∀x ∈ ℝ, x² ≥ 0, √2 ≈ 1.414, α β γ δ ∞ ≠ ±.
日本語のテキストも少し。中文也有一点。한국어도 조금.
Emoji: 🙂 🤖 👍🏽 👨‍👩‍👧 🇫🇷 — and accents: café, naïve, Ångström, façade.
`.repeat(3);

const SAMPLES = [
  "Hello, world!",
  "The quick brown fox jumps over the lazy dog.",
  "    four leading spaces, two trailing  ",
  "a  b   c    d",
  "tabs\tand\t\ttabs",
  "line\nbreaks\n\n\nand\r\nCRLF\n",
  " \t \n ",
  "🙂🤖👍🏽👨‍👩‍👧🇫🇷",
  "日本語のテキスト、中文、한국어",
  "∑ᵢ pᵢ log pᵢ ≤ 0; ∀x ∈ ℝ: x² ≥ 0; √2 ≈ 1.414",
  "It's 3.14159... don't 1234567890!",
  "unseen: Ωμέγα Привет עברית",
  "\u0000control\u0007chars\u007f",
  "\uFEFFstarts with a BOM",
  "<|user|>What is a token?<|end|>\n<|assistant|>A piece of text.<|end|>\n<|endoftext|>",
  "almost special: <|user| <|end|> <|nope|> <|endoftext",
];

let dir: string;
let ours: BpeEncoder;
let theirs: PreTrainedTokenizer;

beforeAll(async () => {
  const model = trainBpe(CORPUS, { vocabSize: 700, specialTokens: SPECIAL_TOKEN_LIST });
  ours = new BpeEncoder(model);
  const root = mkdtempSync(path.join(tmpdir(), "glassbox-tok-"));
  dir = path.join(root, "toy-lm");
  mkdirSync(dir);
  writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(toTokenizerJson(model)));
  writeFileSync(path.join(dir, "tokenizer_config.json"), JSON.stringify(toTokenizerConfig(model, { modelMaxLength: 512 })));
  // transformers.js resolves a model id under env.localModelPath; never go to the network.
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = root;
  theirs = await AutoTokenizer.from_pretrained("toy-lm");
});

afterAll(() => {
  if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
});

function theirIds(text: string): number[] {
  return theirs.encode(text, { add_special_tokens: false });
}

describe("exported tokenizer in transformers.js", () => {
  it.each(SAMPLES)("gives our ids and round-trips: %j", (text) => {
    const ids = ours.encode(text);
    expect(theirIds(text)).toEqual(ids);
    expect(theirs.decode(ids)).toBe(text);
    expect(ours.decode(ids)).toBe(text);
  });

  it("really merges (the test is not comparing bytes with bytes)", () => {
    const text = "The tokenizer turns text into token ids";
    expect(ours.encode(text).length).toBeLessThan(new TextEncoder().encode(text).length / 2);
  });

  it("agrees on every line of the training corpus", () => {
    for (const line of CORPUS.split("\n")) expect(theirIds(line)).toEqual(ours.encode(line));
  });

  it("encodes each special token to its single fixed id", () => {
    SPECIAL_TOKEN_LIST.forEach((token, id) => {
      expect(theirIds(token)).toEqual([id]);
      expect(ours.encode(token)).toEqual([id]);
    });
    expect(SPECIAL_TOKEN_IDS.end).toBe(5);
  });

  it("renders the chat template", () => {
    const chat: ChatMessage[] = [
      { role: "system", content: "You are the Glassbox tutor." },
      { role: "context", content: "Lesson 5: a token is a piece of text." },
      { role: "user", content: "What is a token?" },
      { role: "assistant", content: "A piece of text with an id." },
      { role: "user", content: "Thanks!" },
    ];
    const expected =
      "<|endoftext|>" + // bos_token: every training document follows one
      "<|system|>You are the Glassbox tutor.<|end|>\n" +
      "<|context|>Lesson 5: a token is a piece of text.<|end|>\n" +
      "<|user|>What is a token?<|end|>\n" +
      "<|assistant|>A piece of text with an id.<|end|>\n" +
      "<|user|>Thanks!<|end|>\n";
    expect(theirs.apply_chat_template(chat, { tokenize: false })).toBe(expected);
    expect(theirs.apply_chat_template(chat, { tokenize: false, add_generation_prompt: true })).toBe(
      expected + "<|assistant|>",
    );
    expect(renderChat(chat, true)).toBe(expected + "<|assistant|>");
    const ids = theirs.apply_chat_template(chat, { add_generation_prompt: true, return_tensor: false, return_dict: false });
    expect(ids).toEqual(ours.encode(expected + "<|assistant|>"));
    expect(() => theirs.apply_chat_template([{ role: "tool", content: "x" }], { tokenize: false })).toThrow(/Unknown role/);
  });

  it("exposes the special tokens in its config", () => {
    expect(theirs.eos_token).toBe("<|endoftext|>");
    expect(theirs.pad_token_id).toBe(0);
    expect(theirs.all_special_ids).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("reads back into our encoder", () => {
    const json = JSON.parse(readFileSync(path.join(dir, "tokenizer.json"), "utf8"));
    const again = new BpeEncoder(fromTokenizerJson(json));
    for (const text of SAMPLES) expect(again.encode(text)).toEqual(ours.encode(text));
  });
});

// The shipped course-lm tokenizer, once `scripts/train/tokenizer.ts` has written it.
const SHIPPED = path.resolve("public/models/course-lm");
describe("shipped course-lm tokenizer", () => {
  it("loads in transformers.js and agrees with our encoder", async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = path.dirname(SHIPPED);
    const tok = await AutoTokenizer.from_pretrained(path.basename(SHIPPED));
    const enc = new BpeEncoder(fromTokenizerJson(JSON.parse(readFileSync(path.join(SHIPPED, "tokenizer.json"), "utf8"))));
    for (const text of SAMPLES) {
      const ids = tok.encode(text, { add_special_tokens: false });
      expect(ids).toEqual(enc.encode(text));
      expect(tok.decode(ids)).toBe(text);
    }
    SPECIAL_TOKEN_LIST.forEach((token, id) => expect(tok.encode(token, { add_special_tokens: false })).toEqual([id]));
  });
});
