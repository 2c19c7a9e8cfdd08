import { describe, expect, it } from "vitest";
import { afterAttempt, afterRead, completion, isPassingScore, lessonState, PASS_SCORE } from "@/lib/course/progress";

const T = new Date("2026-01-01T10:00:00Z");
const none = { readAt: null, bestScore: null, attempts: 0 };

describe("lesson states", () => {
  it("not started: no row, or nothing read or attempted", () => {
    expect(lessonState(null)).toBe("not-started");
    expect(lessonState(none)).toBe("not-started");
  });
  it("in progress: read but no passing quiz", () => {
    expect(lessonState({ ...none, readAt: T })).toBe("in-progress");
    expect(lessonState({ readAt: T, bestScore: 0.6, attempts: 2 })).toBe("in-progress");
  });
  it("in progress: attempted (even passed) but not read", () => {
    expect(lessonState({ readAt: null, bestScore: 0.2, attempts: 1 })).toBe("in-progress");
    expect(lessonState({ readAt: null, bestScore: 1, attempts: 1 })).toBe("in-progress");
  });
  it("completed: read and best score ≥ 80 %", () => {
    expect(PASS_SCORE).toBe(0.8);
    expect(lessonState({ readAt: T, bestScore: 0.8, attempts: 1 })).toBe("completed");
    expect(lessonState({ readAt: T, bestScore: 1, attempts: 3 })).toBe("completed");
    expect(lessonState({ readAt: T, bestScore: 0.7999, attempts: 1 })).toBe("in-progress");
  });
  it("80 % reached through float sums still passes", () => {
    expect(isPassingScore(0.7999999999999999)).toBe(true);
    expect(isPassingScore(0.79)).toBe(false);
  });
});

describe("transitions", () => {
  it("not started → read → in progress → pass → completed", () => {
    let facts = afterRead(null, T);
    expect(lessonState(facts)).toBe("in-progress");
    facts = afterAttempt(facts, 0.5);
    expect(facts).toMatchObject({ bestScore: 0.5, attempts: 1 });
    expect(lessonState(facts)).toBe("in-progress");
    facts = afterAttempt(facts, 0.9);
    expect(lessonState(facts)).toBe("completed");
  });
  it("pass first, read later → completed when read", () => {
    const passed = afterAttempt(null, 1);
    expect(lessonState(passed)).toBe("in-progress");
    expect(lessonState(afterRead(passed, T))).toBe("completed");
  });
  it("keeps the best score: a worse attempt never un-completes a lesson", () => {
    const done = afterAttempt(afterRead(null, T), 1);
    const worse = afterAttempt(done, 0.2);
    expect(worse).toMatchObject({ bestScore: 1, attempts: 2 });
    expect(lessonState(worse)).toBe("completed");
  });
  it("keeps the first read time", () => {
    const later = new Date(T.getTime() + 1000);
    expect(afterRead(afterRead(null, T), later).readAt).toEqual(T);
  });
});

describe("completion", () => {
  it("counts completed lessons", () => {
    expect(completion(["completed", "in-progress", "not-started", "completed"])).toEqual({ completed: 2, total: 4, fraction: 0.5 });
    expect(completion([])).toEqual({ completed: 0, total: 0, fraction: 0 });
  });
});
