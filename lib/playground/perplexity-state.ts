/**
 * The perplexity lab's URL state: the text(s) and whether to compare two.
 * (Kept apart from perplexity.ts, whose maths need no URL.)
 */
import { labTargetFields } from "./lab-engine.ts";
import { booleanField, decodeState, encodeState, textField, type Spec } from "./url-state.ts";

/** Longest text kept in the URL; the scorer itself keeps the first ~257 tokens (about 1,000 characters). */
export const MAX_URL_TEXT = 4000;

export const DEFAULT_TEXT_A = "The cat sat on the mat. A token is a piece of text that the model reads.";
export const DEFAULT_TEXT_B = "Mat the on sat cat the. Model the reads that text of piece a is token a.";

export interface PerplexityState {
  text: string;
  compare: boolean;
  textB: string;
  backend: "server" | "browser";
  model: string;
}

export const perplexitySpec: Spec<PerplexityState> = {
  text: textField(DEFAULT_TEXT_A, MAX_URL_TEXT),
  compare: booleanField(false),
  textB: textField(DEFAULT_TEXT_B, MAX_URL_TEXT),
  ...labTargetFields,
};

/** A link to the lab in a given state (the cross-entropy demo's "open in the playground"). */
export function perplexityHref(patch: Partial<PerplexityState>): string {
  const state = { ...decodeState(perplexitySpec, new URLSearchParams()), ...patch };
  const query = encodeState(perplexitySpec, state).toString();
  return `/playground/perplexity${query ? `?${query}` : ""}`;
}
