/**
 * The grounded question set (content/tutor/grounded/) that course-lm's tutor training and the
 * strict eval read: every answer is really copied from the passage it names, every lesson has
 * enough questions, and no question sits in both splits.
 */
import { describe, expect, it } from "vitest";
import { tutorCorpus } from "@/lib/tutor/retrieval";
import { readGroundedQuestions } from "@/lib/tutor/learner-questions";
import { readDialogues } from "../../../scripts/train/content.ts";
import { verbatim } from "../../../scripts/train/verbatim.ts";

const questions = readGroundedQuestions();
const { byId, docs } = tutorCorpus();

describe("grounded question set", () => {
  it("names real passages and copies its answers from them", () => {
    const bad = questions.filter((q) => q.passage !== null && (!byId.has(q.passage) || verbatim(byId.get(q.passage)!.text, q.answer) === null));
    expect(bad.map((q) => q.source)).toEqual([]);
  });

  it("has at least 45 questions for every lesson", () => {
    const lessons = [...new Set(docs.map((d) => d.lessonSlug))];
    for (const lesson of lessons) expect(questions.filter((q) => q.topic === lesson).length, lesson).toBeGreaterThanOrEqual(45);
  });

  it("keeps the dialogue set's dev questions in the dev split, and no question in both", () => {
    const dev = new Set(readDialogues().filter((d) => d.split === "dev").map((d) => d.question));
    const devHere = questions.filter((q) => dev.has(q.question));
    expect(devHere.every((q) => q.split === "dev")).toBe(true);
    const train = new Set(questions.filter((q) => q.split === "train").map((q) => q.question));
    expect(questions.filter((q) => q.split === "dev" && train.has(q.question))).toEqual([]);
  });
});
