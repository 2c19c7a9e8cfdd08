import type { CompareTokenizerId } from "@/lib/tokenizers/catalog";
import type { TokenizeOutcome } from "@/lib/tokenizers/compare";

export type { TokenizeOutcome, ChatTemplateResult } from "@/lib/tokenizers/compare";
export type { TokenPiece } from "@/lib/tokenizers/pieces";

/**
 * POST /api/tokenize for one tokenizer. The labs ask one tokenizer per request, so the fast
 * ones (course-lm, the GPT encodings) show while a big vocabulary (Gemma's 33 MB) is still
 * loading on the server. Throws an Error with the server's message on a 4xx/5xx.
 */
export async function fetchTokenize(
  tokenizer: CompareTokenizerId,
  text: string,
  options: { chatTemplate?: boolean; signal?: AbortSignal } = {},
): Promise<TokenizeOutcome> {
  const response = await fetch("/api/tokenize", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text, tokenizers: [tokenizer], ...(options.chatTemplate ? { chatTemplate: true } : {}) }),
    signal: options.signal,
  });
  const body = (await response.json().catch(() => null)) as { results?: TokenizeOutcome[]; error?: string } | null;
  if (!response.ok || !body?.results?.[0]) throw new Error(body?.error ?? `the server answered ${response.status}`);
  return body.results[0];
}
