/**
 * One tutor turn, from retrieval to what runs: either a prompt for the model (with the
 * reply's sources and the context report) or, when nothing relevant was found, the fixed
 * "not in the course" reply. The server route, the CLI and the browser backend all call
 * planTurn(); only where retrieval runs (./retrieval on the server, POST /api/tutor/retrieve
 * from the page) and which tokenizer counts differ.
 *
 * Isomorphic.
 */
import { FOCUS_SENTENCES, focusPassages } from "./focus.ts";
import { fallbackReply, sourcesFrom } from "./grounding.ts";
import { buildTutorPrompt, type TutorPrompt } from "./prompt.ts";
import type { PromptFormat, PromptTokenizer } from "./tokenizer.ts";
import type { Grounding, Retrieval, Turn } from "./types.ts";


export type TurnPlan =
  | { kind: "generate"; prompt: TutorPrompt; grounding: Grounding }
  | { kind: "fallback"; text: string; grounding: Grounding };

export interface PlanInput {
  question: string;
  retrieval: Retrieval;
  /**
   * The conversation so far, oldest first. Only its previous question reaches course-lm's prompt
   * (other chat models: the last exchange); earlier replies never do (see ./prompt.ts).
   */
  history: readonly Turn[];
  tokenizer: PromptTokenizer;
  format: PromptFormat;
  contextLength: number;
}

/** The fixed reply for a question nothing relevant was found for (no model, no prompt). */
export function fallbackPlan(retrieval: Retrieval): Extract<TurnPlan, { kind: "fallback" }> {
  return {
    kind: "fallback",
    text: fallbackReply(retrieval.suggestions),
    grounding: { sources: [], suggestions: retrieval.suggestions, query: retrieval.query },
  };
}

/** Plan a turn. Throws QuestionTooLongError (./prompt.ts) when the question alone does not fit. */
export function planTurn({ question, retrieval, history, tokenizer, format, contextLength }: PlanInput): TurnPlan {
  if (retrieval.passages.length === 0) return fallbackPlan(retrieval);
  // course-lm quotes its passages: it gets them cut to the sentences that match the question (./focus.ts).
  const focused = format.kind === "course-lm";
  const passages = focused ? focusPassages(question, retrieval.passages) : retrieval.passages;
  // Focused passages are a sentence or two each: room for as many as there are kept sentences.
  const prompt = buildTutorPrompt({ question, passages, history, tokenizer, format, contextLength, maxPassages: focused ? FOCUS_SENTENCES : undefined });
  return {
    kind: "generate",
    prompt,
    grounding: { sources: sourcesFrom(retrieval.passages, prompt.passages), context: prompt.context, query: retrieval.query },
  };
}
