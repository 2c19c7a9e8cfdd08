/**
 * What the browser may see of a quiz before the learner submits: prompts and option texts,
 * never which option is correct, the numeric answer or its tolerance, or any explanation
 * (explanations give the answer away). Built field by field — not by deleting keys from a
 * copy — so a field added to the quiz format later stays on the server until added here.
 */
import type { Question, Quiz } from "./quiz-schema.ts";
import { TOKENIZER_NAMES, type TokenizerId } from "./token-counter.ts";

export type PublicQuestion =
  | { id: string; type: "single" | "multiple"; prompt: string; options: { id: string; text: string }[] }
  | { id: string; type: "numeric"; prompt: string; unit: string }
  | { id: string; type: "tokenizer"; prompt: string; tokenizer: TokenizerId; tokenizerName: string; unit: "tokens" };

export interface PublicQuiz {
  lesson: string;
  questions: PublicQuestion[];
}

export function toPublicQuestion(question: Question): PublicQuestion {
  switch (question.type) {
    case "single":
    case "multiple":
      return {
        id: question.id,
        type: question.type,
        prompt: question.prompt,
        options: question.options.map((option) => ({ id: option.id, text: option.text })),
      };
    case "numeric":
      return { id: question.id, type: "numeric", prompt: question.prompt, unit: question.unit };
    case "tokenizer":
      return {
        id: question.id,
        type: "tokenizer",
        prompt: question.prompt,
        tokenizer: question.tokenizer,
        tokenizerName: TOKENIZER_NAMES[question.tokenizer],
        unit: "tokens",
      };
  }
}

export function toPublicQuiz(quiz: Quiz): PublicQuiz {
  return { lesson: quiz.lesson, questions: quiz.questions.map(toPublicQuestion) };
}
