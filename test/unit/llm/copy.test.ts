/**
 * The copy stage's lookup (lib/llm/copy.ts), on hand-made token sequences.
 * Token 9 stands for a token that ends a sentence (".").
 */
import { describe, expect, it } from "vitest";
import { copyContinuations, createCopySource, endsSentenceText } from "../../../lib/llm/copy.ts";

const DOT = 9;
const source = (ids: number[]) => createCopySource(ids, (id) => id === DOT);

describe("copyContinuations", () => {
  it("finds the token that continues a two-token run of the prompt", () => {
    // prompt: 1 2 3 4 . ; reply so far: 7 2 3 → the run "2 3" continues with 4
    expect(copyContinuations(source([1, 2, 3, 4, DOT]), [7, 2, 3])).toEqual({ matched: 2, next: [4] });
  });

  it("needs at least two tokens: one shared token is a coincidence", () => {
    expect(copyContinuations(source([1, 2, 3, 4, DOT]), [7, 3])).toEqual({ matched: 0, next: [] });
    expect(copyContinuations(source([1, 2, 3]), [2])).toEqual({ matched: 0, next: [] });
  });

  it("prefers the longest run, and keeps every continuation of runs that long", () => {
    // "2 3" occurs twice (→ 4 and → 5), but "1 2 3" only once (→ 4).
    const s = source([1, 2, 3, 4, 8, 2, 3, 5, 6, 2, 3, 6]);
    expect(copyContinuations(s, [1, 2, 3])).toEqual({ matched: 3, next: [4] });
    expect(copyContinuations(s, [7, 2, 3])).toEqual({ matched: 2, next: [4, 5, 6] });
  });

  it("stops at the end of a sentence: after a full stop the model chooses", () => {
    const s = source([1, 2, DOT, 3, 4, DOT]);
    expect(copyContinuations(s, [1, 2, DOT])).toEqual({ matched: 0, next: [] });
    // A run does not reach back across a full stop in the reply: "DOT 3" is not a run.
    expect(copyContinuations(s, [5, DOT, 3])).toEqual({ matched: 0, next: [] });
    // Finishing the sentence (its full stop) is part of the quote.
    expect(copyContinuations(s, [DOT, 3, 4])).toEqual({ matched: 2, next: [DOT] });
    expect(copyContinuations(source([1, 2, DOT, 3, 4, 5]), [8, 3, 4])).toEqual({ matched: 2, next: [5] });
  });

  it("has nothing to offer at the end of the prompt", () => {
    expect(copyContinuations(source([1, 2, 3]), [2, 3])).toEqual({ matched: 0, next: [] });
  });
});

describe("endsSentenceText", () => {
  it("reads a token's text as the end of a sentence", () => {
    for (const t of [".", " end.", "?", "!\"", ".)", "\n", ".\n"]) expect(endsSentenceText(t)).toBe(true);
    for (const t of [" the", ",", " 3", ".5", "e.g"]) expect(endsSentenceText(t)).toBe(false);
  });
});
