import { describe, expect, it, vi } from "vitest";
import {
  gradeChoice,
  gradeNumeric,
  gradeQuiz,
  gradeTokenizer,
  isMissed,
  multipleSelectCredit,
  quizResult,
  scoreOutcomes,
  UNCHECKED_NOTE,
  withinTolerance,
} from "@/lib/course/grading";
import type { MultipleQuestion, NumericQuestion, SingleQuestion, TokenizerQuestion } from "@/lib/course/quiz-schema";
import { allRight, fakeCounter, fixtureQuiz, noTokenizers } from "./fixtures";

const [single, multiple, numeric, exact, tokenizer] = fixtureQuiz.questions as [
  SingleQuestion,
  MultipleQuestion,
  NumericQuestion,
  NumericQuestion,
  TokenizerQuestion,
];

describe("single choice", () => {
  it("gives full credit for the right option only", () => {
    expect(gradeChoice(single, "a")).toMatchObject({ status: "correct", credit: 1, counted: true });
    expect(gradeChoice(single, "b")).toMatchObject({ status: "incorrect", credit: 0 });
  });
  it("treats a missing answer as unanswered (no credit)", () => {
    expect(gradeChoice(single, undefined)).toMatchObject({ status: "unanswered", credit: 0, counted: true });
  });
});

describe("multiple select partial credit: max(0, (right picks − wrong picks) / right options)", () => {
  it.each([
    [["a", "b", "c"], 1, "correct"],
    [["a", "b"], 2 / 3, "partial"],
    [["a"], 1 / 3, "partial"],
    [["a", "b", "c", "d"], 2 / 3, "partial"],
    [["a", "d"], 0, "incorrect"],
    [["d"], 0, "incorrect"],
  ] as const)("%j earns %d", (picked, credit, status) => {
    const result = gradeChoice(multiple, [...picked]);
    expect(result.credit).toBeCloseTo(credit, 12);
    expect(result.status).toBe(status);
  });

  it("gives nothing for picking every option when half of them are wrong", () => {
    expect(multipleSelectCredit(["a", "b"], ["a", "b", "c", "d"])).toBe(0);
  });
  it("does not count the same pick twice", () => {
    expect(multipleSelectCredit(["a", "b"], ["a", "a"])).toBe(0.5);
  });
  it("an empty selection is unanswered", () => {
    expect(gradeChoice(multiple, [])).toMatchObject({ status: "unanswered", credit: 0 });
  });
  it("a partly right answer is still missed (it goes to review)", () => {
    expect(isMissed(gradeChoice(multiple, ["a", "b"]))).toBe(true);
    expect(isMissed(gradeChoice(multiple, ["a", "b", "c"]))).toBe(false);
  });
});

describe("numeric with tolerance", () => {
  it("accepts answers within ±tolerance, inclusive at both edges despite float rounding", () => {
    for (const given of [1.95, 1.93, 1.97, 1.9300000001, 1.9699999999]) {
      expect(gradeNumeric(numeric, given).status, String(given)).toBe("correct");
    }
  });
  it("refuses answers just outside", () => {
    for (const given of [1.929, 1.971, -1.95, 19.5]) expect(gradeNumeric(numeric, given).status, String(given)).toBe("incorrect");
  });
  it("tolerance 0 means exact", () => {
    expect(gradeNumeric(exact, 3072).status).toBe("correct");
    expect(gradeNumeric(exact, 3071).status).toBe("incorrect");
    expect(gradeNumeric(exact, 3072.0001).status).toBe("incorrect");
  });
  it("withinTolerance is symmetric and absolute", () => {
    expect(withinTolerance(0.1 + 0.2, 0.3, 0)).toBe(true); // 0.30000000000000004
    expect(withinTolerance(1_000_000, 1_000_100, 100)).toBe(true);
    expect(withinTolerance(1_000_000, 1_000_101, 100)).toBe(false);
  });
  it("a missing or non-finite answer is unanswered", () => {
    expect(gradeNumeric(numeric, undefined).status).toBe("unanswered");
    expect(gradeNumeric(numeric, Number.NaN).status).toBe("unanswered");
  });
});

describe("tokenizer questions", () => {
  it("compares with the live count", () => {
    expect(gradeTokenizer(tokenizer, 2, 2)).toMatchObject({ status: "correct", credit: 1, counted: true, expected: 2 });
    expect(gradeTokenizer(tokenizer, 3, 2)).toMatchObject({ status: "incorrect", credit: 0, expected: 2 });
  });
  it("are unchecked and left out of the score when the tokenizer is not available", () => {
    expect(gradeTokenizer(tokenizer, 2, null)).toMatchObject({ status: "unchecked", credit: 0, counted: false, expected: null });
    expect(isMissed(gradeTokenizer(tokenizer, 2, null))).toBe(false);
  });
});

describe("whole quiz", () => {
  it("scores all right as 1 and passes", async () => {
    const graded = await gradeQuiz(fixtureQuiz, allRight, fakeCounter);
    expect(graded).toMatchObject({ score: 1, correctCount: 5, questionCount: 5, uncheckedCount: 0, passed: true });
  });

  it("averages credit over counted questions", async () => {
    const graded = await gradeQuiz(fixtureQuiz, { ...allRight, "pick-many": ["a", "b"], exact: 1 }, fakeCounter);
    expect(graded.score).toBeCloseTo((1 + 2 / 3 + 1 + 0 + 1) / 5, 12);
    expect(graded.correctCount).toBe(3);
    expect(graded.passed).toBe(false);
  });

  it("leaves an unchecked tokenizer question out of the score instead of faking it", async () => {
    const graded = await gradeQuiz(fixtureQuiz, allRight, noTokenizers);
    expect(graded).toMatchObject({ score: 1, correctCount: 4, questionCount: 4, uncheckedCount: 1, passed: true });
  });

  it("treats a tokenizer that throws like one that is not loaded", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const graded = await gradeQuiz(fixtureQuiz, allRight, async () => {
      throw new Error("boom");
    });
    expect(graded.outcomes.at(-1)).toMatchObject({ status: "unchecked", counted: false });
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });

  it("scores nothing answered as 0", async () => {
    expect(await gradeQuiz(fixtureQuiz, {}, fakeCounter)).toMatchObject({ score: 0, correctCount: 0, passed: false });
  });

  it("passes at exactly 80 %", () => {
    const outcomes = [1, 1, 1, 1, 0].map((credit, i) => ({ questionId: `q${i}`, status: credit ? "correct" : "incorrect", credit, counted: true }) as const);
    expect(scoreOutcomes(outcomes)).toMatchObject({ score: 0.8, passed: true });
  });
});

describe("the result shown after submitting", () => {
  it("has every option's explanation, the key and the learner's picks", async () => {
    const answers = { "pick-one": "b", compute: 2 };
    const graded = await gradeQuiz(fixtureQuiz, answers, noTokenizers);
    const result = quizResult(fixtureQuiz, answers, graded.outcomes);
    const [one, , compute, , count] = result.questions;
    expect(one).toMatchObject({ type: "single", status: "incorrect" });
    if (one.type !== "single") throw new Error("unreachable");
    expect(one.options).toEqual([
      { id: "a", text: "Right", correct: true, selected: false, explanation: "Because it is right." },
      { id: "b", text: "Wrong", correct: false, selected: true, explanation: "Because it is wrong." },
      { id: "c", text: "Also wrong", correct: false, selected: false, explanation: "Also wrong, and here is why." },
    ]);
    expect(compute).toMatchObject({ type: "numeric", given: 2, answer: 1.95, tolerance: 0.02, unit: "× 10⁻⁴", explanation: "Worked solution.", status: "incorrect" });
    expect(count).toMatchObject({ type: "tokenizer", status: "unchecked", expected: null, note: UNCHECKED_NOTE, tokenizerName: "GPT-2" });
  });
});
