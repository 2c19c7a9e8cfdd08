/**
 * Every lesson's common questions (content/level-1/NN-slug.faq.json): valid against the schema
 * (every answer sentence quotable on its own), enough of them, no question asked twice across
 * the course, and none that quotes a quiz's own question (the quiz would be answered for you).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { answerSentenceProblems, faqSchema } from "@/lib/course/faq-schema";
import { getFaq, parseFaq } from "@/lib/course/faqs";
import { getLessons } from "@/lib/course/lessons";
import { getQuiz } from "@/lib/course/quizzes";
import { normalizeWord, tokenize } from "@/lib/tutor/retrieval/search";

const DIR = path.join(process.cwd(), "content", "level-1");
const lessons = getLessons();

/** Content words of a question (stop words out), for near-duplicate checks. */
const wordsOf = (s: string) => new Set(tokenize(s).flatMap((w) => normalizeWord(w) ?? []));
/** Jaccard overlap: a short question sharing its one key word with a long quiz prompt is not a copy of it. */
const overlap = (a: Set<string>, b: Set<string>) => [...a].filter((w) => b.has(w)).length / Math.max(1, new Set([...a, ...b]).size);

describe("common questions", () => {
  it.each(lessons.map((l) => l.slug))("%s has eight or more, each answer quotable sentence by sentence", (slug) => {
    const file = `${slug}.faq.json`;
    expect(fs.existsSync(path.join(DIR, file)), file).toBe(true);
    const faq = parseFaq(file, fs.readFileSync(path.join(DIR, file), "utf8"));
    expect(faq.questions.length).toBeGreaterThanOrEqual(8);
    expect(getFaq(slug)?.questions.map((q) => q.id)).toEqual(faq.questions.map((q) => q.id));
  });

  it("no question is asked twice across the course", () => {
    const all = lessons.flatMap((l) => (getFaq(l.slug)?.questions ?? []).map((q) => ({ where: `${l.slug}/${q.id}`, words: wordsOf(q.question), text: q.question })));
    const pairs: string[] = [];
    for (let i = 0; i < all.length; i++)
      for (let j = i + 1; j < all.length; j++) if (all[i]!.text.toLowerCase() === all[j]!.text.toLowerCase()) pairs.push(`${all[i]!.where} = ${all[j]!.where}`);
    expect(pairs).toEqual([]);
  });

  it("no answer gives away a quiz question of its lesson word for word", () => {
    for (const l of lessons) {
      const quizPrompts = (getQuiz(l.slug)?.questions ?? []).map((q) => wordsOf(q.prompt));
      for (const q of getFaq(l.slug)?.questions ?? []) for (const prompt of quizPrompts) expect(overlap(wordsOf(q.question), prompt), `${l.slug}/${q.id}`).toBeLessThan(0.7);
    }
  });
});

describe("answer sentence rules (hand cases)", () => {
  it("accepts a sentence that names its subject and reads on its own", () => {
    expect(answerSentenceProblems("Temperature divides every logit by T before the softmax.")).toEqual([]);
  });

  it.each([
    ["It divides every logit by T before the softmax.", "pointing back"],
    ["Temperature divides every logit by T before the softmax", "quotable"],
    ["Why does temperature divide the logits?", "question"],
    ["The chart below shows temperature at work on three logits.", "quotable"],
    ["Temperature divides $z by T.", "quotable"],
  ])("rejects %j (%s)", (sentence, why) => {
    expect(answerSentenceProblems(sentence).join(" ")).toMatch(new RegExp(why));
  });

  it("rejects an entry whose question has no '?' or whose answer has a bad sentence", () => {
    const entry = { id: "t", question: "What is temperature", alsoAsked: ["temp?", "what does temp do"], answer: "Temperature scales logits before softmax. It sharpens or flattens." };
    const parsed = faqSchema.safeParse({ lesson: "17-temperature", questions: [entry] });
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((i) => i.message).join(" | ");
    expect(messages).toMatch(/ends with '\?'/);
    expect(messages).toMatch(/pointing back/);
  });
});
