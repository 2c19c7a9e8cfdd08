/**
 * course-lm's special tokens and chat format — one place, shared by the trainer, the
 * exporter, the corpus scripts and the tutor.
 *
 * The special tokens take the first ids (0..5), in this order, so their ids stay the
 * same however the rest of the vocabulary changes when the tokenizer is re-trained.
 */

export const SPECIAL_TOKENS = {
  /** End of a document; also used as padding. id 0. */
  endOfText: "<|endoftext|>",
  system: "<|system|>",
  user: "<|user|>",
  assistant: "<|assistant|>",
  /** Opens a retrieved lesson passage the tutor should answer from. */
  context: "<|context|>",
  /** Closes every turn; generation stops on it. */
  end: "<|end|>",
} as const;

/** The special tokens in id order: SPECIAL_TOKEN_LIST[id] is the token with that id. */
export const SPECIAL_TOKEN_LIST: readonly string[] = [
  SPECIAL_TOKENS.endOfText,
  SPECIAL_TOKENS.system,
  SPECIAL_TOKENS.user,
  SPECIAL_TOKENS.assistant,
  SPECIAL_TOKENS.context,
  SPECIAL_TOKENS.end,
];

export const SPECIAL_TOKEN_IDS = {
  endOfText: 0,
  system: 1,
  user: 2,
  assistant: 3,
  context: 4,
  end: 5,
} as const satisfies Record<keyof typeof SPECIAL_TOKENS, number>;

export type ChatRole = "system" | "context" | "user" | "assistant";
export const CHAT_ROLES: readonly ChatRole[] = ["system", "context", "user", "assistant"];
export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/**
 * The Jinja chat template shipped in tokenizer_config.json. A conversation starts with
 * bos_token (`<|endoftext|>`: in the training corpus every document follows one, so a
 * prompt must too). A turn is `<|role|>` + content + `<|end|>` + "\n"; with
 * add_generation_prompt the prompt ends with `<|assistant|>` so the model writes the reply
 * (and then `<|end|>`). Whitespace control (`-`) keeps the template's own line breaks out.
 */
export const CHAT_TEMPLATE = [
  "{{- bos_token -}}",
  "{%- for message in messages -%}",
  "{%- if message['role'] not in ['system', 'context', 'user', 'assistant'] -%}",
  "{{- raise_exception('Unknown role: ' + message['role']) -}}",
  "{%- endif -%}",
  "{{- '<|' + message['role'] + '|>' + message['content'] + '<|end|>' + '\\n' -}}",
  "{%- endfor -%}",
  "{%- if add_generation_prompt -%}{{- '<|assistant|>' -}}{%- endif -%}",
].join("");

/** The same rendering as CHAT_TEMPLATE, in TypeScript (tests check they agree). */
export function renderChat(messages: readonly ChatMessage[], addGenerationPrompt = false): string {
  return SPECIAL_TOKENS.endOfText + renderTurns(messages, addGenerationPrompt);
}

/** The turns alone, without the leading bos_token: how dialogues sit in the training
 * corpus, where the previous document's `<|endoftext|>` precedes them. */
export function renderTurns(messages: readonly ChatMessage[], addGenerationPrompt = false): string {
  let out = "";
  for (const m of messages) {
    if (!CHAT_ROLES.includes(m.role)) throw new Error(`Unknown role: ${m.role}`);
    out += `<|${m.role}|>${m.content}${SPECIAL_TOKENS.end}\n`;
  }
  return addGenerationPrompt ? out + SPECIAL_TOKENS.assistant : out;
}
