import { describe, expect, it } from "vitest";
import { reviewerAgreement, verdictShare, type Verdict } from "../../scripts/train/review";

const v = (helpful: boolean, second?: boolean): Verdict => ({ question: "q", reply: "r", coherent: true, helpful, ...(second === undefined ? {} : { second: { coherent: true, helpful: second } }) });

describe("blind-review shares (scripts/train/review.ts)", () => {
  it("counts each reply once: one reviewer's verdict, or the mean of two", () => {
    // 1 + 0 + (1 + 0) / 2 + (1 + 1) / 2 = 2.5 of 4
    expect(verdictShare([v(true), v(false), v(true, false), v(true, true)], "helpful")).toBe(0.625);
    expect(verdictShare([v(true, false)], "coherent")).toBe(1);
    expect(verdictShare([], "helpful")).toBe(0);
  });

  it("agreement is over the replies both reviewers judged", () => {
    expect(reviewerAgreement([v(true), v(true, false), v(false, false), v(true, true)], "helpful")).toEqual({ agreed: 2, of: 3 });
    expect(reviewerAgreement([v(true)], "helpful")).toBeNull();
  });
});
