/**
 * The labelled learner questions the common-question matcher learns from
 * (content/tutor/common-question-labels.json, lib/tutor/retrieval/faq-labels.ts): every label names
 * a real common question, no question is labelled twice, and none comes from the dev split — the
 * eval asks the dev questions, so the matcher must never have seen them.
 */
import { describe, expect, it } from "vitest";
import { getFaq } from "@/lib/course/faqs";
import { getLessons } from "@/lib/course/lessons";
import { readGroundedQuestions } from "@/lib/tutor/learner-questions";
import { faqPassageId, learnedPhrasings, readFaqLabels, type FaqLabel } from "@/lib/tutor/retrieval/faq-labels";
import { readDialogues } from "../../../scripts/train/content";

const labels = readFaqLabels();

describe("common-question labels", () => {
  it("label every train-split question of the tutor's data, once each", () => {
    const train = new Set([...readDialogues(), ...readGroundedQuestions()].filter((q) => q.split === "train").map((q) => q.question));
    const questions = labels.map((l) => l.question);
    expect(new Set(questions).size).toBe(questions.length);
    expect(questions.filter((q) => !train.has(q))).toEqual([]);
    expect(labels.length).toBe(train.size);
  });

  it("never hold a dev-split question", () => {
    const dev = new Set([...readDialogues(), ...readGroundedQuestions()].filter((q) => q.split === "dev").map((q) => q.question.toLowerCase()));
    expect(dev.size).toBeGreaterThan(50);
    expect(labels.filter((l) => dev.has(l.question.toLowerCase())).map((l) => l.question)).toEqual([]);
  });

  it("name common questions that exist", () => {
    const ids = new Set(getLessons().flatMap((l) => (getFaq(l.slug)?.questions ?? []).map((q) => `${l.slug}/${q.id}`)));
    const unknown = labels.flatMap((l) => [l.best, ...l.ok].filter((id): id is string => id !== null && !ids.has(id)));
    expect(unknown).toEqual([]);
  });

  it("learnedPhrasings groups questions by their best label's passage id and leaves unanswered ones out", () => {
    const sample: FaqLabel[] = [
      { question: "wat is bpe", best: "05-bpe/what-is-bpe", ok: [], firstSentenceEnough: true },
      { question: "bpe??", best: "05-bpe/what-is-bpe", ok: ["06-tokenizer-algorithms/x"], firstSentenceEnough: true },
      { question: "whats for lunch", best: null, ok: [], firstSentenceEnough: false },
    ];
    expect(faqPassageId("05-bpe/what-is-bpe")).toBe("05-bpe#faq/what-is-bpe");
    expect([...learnedPhrasings(sample)]).toEqual([["05-bpe#faq/what-is-bpe", ["wat is bpe", "bpe??"]]]);
  });
});
