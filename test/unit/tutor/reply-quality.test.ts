/**
 * The strict eval's automatic checks (lib/tutor/reply-quality.ts), on hand-written replies.
 */
import { describe, expect, it } from "vitest";
import { answerRecall, lessonRank, repeatedNgram, unbalancedMath, wordTokens } from "../../../lib/tutor/reply-quality.ts";

describe("repeatedNgram", () => {
  it("a repeat the passages themselves hold is not a loop; one beyond it is", () => {
    const passage = "A probability of 0.5 costs 0.69 nats. A probability of 0.25 costs 1.39 nats.";
    expect(repeatedNgram(passage)).toBe("a probability of 0");
    expect(repeatedNgram(passage, 4, passage)).toBeNull();
    expect(repeatedNgram(`${passage} A probability of 0.1 costs more.`, 4, passage)).toBe("nats a probability of"); // said twice, once in the passage
    expect(repeatedNgram("the same as the same as the", 4, "the same as the cat")).toBe("the same as the");
  });

  it("finds the loop a small model falls into", () => {
    expect(repeatedNgram("The training loop is the same as the same as the same as")).toBe("the same as the");
    // The reply the issue quotes repeats three words, not four: a 4-gram check alone misses it.
    const quoted = "The training loop is the same as maximises the same as minimizing the same as the same as";
    expect(repeatedNgram(quoted)).toBeNull();
    expect(repeatedNgram(quoted, 3)).toBe("the same as");
  });

  it("passes a lesson sentence that reuses words but never four in a row", () => {
    expect(repeatedNgram("Top-k keeps the k most likely tokens and top-p keeps the smallest set of top tokens.")).toBeNull();
  });

  it("ignores case and punctuation between the words", () => {
    expect(repeatedNgram("It picks the next token. Then it picks, the NEXT token again.")).toBe("it picks the next");
  });

  it("counts in n-grams of the given size", () => {
    const text = "a b c a b d";
    expect(repeatedNgram(text, 2)).toBe("a b");
    expect(repeatedNgram(text, 3)).toBeNull();
  });

  it("returns null for a reply shorter than n words", () => {
    expect(repeatedNgram("so so so")).toBeNull();
    expect(repeatedNgram("")).toBeNull();
  });
});

describe("unbalancedMath", () => {
  it("accepts closed inline and display maths", () => {
    expect(unbalancedMath("The loss is $-\\log p$ per token, and $$\\mathrm{PPL} = e^{L}$$ overall.")).toBe(false);
    expect(unbalancedMath("No maths at all.")).toBe(false);
  });

  it("flags an inline $ left open", () => {
    expect(unbalancedMath("$E \\mathbb{e} = E[i] \\approx E[d] and so on")).toBe(true);
  });

  it("flags an odd number of $$", () => {
    expect(unbalancedMath("$$x^2$$ and then $$y")).toBe(true);
  });

  it("does not count escaped dollars", () => {
    expect(unbalancedMath("It costs \\$4.99 per million tokens.")).toBe(false);
  });
});

describe("lessonRank", () => {
  it("ranks lessons, not passages", () => {
    expect(lessonRank(["01-a", "01-a", "19-b"], "19-b")).toBe(2);
  });

  it("accepts a second lesson that covers the same idea", () => {
    expect(lessonRank(["07-x", "08-y"], "09-z", ["08-y"])).toBe(2);
  });

  it("is null when the lesson was not retrieved", () => {
    expect(lessonRank(["01-a"], "19-b")).toBeNull();
    expect(lessonRank([], "19-b")).toBeNull();
  });
});

describe("wordTokens", () => {
  it("keeps letters, digits and apostrophes, lower-cased", () => {
    expect(wordTokens("Don't split GPT-2's 50,257 tokens!")).toEqual(["don't", "split", "gpt", "2's", "50", "257", "tokens"]);
  });
});

describe("answerRecall", () => {
  const chosen = "Top-k keeps the k most likely tokens. Top-p keeps the smallest set whose mass reaches p.";

  it("is 1 when the reply quotes the chosen sentences whole", () => {
    expect(answerRecall(`Good question. ${chosen}`, chosen)).toBe(1);
  });

  it("counts only the words inside shared runs of four or more", () => {
    // "Top-k keeps the k most likely tokens." is 8 of the reference's 18 words.
    expect(answerRecall("Top-k keeps the k most likely tokens. Temperature divides the logits.", chosen)).toBeCloseTo(8 / 18, 5);
  });

  it("is 0 for a reply that quotes another sentence, or for an empty reference", () => {
    expect(answerRecall("Temperature divides the logits before the softmax.", chosen)).toBe(0);
    expect(answerRecall("anything", "")).toBe(0);
  });
});
