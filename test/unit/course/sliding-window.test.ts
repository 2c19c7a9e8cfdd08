import { describe, expect, it } from "vitest";
import { attentionStatus, causalRange, rangeSize, truncate, windowRange } from "@/lib/course/sliding-window";

describe("causalRange and windowRange", () => {
  it("full attention sees everything up to the query", () => {
    expect(causalRange(83)).toEqual({ from: 0, to: 83 });
    expect(rangeSize(causalRange(83))).toBe(84);
  });

  it("a window of w holds the query and the w − 1 tokens before it", () => {
    // q = 83, w = 16: 83 − 16 + 1 = 68 … 83, 16 positions.
    expect(windowRange(83, 16)).toEqual({ from: 68, to: 83 });
    expect(rangeSize(windowRange(83, 16))).toBe(16);
    // Near the start the window is cut at position 0: 0 … 5, 6 positions.
    expect(windowRange(5, 16)).toEqual({ from: 0, to: 5 });
    expect(windowRange(0, 1)).toEqual({ from: 0, to: 0 });
  });

  it("rejects a window of 0 and fractional positions", () => {
    expect(() => windowRange(3, 0)).toThrow(/window/);
    expect(() => causalRange(1.5)).toThrow(/query/);
  });
});

describe("attentionStatus", () => {
  it("sorts tokens around query 10 with a window of 4 (positions 7 … 10)", () => {
    expect(attentionStatus(0, 10, 4)).toBe("outside");
    expect(attentionStatus(6, 10, 4)).toBe("outside");
    expect(attentionStatus(7, 10, 4)).toBe("window");
    expect(attentionStatus(9, 10, 4)).toBe("window");
    expect(attentionStatus(10, 10, 4)).toBe("query");
    expect(attentionStatus(11, 10, 4)).toBe("future");
  });
});

describe("truncate", () => {
  it("drops T − N tokens from the start", () => {
    // 84 tokens in a window of 64: 84 − 64 = 20 dropped, positions 20 … 83 kept.
    expect(truncate(84, 64)).toEqual({ dropped: 20, kept: { from: 20, to: 83 } });
    expect(rangeSize(truncate(84, 64).kept)).toBe(64);
  });

  it("drops nothing when the text fits", () => {
    expect(truncate(10, 64)).toEqual({ dropped: 0, kept: { from: 0, to: 9 } });
    expect(truncate(64, 64).dropped).toBe(0);
    expect(rangeSize(truncate(0, 5).kept)).toBe(0);
  });
});
