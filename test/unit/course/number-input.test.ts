import { describe, expect, it } from "vitest";
import { parseNumberInput } from "@/lib/course/number-input";

describe("parseNumberInput", () => {
  it.each([
    ["1950", 1950],
    [" 1950 ", 1950],
    ["1,950", 1950],
    ["38,597,376", 38597376],
    ["1 950", 1950],
    ["0.75", 0.75],
    [".5", 0.5],
    ["0,75", 0.75],
    ["0,750", 0.75],
    ["-2.6", -2.6],
    ["−2.6", -2.6],
    ["+4", 4],
    ["1.2e9", 1.2e9],
    ["5.", 5],
  ])("%j → %d", (raw, value) => {
    expect(parseNumberInput(raw)).toBe(value);
  });

  it.each(["", "  ", "abc", "1.2.3", "1,2,3", "12a", "NaN", "Infinity", "1e999", "--1"])("%j → null", (raw) => {
    expect(parseNumberInput(raw)).toBeNull();
  });
});
