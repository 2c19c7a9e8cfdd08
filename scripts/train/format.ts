// The text format course-lm is trained on. The turn format itself (`<|ROLE|>` + content +
// `<|end|>` + "\n", the special tokens, the Jinja chat template) lives in
// lib/tokenizers/bpe/chat.ts; this file adds what the training scripts need on top of it, so the
// corpus builder, the eval script and the checks render a tutor prompt identically.
import { renderChat, renderTurns, SPECIAL_TOKENS, type ChatMessage } from "../../lib/tokenizers/bpe/chat.ts";

export { renderChat, renderTurns, type ChatMessage };
export const EOS = SPECIAL_TOKENS.endOfText; // id 0: ends every document in the corpus
export const END = SPECIAL_TOKENS.end; // id 5: ends every turn; generation stops on it

/**
 * The short system prompts the corpus puts in front of some dialogues. Only some, so the model
 * answers sensibly with or without one; a few phrasings, so it does not hang on one exact string.
 */
export const SYSTEM_PROMPTS = [
  "You are the Glassbox tutor. Answer questions about how language models work in one to four plain, precise sentences.",
  "You are a friendly tutor for a course on large language models. Answer briefly and correctly, using the lesson passage when one is given.",
  "You are Glassbox, a tutor that explains tokens, embeddings, probabilities and sampling. Keep answers short and exact.",
];

/** The order of turns in a tutor prompt: system (optional), retrieved passage (optional), question. */
export function tutorMessages(question: string, context?: string, system?: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (system) messages.push({ role: "system", content: system });
  if (context) messages.push({ role: "context", content: context });
  messages.push({ role: "user", content: question });
  return messages;
}

/**
 * The prompt string for a tutor question, as the model was trained to continue it: exactly
 * what the chat template renders (it starts with `<|endoftext|>`, since in the corpus every
 * document follows one).
 */
export function tutorPrompt(question: string, context?: string, system?: string): string {
  return renderChat(tutorMessages(question, context, system), true);
}

/**
 * A training document from a prompt the app's tutor built (lib/tutor/plan.ts, rendered for
 * course-lm) and a dialogue's answer: the prompt without its leading `<|endoftext|>` (in the
 * corpus the previous document's supplies it), the answer, and `<|end|>` — the same turn format
 * as a hand-written dialogue (renderTurns).
 */
export function promptedDialogue(prompt: string, answer: string): string {
  const turns = prompt.startsWith(EOS) ? prompt.slice(EOS.length) : prompt;
  return `${turns}${answer}${END}\n`;
}

/**
 * The reply course-lm is trained to give when none of the passages in its prompt answers the
 * question (scripts/train/grounded.ts): honest, and it points at the sources listed under it.
 */
export const NOT_IN_PASSAGES = "The passages I was given don't answer that, so I won't guess. The lessons listed below are the closest the course has.";
