// A question planned exactly as the app's tutor plans it (lib/tutor: retrieval, then the prompt
// builder in course-lm's format, counted by `tokenizer` within `contextLength`). Shared by the
// eval and the checks, so both see the prompts the app sends.
import { retrieveForQuestion } from "../../lib/tutor/retrieval/index.ts";
import { planTurn, type TurnPlan } from "../../lib/tutor/plan.ts";
import { courseLmFormat, type PromptTokenizer } from "../../lib/tutor/tokenizer.ts";

export function planAsTutor(question: string, tokenizer: PromptTokenizer, contextLength: number): TurnPlan {
  return planTurn({ question, retrieval: retrieveForQuestion(question), history: [], tokenizer, format: courseLmFormat(tokenizer), contextLength });
}
