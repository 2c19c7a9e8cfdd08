import { describe, expect, it } from "vitest";
import { parseAttemptRequest } from "@/lib/course/attempt-request";
import { fixtureQuiz } from "./fixtures";

const key = "attempt-0001";

function fieldsOf(body: unknown): Record<string, string> {
  const parsed = parseAttemptRequest(fixtureQuiz, body);
  if (parsed.success) throw new Error("expected a validation error");
  return Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "body", i.message]));
}

describe("quiz attempt request", () => {
  it("accepts answers of the right shape and drops blanks", () => {
    const parsed = parseAttemptRequest(fixtureQuiz, {
      idempotencyKey: key,
      answers: { "pick-one": "a", "pick-many": [], compute: 1.9, exact: null },
      durationMs: 12000,
    });
    expect(parsed).toEqual({ success: true, data: { idempotencyKey: key, answers: { "pick-one": "a", compute: 1.9 }, durationMs: 12000 } });
  });

  it.each([
    [{ answers: {} }, "idempotencyKey", /required/],
    [{ idempotencyKey: "short", answers: {} }, "idempotencyKey", /at least 8/],
    [{ idempotencyKey: "has spaces in it", answers: {} }, "idempotencyKey", /only letters/],
    [{ idempotencyKey: key }, "answers", /object/],
    [{ idempotencyKey: key, answers: { "pick-one": "z" } }, "answers.pick-one", /one of the option ids a, b, c/],
    [{ idempotencyKey: key, answers: { "pick-one": ["a"] } }, "answers.pick-one", /option ids/],
    [{ idempotencyKey: key, answers: { "pick-many": "a" } }, "answers.pick-many", /list of option ids/],
    [{ idempotencyKey: key, answers: { "pick-many": ["a", "a"] } }, "answers.pick-many", /twice/],
    [{ idempotencyKey: key, answers: { "pick-many": ["a", "x"] } }, "answers.pick-many.1", /option ids among/],
    [{ idempotencyKey: key, answers: { compute: "1.95" } }, "answers.compute", /number/],
    [{ idempotencyKey: key, answers: { nope: 1 } }, "answers", /nope/],
    [{ idempotencyKey: key, answers: {}, durationMs: -1 }, "durationMs", /.+/],
  ])("refuses %j naming %s", (body, field, message) => {
    const fields = fieldsOf(body);
    expect(Object.keys(fields)).toContain(field);
    expect(fields[field]).toMatch(message);
  });

  it("refuses a body that is not an object", () => {
    expect(Object.keys(fieldsOf([1, 2]))).toEqual(["body"]);
  });
});
