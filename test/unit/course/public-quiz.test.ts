import { describe, expect, it } from "vitest";
import { getLessons } from "@/lib/course/lessons";
import { toPublicQuiz } from "@/lib/course/public-quiz";
import { getQuiz } from "@/lib/course/quizzes";
import { fixtureQuiz } from "./fixtures";

describe("the quiz sent to the browser", () => {
  it("keeps prompts and option texts", () => {
    const pub = toPublicQuiz(fixtureQuiz);
    expect(pub.questions.map((q) => q.id)).toEqual(fixtureQuiz.questions.map((q) => q.id));
    expect(pub.questions[0]).toEqual({
      id: "pick-one",
      type: "single",
      prompt: "Which one?",
      options: [
        { id: "a", text: "Right" },
        { id: "b", text: "Wrong" },
        { id: "c", text: "Also wrong" },
      ],
    });
    expect(pub.questions[2]).toEqual({ id: "compute", type: "numeric", prompt: "1.95?", unit: "× 10⁻⁴" });
    expect(pub.questions[4]).toEqual({ id: "count", type: "tokenizer", prompt: "How many tokens?", tokenizer: "gpt2", tokenizerName: "GPT-2", unit: "tokens" });
  });

  it("never contains the key, a numeric answer, a tolerance or an explanation — for every real quiz", () => {
    for (const lesson of getLessons()) {
      const quiz = getQuiz(lesson.slug)!;
      const json = JSON.stringify(toPublicQuiz(quiz));
      expect(json).not.toMatch(/"correct"|"answer"|"tolerance"|"explanation"/);
      for (const question of quiz.questions) {
        if (question.type === "single" || question.type === "multiple") {
          for (const option of question.options) expect(json).not.toContain(JSON.stringify(option.explanation));
        } else {
          expect(json).not.toContain(JSON.stringify(question.explanation));
        }
      }
    }
  });
});
