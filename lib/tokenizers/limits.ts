/**
 * Longest text the API and the labs accept, in UTF-16 code units (what JavaScript's length counts).
 * Its own module: a page that needs only this number must not download the tokenizer catalog
 * (./catalog.ts builds a lookup table at load, so bundlers cannot drop it).
 */
export const MAX_TOKENIZE_CHARS = 20_000;
