/**
 * The "in my browser" backend: the same turn as POST /api/tutor, run in the page. Retrieval
 * asks the server (POST /api/tutor/retrieve: the index stays there); the prompt is built with
 * the same code as on the server (../plan.ts), counting with course-lm's own tokenizer
 * (its tokenizer.json, through our BPE encoder: the same ids as transformers.js); the model
 * runs in the page's worker (BrowserEngine: WebGPU or WASM), and the trace says which.
 *
 * Yields the same events as the server's stream (sources, context, prompt, step…, done, or
 * fallback), so the chat handles both backends alike. Saving (signed in) is the caller's
 * job, once the reply is done: POST /api/tutor/messages.
 */
import { sharedBrowserEngine, type LoadProgressEvent } from "../../llm/browser/client.ts";
import type { GenerationSettingsInput } from "../../llm/trace.ts";
import { fetchCourseLmEncoder } from "../../tokenizers/course-lm-client.ts";
import { fallbackPlan, planTurn } from "../plan.ts";
import { withTutorDefaults } from "../settings.ts";
import { byteTokenizer, courseLmFormat, estimatedChatFormat, fromBpeEncoder, type PromptTokenizer } from "../tokenizer.ts";
import type { Turn, TutorEvent } from "../types.ts";
import { retrieve } from "./api.ts";

let courseLmTokenizer: Promise<PromptTokenizer> | null = null;

/** course-lm's tokenizer, read once from the same files the worker loads. */
function loadCourseLmTokenizer(): Promise<PromptTokenizer> {
  courseLmTokenizer ??= fetchCourseLmEncoder().then(fromBpeEncoder);
  courseLmTokenizer.catch(() => (courseLmTokenizer = null));
  return courseLmTokenizer;
}

export interface BrowserTurn {
  question: string;
  history: Turn[];
  previousQuestions: string[];
  modelId: string;
  settings?: GenerationSettingsInput;
  forcedTokens?: number[];
  onLoadProgress?: (event: LoadProgressEvent) => void;
}

export async function* runBrowserTurn(turn: BrowserTurn, signal?: AbortSignal): AsyncGenerator<TutorEvent> {
  const retrieval = await retrieve(turn.question, turn.previousQuestions);
  if (retrieval.passages.length === 0) {
    // Nothing relevant: the fixed reply from the lesson index; no model is loaded for it.
    const plan = fallbackPlan(retrieval);
    yield { type: "sources", sources: [], suggestions: retrieval.suggestions, query: retrieval.query };
    yield { type: "fallback", text: plan.text, suggestions: retrieval.suggestions };
    return;
  }
  const engine = sharedBrowserEngine();
  if (engine.info?.modelId !== turn.modelId) await engine.load(turn.modelId, { onProgress: turn.onLoadProgress });
  if (signal?.aborted) return;
  const info = engine.info!;
  const courseLm = turn.modelId === "course-lm";
  const tokenizer = courseLm ? await loadCourseLmTokenizer() : byteTokenizer;
  const format = courseLm ? courseLmFormat(tokenizer) : estimatedChatFormat();
  const plan = planTurn({ question: turn.question, retrieval, history: turn.history, tokenizer, format, contextLength: info.contextLength });
  if (plan.kind !== "generate") return;
  const { context, ...sources } = plan.grounding;
  yield { type: "sources", ...sources };
  if (context) yield { type: "context", ...context };
  const input = plan.prompt.text !== undefined ? { prompt: plan.prompt.text } : { messages: plan.prompt.messages };
  for await (const event of engine.generate({ ...input, settings: withTutorDefaults(turn.settings), forcedTokens: turn.forcedTokens }, signal)) yield event;
}
