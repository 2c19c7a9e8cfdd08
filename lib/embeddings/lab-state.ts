/**
 * The embeddings lab's URL state: the searched token and the a − b + c terms (plus the
 * token you hoped the arithmetic would land on), each as typed: a leading space written
 * "·" (lib/embeddings/vocab.ts normalizeQuery), so shared links stay readable.
 */
import { textField, type Spec } from "../playground/url-state.ts";

export interface EmbeddingsLabState {
  q: string;
  a: string;
  b: string;
  c: string;
  expect: string;
}

const MAX = 48;

export const EMBEDDINGS_LAB_SPEC: Spec<EmbeddingsLabState> = {
  q: textField("·token", MAX),
  a: textField("·king", MAX),
  b: textField("·man", MAX),
  c: textField("·woman", MAX),
  expect: textField("·queen", MAX),
};
