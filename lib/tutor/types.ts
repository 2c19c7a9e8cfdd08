/**
 * The tutor's shared types: what retrieval returns, what a reply is grounded on (stored with
 * each assistant message as `sources`), the context-window report, and the NDJSON events of
 * POST /api/tutor. Used by the server, the browser and the CLI.
 *
 * Isomorphic: type-only imports.
 */
import type { DecodeEvent } from "../llm/trace.ts";

/** One retrievable passage: a piece of a lesson section, or one quiz question's explanation. */
export interface PassageDoc {
  /** Unique: `<lesson>#<section>/<n>`, `<lesson>#quiz/<question id>` or `<lesson>#faq/<question id>`. */
  id: string;
  /** A lesson section's paragraph, a quiz question with its explanation, or a common question's answer. */
  kind: "lesson" | "quiz" | "faq";
  lessonSlug: string;
  lessonTitle: string;
  /** The section's anchor on the lesson page; "quiz" for quiz explanations. */
  sectionSlug: string;
  /** The section heading; for a quiz passage "Quiz"; for a common question, the question. */
  heading: string;
  /** A common question's phrasings (the question and its `alsoAsked`), matched against the learner's. */
  asked?: string;
  /** The passage's plain text (what goes into the prompt). */
  text: string;
  /** `/learn/level-1/<lesson>#<section>`. */
  href: string;
}

/** A passage retrieval found relevant, with its BM25 score (MiniSearch, higher = better). */
export interface RetrievedPassage extends PassageDoc {
  score: number;
}

/** A lesson suggested when nothing relevant was found. */
export interface LessonSuggestion {
  lessonSlug: string;
  title: string;
  href: string;
}

/** What retrieval found for a question (lib/tutor/retrieval; in the browser, POST /api/tutor/retrieve). */
export interface Retrieval {
  /** Relevant passages, best first (empty: nothing relevant). */
  passages: RetrievedPassage[];
  /** The text that was searched (the question, or the previous question with it for a follow-up). */
  query: string;
  /** Lessons to suggest when nothing relevant was found. */
  suggestions: LessonSuggestion[];
}

/** A source as shown under a reply and stored with it: one lesson section (passages of one section are merged). */
export interface Source {
  lessonSlug: string;
  lessonTitle: string;
  sectionSlug: string;
  heading: string;
  href: string;
  /** The best score among the section's retrieved passages. */
  score: number;
  /** Whether (part of) it went into the prompt; false when it was left out (a common question answered instead, focusing, or no room). */
  used: boolean;
  /** The passage text as the model saw it (trimmed if the budget cut it), for a preview. */
  excerpt: string;
}

/** How the prompt used the context window (the meter). Token counts are real tokenizer counts. */
export interface ContextReport {
  /** Prompt tokens. */
  used: number;
  /** The model's context window (prompt + reply). */
  limit: number;
  /** Tokens kept free for the reply; the prompt is built to fit in limit − reserved. */
  reserved: number;
  /** Tokens by part of the prompt (chat markers included in each part). */
  parts: { system: number; passages: number; history: number; question: number };
  /** Earlier exchanges (a question with its reply) that went into the prompt (at most the last one: ./prompt.ts) / were left out, by that rule or for room. */
  keptTurns: number;
  droppedTurns: number;
  /** Retrieved passages included / left out; trimmed = included but cut short (at a token boundary). */
  passages: number;
  droppedPassages: number;
  trimmedPassages: number;
  /** True when the counts are an upper bound rather than exact (a model whose tokenizer the browser does not have). */
  estimated?: true;
}

/** What a reply was grounded on: stored as the assistant message's `sources` JSON. */
export interface Grounding {
  /** The passages' sections, best first. Empty ⇒ nothing relevant was found. */
  sources: Source[];
  /** When nothing relevant was found: lessons to try (the reply is then not generated). */
  suggestions?: LessonSuggestion[];
  /** The prompt's use of the context window (absent for a not-generated reply). */
  context?: ContextReport;
  /** The text retrieval searched for (the question, or the question with the previous one for a follow-up). */
  query?: string;
}

/** A turn of the conversation before the current question. */
export interface Turn {
  role: "user" | "assistant";
  content: string;
}

/** The events of POST /api/tutor (NDJSON, one per line), in order. */
export type TutorEvent =
  /** Signed-in only: where the exchange is stored (the reply is saved under messageId). */
  | {
      type: "conversation";
      conversationId: string;
      title: string;
      /** The question's message (new, or the existing one a regeneration answers). */
      userMessageId: string;
      /** The reply's id (saved when it ends — also when stopped). */
      messageId: string;
      /** The parent of the reply (= userMessageId). */
      parentId: string;
      branchFromStep: number | null;
    }
  | ({ type: "sources" } & Omit<Grounding, "context">)
  | ({ type: "context" } & ContextReport)
  /** Nothing relevant was found: this fixed reply, from the lesson index, not the model. */
  | { type: "fallback"; text: string; suggestions: LessonSuggestion[] }
  | DecodeEvent
  /** Signed-in only: the reply is stored. */
  | { type: "saved"; conversationId: string; messageId: string; finishReason: string | null }
  | { type: "error"; error: string; code: string };
