/**
 * What the tutor's prompt builder needs from a tokenizer, and the adapters that provide it
 * on the server (the loaded model's transformers.js tokenizer), in the browser (course-lm's
 * own BPE encoder, read from its tokenizer.json) and, for a model whose tokenizer the browser
 * does not have, a safe over-estimate (UTF-8 bytes: a byte-level token covers at least one).
 *
 * Isomorphic: type-only imports.
 */
import type { BpeEncoder } from "../tokenizers/bpe/encode.ts";
import { renderChat, SPECIAL_TOKENS, type ChatMessage as CourseChatMessage } from "../tokenizers/bpe/chat.ts";

/** A chat turn as the prompt builder writes it (roles: system, context, user, assistant). */
export interface PromptMessage {
  role: "system" | "context" | "user" | "assistant";
  content: string;
}

export interface PromptTokenizer {
  /** Token ids of `text` (special tokens written in it become their ids; nothing is added around it). */
  encode(text: string): number[];
  /** Ids back to text (special tokens kept). */
  decode(ids: number[]): string;
}

/**
 * How a model reads a tutor prompt: how the turns are rendered and how many tokens they make.
 * - "course-lm": course-lm's own format, as it was trained: `<|endoftext|>` then each turn as
 *   `<|role|>content<|end|>\n`, retrieved passages as `<|context|>` turns, ending `<|assistant|>`.
 *   Generated from the rendered text (`prompt`), so the count is exact.
 * - "chat": any other chat model, through its own chat template; it knows no "context" role,
 *   so the passages go into the system message.
 */
export interface PromptFormat {
  kind: "course-lm" | "chat";
  /** Tokens the model will see for these turns (with the generation prompt). */
  count(messages: readonly PromptMessage[]): number;
  /** For "course-lm": the exact prompt text. */
  render?(messages: readonly PromptMessage[]): string;
  /** True when count() is an upper bound rather than exact. */
  estimated?: boolean;
}

/**
 * The text course-lm is prompted with, exactly as its training dialogues read: the
 * `<|endoftext|>` every training document follows, then the turns, then `<|assistant|>`.
 * (renderChat writes the leading `<|endoftext|>` itself where the chat template has a
 * bos_token; an older template without one gets it added here.)
 */
export function renderCourseLmPrompt(messages: readonly PromptMessage[]): string {
  const text = renderChat(messages as readonly CourseChatMessage[], true);
  return text.startsWith(SPECIAL_TOKENS.endOfText) ? text : SPECIAL_TOKENS.endOfText + text;
}

export function courseLmFormat(tokenizer: PromptTokenizer): PromptFormat {
  return {
    kind: "course-lm",
    count: (messages) => tokenizer.encode(renderCourseLmPrompt(messages)).length,
    render: renderCourseLmPrompt,
  };
}

/** A chat-template model whose prompt the caller can count exactly (server: preparePrompt). */
export function chatFormat(count: (messages: readonly PromptMessage[]) => number, estimated = false): PromptFormat {
  return { kind: "chat", count, ...(estimated ? { estimated } : {}) };
}

/** The part of a transformers.js tokenizer used here. */
interface TransformersTokenizerLike {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
}

export function fromTransformersTokenizer(tokenizer: TransformersTokenizerLike): PromptTokenizer {
  return {
    encode: (text) => (text.length === 0 ? [] : tokenizer.encode(text, { add_special_tokens: false })),
    decode: (ids) => (ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: false })),
  };
}

export function fromBpeEncoder(encoder: Pick<BpeEncoder, "encode" | "decode">): PromptTokenizer {
  return { encode: (text) => encoder.encode(text), decode: (ids) => encoder.decode(ids) };
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * An upper bound for byte-level tokenizers: one "token" per UTF-8 byte. Passages are then
 * cut at byte boundaries that are whole characters. The context meter says "estimated".
 */
export const byteTokenizer: PromptTokenizer = {
  encode: (text) => Array.from(utf8.encode(text)),
  decode: (ids) => utf8Decoder.decode(Uint8Array.from(ids)),
};

/** Over-estimate for a chat template we cannot run here: bytes of each turn plus a few marker tokens. */
export function estimatedChatFormat(): PromptFormat {
  return chatFormat((messages) => messages.reduce((n, m) => n + utf8.encode(m.content).length + 8, 8), true);
}
