/**
 * Hugging Face file formats for a trained byte-level BPE: `tokenizer.json` (the
 * tokenizer itself) and `tokenizer_config.json` (which tokens are bos/eos/pad, the chat
 * template, decoding options). transformers.js's AutoTokenizer needs both; Python's
 * `tokenizers`/`transformers` read the same files.
 *
 * The pipeline we declare must be exactly the one our encoder implements:
 * no normalizer → ByteLevel pre-tokenizer (GPT-2 regex, no prefix space) → BPE with our
 * merges → no post-processor (nothing is added around the text: the chat template places
 * special tokens explicitly) → ByteLevel decoder.
 */

import { CHAT_TEMPLATE, SPECIAL_TOKENS } from "./chat.ts";
import type { BpeModel } from "./train.ts";

export interface TokenizerJson {
  version: string;
  truncation: null;
  padding: null;
  added_tokens: AddedToken[];
  normalizer: null;
  pre_tokenizer: { type: "ByteLevel"; add_prefix_space: false; trim_offsets: boolean; use_regex: true };
  post_processor: null;
  decoder: { type: "ByteLevel"; add_prefix_space: boolean; trim_offsets: boolean; use_regex: boolean };
  model: {
    type: "BPE";
    dropout: null;
    unk_token: null;
    continuing_subword_prefix: null;
    end_of_word_suffix: null;
    fuse_unk: false;
    byte_fallback: false;
    ignore_merges: false;
    vocab: Record<string, number>;
    merges: [string, string][];
  };
}

export interface AddedToken {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  /** false: matched in the raw text, before any normalizer. */
  normalized: boolean;
  special: boolean;
}

/** Build tokenizer.json. Special tokens are added tokens (never split) with special: true. */
export function toTokenizerJson(model: BpeModel): TokenizerJson {
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: model.specialTokens.map((content) => ({
      id: model.vocab[content],
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null, // every byte is in the vocabulary, so nothing is ever unknown
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false, // always apply merges, as our encoder does
      vocab: model.vocab,
      // Pairs, not "a b" strings: the newer format, unambiguous whatever the tokens contain.
      merges: model.merges,
    },
  };
}

export interface TokenizerConfigOptions {
  /** Longest input the model was trained for (its context length). */
  modelMaxLength: number;
  chatTemplate?: string;
}

/**
 * Build tokenizer_config.json for course-lm's special tokens and chat format.
 * `<|endoftext|>` serves as bos/eos/unk/pad, as in GPT-2; replies end with `<|end|>`
 * (generation_config.json lists both as eos_token_id). clean_up_tokenization_spaces must
 * be false: its default (true) rewrites " ," to "," on decode and breaks round trips.
 * Left padding keeps batched prompts flush against the tokens being generated.
 */
export function toTokenizerConfig(model: BpeModel, options: TokenizerConfigOptions) {
  const addedTokensDecoder = Object.fromEntries(
    model.specialTokens.map((content) => [
      String(model.vocab[content]),
      { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true },
    ]),
  );
  return {
    tokenizer_class: "PreTrainedTokenizerFast",
    added_tokens_decoder: addedTokensDecoder,
    bos_token: SPECIAL_TOKENS.endOfText,
    eos_token: SPECIAL_TOKENS.endOfText,
    unk_token: SPECIAL_TOKENS.endOfText,
    pad_token: SPECIAL_TOKENS.endOfText,
    additional_special_tokens: model.specialTokens.filter((t) => t !== SPECIAL_TOKENS.endOfText),
    add_bos_token: false,
    add_eos_token: false,
    add_prefix_space: false,
    clean_up_tokenization_spaces: false,
    padding_side: "left",
    truncation_side: "left",
    model_max_length: options.modelMaxLength,
    chat_template: options.chatTemplate ?? CHAT_TEMPLATE,
  };
}

/**
 * Read a byte-level BPE tokenizer.json back into the shape BpeEncoder takes
 * (ours, or e.g. GPT-2's). Accepts both merge formats: ["a","b"] pairs and "a b" strings.
 * Every added token is returned in `specialTokens`, since all of them are split out unmerged.
 */
export function fromTokenizerJson(json: unknown): Pick<BpeModel, "vocab" | "merges" | "specialTokens"> {
  const j = json as Partial<TokenizerJson> & { model?: { type?: string; merges?: unknown[] } };
  if (j.model?.type !== "BPE" || j.pre_tokenizer?.type !== "ByteLevel") {
    throw new Error("not a byte-level BPE tokenizer.json");
  }
  // Added tokens (ours: the special tokens) are matched in the raw text before anything else.
  const added = j.added_tokens ?? [];
  const vocab: Record<string, number> = Object.fromEntries([
    ...Object.entries(j.model.vocab ?? {}),
    ...added.map((t): [string, number] => [t.content, t.id]),
  ]);
  const merges = (j.model.merges ?? []).map((m): [string, string] => {
    if (Array.isArray(m)) return [String(m[0]), String(m[1])];
    const [l, r] = String(m).split(" ", 2);
    return [l, r];
  });
  const specialTokens = added.map((t) => t.content);
  return { vocab, merges, specialTokens };
}
