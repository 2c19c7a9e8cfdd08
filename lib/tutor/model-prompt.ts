/**
 * The prompt builder's tokenizer and format for a model loaded in Node (the server and the
 * CLI), and the input the decode loop then receives. course-lm (any model whose tokenizer
 * has the `<|context|>` token) gets its own trained format, counted with its own tokenizer;
 * any other chat model gets its chat template, counted exactly as decode() will tokenize it.
 *
 * Not `server-only`: the CLI uses it.
 */
import { preparePrompt, type PromptInput } from "../llm/decode.ts";
import type { LoadedModel } from "../llm/load.ts";
import { SPECIAL_TOKENS } from "../tokenizers/bpe/chat.ts";
import type { TutorPrompt } from "./prompt.ts";
import { chatFormat, courseLmFormat, fromTransformersTokenizer, type PromptFormat, type PromptTokenizer } from "./tokenizer.ts";

export function usesCourseLmFormat(model: LoadedModel): boolean {
  return model.tokenizer.get_vocab().has(SPECIAL_TOKENS.context);
}

export function promptToolsFor(model: LoadedModel): { tokenizer: PromptTokenizer; format: PromptFormat; contextLength: number } {
  const tokenizer = fromTransformersTokenizer(model.tokenizer);
  const format = usesCourseLmFormat(model)
    ? courseLmFormat(tokenizer)
    : chatFormat((messages) => preparePrompt(model, { messages }).ids.length);
  return { tokenizer, format, contextLength: model.contextLength };
}

/** What decode() / startGeneration() get for a built prompt. */
export function generationInput(prompt: TutorPrompt): PromptInput & { addSpecialTokens?: boolean } {
  return prompt.text !== undefined ? { prompt: prompt.text, addSpecialTokens: false } : { messages: prompt.messages };
}
