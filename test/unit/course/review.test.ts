import { describe, expect, it } from "vitest";
import { addDays, afterCorrect, afterMiss, isDue, REVIEW_LADDER_DAYS, type ReviewSchedule } from "@/lib/course/review";

const day0 = new Date("2026-03-01T09:00:00Z");

function expectSchedule(decision: ReturnType<typeof afterCorrect>): ReviewSchedule {
  if (decision.action !== "schedule") throw new Error(`expected a schedule, got ${decision.action}`);
  return decision.schedule;
}

describe("review ladder 1 → 3 → 7 days → retired", () => {
  it("a missed question is due after 1 day", () => {
    const item = afterMiss(null, day0);
    expect(item).toEqual({ step: 0, dueAt: addDays(day0, 1), lapses: 1, lastReviewedAt: day0 });
    expect(isDue(item, addDays(day0, 0.99))).toBe(false);
    expect(isDue(item, addDays(day0, 1))).toBe(true);
  });

  it("answered right when due it moves to 3 days, then 7, then is retired", () => {
    expect(REVIEW_LADDER_DAYS).toEqual([1, 3, 7]);
    const missed = afterMiss(null, day0);
    const t1 = addDays(day0, 1);
    const second = expectSchedule(afterCorrect(missed, t1));
    expect(second).toMatchObject({ step: 1, dueAt: addDays(t1, 3), lapses: 1, lastReviewedAt: t1 });
    const t2 = addDays(t1, 3.5);
    const third = expectSchedule(afterCorrect(second, t2));
    expect(third).toMatchObject({ step: 2, dueAt: addDays(t2, 7) });
    expect(afterCorrect(third, addDays(t2, 7))).toEqual({ action: "retire" });
  });

  it("answered right before it is due: nothing changes (no cramming)", () => {
    const missed = afterMiss(null, day0);
    expect(afterCorrect(missed, addDays(day0, 0.5))).toEqual({ action: "unchanged" });
  });

  it("answered right with no review item: nothing to do", () => {
    expect(afterCorrect(null, day0)).toEqual({ action: "unchanged" });
  });

  it("missed again at any step goes back to 1 day and counts the lapse", () => {
    const second = expectSchedule(afterCorrect(afterMiss(null, day0), addDays(day0, 1)));
    const later = addDays(day0, 2);
    expect(afterMiss(second, later)).toEqual({ step: 0, dueAt: addDays(later, 1), lapses: 2, lastReviewedAt: later });
  });

  it("missed again before it was due also resets to 1 day from now", () => {
    const missed = afterMiss(null, day0);
    const soon = addDays(day0, 0.1);
    expect(afterMiss(missed, soon)).toMatchObject({ step: 0, dueAt: addDays(soon, 1), lapses: 2 });
  });
});
