import { describe, expect, it } from "vitest";
import { answersSchema, challengeById, CHALLENGES, findChallengeTags, gradeAnswers, type Challenge } from "@/lib/course/challenges";

const topP = challengeById("top-p-survivors")!;
const perplexity = challengeById("perplexity")!;

describe("inspector challenges", () => {
  it("have unique ids, a link to a lab or a lesson's demo inside the app, and at least one field each", () => {
    expect(new Set(CHALLENGES.map((c) => c.id)).size).toBe(CHALLENGES.length);
    for (const c of CHALLENGES) {
      expect(c.lab.href, c.id).toMatch(/^\/(playground|learn\/level-1)\//);
      expect(c.fields.length, c.id).toBeGreaterThan(0);
    }
  });

  it("link the top-p challenge to the next-token lab in the task's state", () => {
    const url = new URL(topP.lab.href, "http://x");
    expect(url.pathname).toBe("/playground/next-token");
    expect(url.searchParams.get("topP")).toBe("0.9");
    expect(url.searchParams.get("temperature")).toBe("0.7");
    expect(url.searchParams.get("prompt")).toBe("A language model reads the");
  });
});

describe("gradeAnswers", () => {
  it("needs integers to match exactly", () => {
    const result = gradeAnswers(topP, { low: 12, high: 40 }, { low: 12, high: 41 });
    expect(result.correct).toBe(false);
    expect(result.fields).toEqual([
      { name: "low", given: 12, expected: 12, correct: true },
      { name: "high", given: 40, expected: 41, correct: false },
    ]);
    expect(gradeAnswers(topP, { low: 12, high: 41 }, { low: 12, high: 41 }).correct).toBe(true);
  });

  it("accepts a decimal within its tolerance (perplexity ± 0.1), including the boundary, and not beyond", () => {
    // Computed 23.456: 23.4 and 23.5 are within 0.1 (|diff| 0.056, 0.044); 23.3 is 0.156 away.
    expect(gradeAnswers(perplexity, { perplexity: 23.4 }, { perplexity: 23.456 }).correct).toBe(true);
    expect(gradeAnswers(perplexity, { perplexity: 23.5 }, { perplexity: 23.456 }).correct).toBe(true);
    expect(gradeAnswers(perplexity, { perplexity: 23.3 }, { perplexity: 23.456 }).correct).toBe(false);
    // Exactly 0.1 away (floating point says 0.10000000000000142): still right.
    expect(gradeAnswers(perplexity, { perplexity: 23.5 }, { perplexity: 23.4 }).correct).toBe(true);
  });

  it("refuses to grade without a computed value for every field", () => {
    expect(() => gradeAnswers(topP, { low: 1, high: 2 }, { low: 1 })).toThrow(/no computed value for high/);
  });
});

describe("answersSchema", () => {
  it("accepts one finite number per field", () => {
    expect(answersSchema(topP).safeParse({ answers: { low: 3, high: 9 } }).success).toBe(true);
    expect(answersSchema(perplexity).safeParse({ answers: { perplexity: 18.25 } }).success).toBe(true);
  });

  it("names the field that is missing, not a number, not whole, or unknown", () => {
    const issues = (c: Challenge, body: unknown) => {
      const parsed = answersSchema(c).safeParse(body);
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues(topP, { answers: { low: 3 } })).toEqual([expect.stringMatching(/^answers\.high: /)]);
    expect(issues(topP, { answers: { low: "3", high: 9 } })).toEqual([expect.stringMatching(/^answers\.low: .*enter a number/)]);
    expect(issues(topP, { answers: { low: 3.5, high: 9 } })).toEqual([expect.stringMatching(/^answers\.low: .*whole number/)]);
    expect(issues(topP, { answers: { low: 3, high: 9, extra: 1 } })).toHaveLength(1);
    expect(issues(topP, {})).toHaveLength(1);
  });
});

describe("findChallengeTags", () => {
  it("finds the ids of self-closing Challenge tags in order", () => {
    expect(findChallengeTags('Text\n\n<Challenge id="a" />\n\n<Demo kind="x" />\n<Challenge  id="b"/>')).toEqual(["a", "b"]);
    expect(findChallengeTags("<Challenger id=\"no\" />")).toEqual([]);
  });
});
