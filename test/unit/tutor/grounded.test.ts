/**
 * What counts as copied from a lesson passage (lib/tutor/grounded.ts): the sentence splitter,
 * the copied spans (exact, re-cased and re-spaced, partial, from two passages, maths, never a
 * three-word coincidence) and the share of grounded sentences the chat and the eval report.
 */
import { describe, expect, it } from "vitest";
import { groundedSpans, replySentences, sentenceGrounding } from "@/lib/tutor/grounded";

const TEMPERATURE = {
  text: "Temperature divides every logit by T before the softmax. A low temperature sharpens the distribution, so the likeliest token wins more often. A high temperature flattens it.",
};
const TOP_P = {
  text: "Top-p sampling keeps the smallest set of tokens whose probabilities add up to at least p. The rest are set to zero before the draw.",
};
const MATHS = {
  text: "The softmax turns logits into probabilities: $p_i = e^{z_i / T} / \\sum_j e^{z_j / T}$ for every token i. At T = 1 nothing changes.",
};

/** The reply text a span covers. */
const covered = (reply: string, spans: { start: number; end: number }[]) => spans.map((s) => reply.slice(s.start, s.end));

describe("replySentences", () => {
  it("splits at . ? ! followed by a capital, a digit, a quote or maths, with offsets into the text", () => {
    const text = 'Tokens are pieces. Why? 3 reasons! "Quoted" too. $x$ is maths.';
    const sentences = replySentences(text);
    expect(sentences.map((s) => s.text)).toEqual(["Tokens are pieces.", "Why?", "3 reasons!", '"Quoted" too.', "$x$ is maths."]);
    for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it("does not split at a lower-case continuation, a decimal point or inside maths", () => {
    expect(replySentences("Use T = 0.3 here, e.g. for the tutor. Done.").map((s) => s.text)).toEqual(["Use T = 0.3 here, e.g. for the tutor.", "Done."]);
    expect(replySentences("It is $a. B$ as written. Next.").map((s) => s.text)).toEqual(["It is $a. B$ as written.", "Next."]);
  });

  it("ends a sentence at a line break and drops empty pieces", () => {
    expect(replySentences("  First line\n\n- second item\n").map((s) => s.text)).toEqual(["First line", "- second item"]);
    expect(replySentences("")).toEqual([]);
    expect(replySentences("   \n ")).toEqual([]);
  });
});

describe("groundedSpans", () => {
  it("marks an exact copy of a passage sentence, with its full stop, and names the passage sentence", () => {
    const reply = "A low temperature sharpens the distribution, so the likeliest token wins more often.";
    const spans = groundedSpans(reply, [TEMPERATURE]);
    expect(spans).toEqual([
      { start: 0, end: reply.length, passage: 0, sentence: "A low temperature sharpens the distribution, so the likeliest token wins more often." },
    ]);
  });

  it("ignores case, spacing, line breaks and punctuation differences", () => {
    const reply = "a LOW temperature   sharpens the\ndistribution so the likeliest token wins more often";
    const spans = groundedSpans(reply, [TEMPERATURE]);
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ start: 0, end: reply.length, passage: 0 });
  });

  it("marks only the copied part of a partly copied reply", () => {
    const reply = "In short, temperature divides every logit by T before anything else happens.";
    const spans = groundedSpans(reply, [TEMPERATURE]);
    expect(covered(reply, spans)).toEqual(["temperature divides every logit by T before"]);
    expect(spans[0].sentence).toBe("Temperature divides every logit by T before the softmax.");
  });

  it("finds copies from two passages, in reply order, each with its passage index", () => {
    const reply = "Top-p sampling keeps the smallest set of tokens. Also, a high temperature flattens it.";
    const spans = groundedSpans(reply, [TEMPERATURE, TOP_P]);
    expect(spans.map((s) => s.passage)).toEqual([1, 0]);
    expect(covered(reply, spans)).toEqual(["Top-p sampling keeps the smallest set of tokens", "a high temperature flattens it."]);
    expect(spans[0].sentence).toMatch(/^Top-p sampling keeps/);
    expect(spans[1].sentence).toBe("A high temperature flattens it.");
  });

  it("does not count a three-word coincidence, but four words do", () => {
    expect(groundedSpans("Models predict the distribution of words.", [TEMPERATURE])).toEqual([]);
    expect(groundedSpans("Here the likeliest token is a guess.", [TEMPERATURE])).toEqual([]);
    expect(covered("Here the likeliest token wins, always.", groundedSpans("Here the likeliest token wins, always.", [TEMPERATURE]))).toEqual([
      "the likeliest token wins",
    ]);
    // minWords is a parameter: at 5 the four-word run no longer counts.
    expect(groundedSpans("Here the likeliest token wins, always.", [TEMPERATURE], 5)).toEqual([]);
  });

  it("treats maths as one word: a copied formula matches (spacing aside), an altered one does not", () => {
    const reply = "The softmax turns logits into probabilities: $p_i = e^{z_i/T} / \\sum_j e^{z_j/T}$ for every token i.";
    const spans = groundedSpans(reply, [MATHS]);
    expect(covered(reply, spans)).toEqual([reply]);
    expect(spans[0].sentence).toMatch(/^The softmax turns logits/);

    const altered = "The softmax turns logits into probabilities: $p_i = e^{z_i}$ for every token i.";
    expect(covered(altered, groundedSpans(altered, [MATHS]))).toEqual(["The softmax turns logits into probabilities:", "for every token i."]);
  });

  it("treats a number as one word: 0.3 is not 0 3", () => {
    const passage = { text: "Its default is 0.3 here." };
    expect(groundedSpans("Its default is 0 3 here.", [passage])).toEqual([]);
    expect(groundedSpans("Its default is 0.3 here.", [passage])).toHaveLength(1);
  });

  it("returns nothing for an empty reply, no passages or empty passages", () => {
    expect(groundedSpans("", [TEMPERATURE])).toEqual([]);
    expect(groundedSpans("A low temperature sharpens the distribution.", [])).toEqual([]);
    expect(groundedSpans("A low temperature sharpens the distribution.", [{ text: "" }])).toEqual([]);
  });

  it("is greedy: the longest run wins, spans do not overlap and come sorted", () => {
    // Passage 0 has the first four words; passage 1 has them and more: passage 1 wins.
    const short = { text: "A high temperature flattens nothing at all." };
    const reply = "A high temperature flattens it. A high temperature flattens nothing at all.";
    const spans = groundedSpans(reply, [short, TEMPERATURE]);
    expect(spans.map((s) => [s.passage, reply.slice(s.start, s.end)])).toEqual([
      [1, "A high temperature flattens it."],
      [0, "A high temperature flattens nothing at all."],
    ]);
    for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].end);
  });

  it("keeps two copied runs apart when the reply joins them differently from the passage", () => {
    const reply = "A high temperature flattens it. Temperature divides every logit by T.";
    const spans = groundedSpans(reply, [TEMPERATURE]);
    expect(covered(reply, spans)).toEqual(["A high temperature flattens it.", "Temperature divides every logit by T"]);
  });
});

describe("sentenceGrounding", () => {
  it("counts a sentence as grounded when at least 90% of its words are copied", () => {
    const reply = "A low temperature sharpens the distribution, so the likeliest token wins more often. I think that is it. A high temperature flattens it.";
    expect(sentenceGrounding(reply, [TEMPERATURE])).toEqual({ sentences: 3, grounded: 2, share: 2 / 3 });
  });

  it("does not count a sentence that is only partly copied", () => {
    const reply = "In short, temperature divides every logit by T before anything else happens.";
    expect(sentenceGrounding(reply, [TEMPERATURE])).toEqual({ sentences: 1, grounded: 0, share: 0 });
    // With a lower threshold the same sentence counts.
    expect(sentenceGrounding(reply, [TEMPERATURE], 0.5).grounded).toBe(1);
  });

  it("gives share 0 for an empty reply", () => {
    expect(sentenceGrounding("", [TEMPERATURE])).toEqual({ sentences: 0, grounded: 0, share: 0 });
  });
});
