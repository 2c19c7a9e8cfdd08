import { describe, expect, it } from "vitest";
import { byteRuns, endsWithNewline, spokenText, textPieces, tokenKindNote, tokenPieces, visibleText } from "@/lib/inspector/token-display";
import { bytes as bytesTrace, sampled } from "./fixtures";

describe("whitespace made visible", () => {
  it("writes space, tab, newline, return and no-break space as glyphs", () => {
    expect(visibleText({ text: " the" })).toBe("·the");
    expect(visibleText({ text: "\tx" })).toBe("→x");
    expect(visibleText({ text: "\n\n" })).toBe("↵↵");
    expect(visibleText({ text: "a\r\n" })).toBe("a␍↵");
    expect(visibleText({ text: "1\u00a0000" })).toBe("1⍽000");
  });

  it("keeps the character each glyph stands for, so the UI can break the line", () => {
    expect(tokenPieces({ text: " a\n" })).toEqual([
      { kind: "space", text: " ", glyph: "·" },
      { kind: "text", text: "a" },
      { kind: "newline", text: "\n", glyph: "↵" },
    ]);
    expect(endsWithNewline({ text: ".\n" })).toBe(true);
    expect(endsWithNewline({ text: "\n." })).toBe(false);
    expect(endsWithNewline({ text: "<|end|>", special: true })).toBe(false);
  });

  it("shows invisible characters by code point instead of dropping them", () => {
    expect(visibleText({ text: "a\u200bb" })).toBe("aU+200Bb");
    expect(textPieces("\u0007")).toEqual([{ kind: "control", text: "\u0007", glyph: "U+0007" }]);
    expect(visibleText({ text: "\ufeff" })).toBe("U+FEFF");
  });

  it("leaves ordinary text, including non-ASCII, as it is", () => {
    expect(visibleText({ text: "Größe" })).toBe("Größe");
    expect(visibleText({ text: "温度" })).toBe("温度");
    expect(visibleText({ text: "🙂" })).toBe("🙂");
  });

  it("marks the empty token", () => {
    expect(visibleText({ text: "" })).toBe("∅");
    expect(spokenText({ text: "" })).toBe("empty token");
  });
});

describe("partial UTF-8 and special tokens", () => {
  it("renders a partial token from its raw bytes, byte by byte", () => {
    // The first two bytes of 🙂 (F0 9F 99 82).
    const half = { text: "<0xF0><0x9F>", bytes: [0xf0, 0x9f] };
    expect(tokenPieces(half)).toEqual([
      { kind: "byte", byte: 0xf0, glyph: "<0xF0>" },
      { kind: "byte", byte: 0x9f, glyph: "<0x9F>" },
    ]);
    expect(visibleText(half)).toBe("<0xF0><0x9F>");
    expect(spokenText(half)).toBe("byte 0xF0, byte 0x9F");
    expect(tokenKindNote(half)).toMatch(/partial UTF-8: 2 stray bytes/);
  });

  it("splits a token that is a space, whole characters and a stray byte", () => {
    // " é" + the lead byte of a 3-byte character.
    const t = { text: " é<0xE6>", bytes: [0x20, 0xc3, 0xa9, 0xe6] };
    expect(tokenPieces(t).map((p) => p.kind)).toEqual(["space", "text", "byte"]);
    expect(visibleText(t)).toBe("·é<0xE6>");
  });

  it("trusts the bytes over the text: a literal '<0xF0>' string is text, not a byte", () => {
    expect(tokenPieces({ text: "<0xF0>" })).toEqual([{ kind: "text", text: "<0xF0>" }]);
  });

  it("shows special tokens by name and says so", () => {
    const end = { text: "<|end|>", special: true as const };
    expect(tokenPieces(end)).toEqual([{ kind: "special", text: "<|end|>" }]);
    expect(visibleText(end)).toBe("<|end|>");
    expect(spokenText(end)).toBe("special token <|end|>");
    expect(tokenKindNote(end)).toBe("special token");
  });

  it("speaks whitespace as words", () => {
    expect(spokenText({ text: " the" })).toBe('space, "the"');
    expect(spokenText({ text: "\n" })).toBe("newline");
  });
});

describe("byte runs: partial tokens that make whole characters together", () => {
  it("finds the emoji and the two CJK characters in the real prompt", () => {
    const runs = byteRuns(bytesTrace.prompt.tokens);
    expect(runs.map((r) => r.text)).toEqual(["🙂", "温度"]);
    expect(runs.map((r) => r.codePoints)).toEqual(["U+1F642", "U+6E29 U+5EA6"]);
    for (const r of runs) expect(bytesTrace.prompt.tokens.slice(r.start, r.end).every((t) => t.bytes)).toBe(true);
    expect(runs[0].end - runs[0].start).toBeGreaterThanOrEqual(2);
  });

  it("gives no caption to stray bytes that do not complete a character, nor to whole tokens", () => {
    expect(byteRuns(bytesTrace.steps)).toEqual([]);
    expect(byteRuns(sampled.prompt.tokens)).toEqual([]);
    expect(byteRuns([{ text: "<0xF0>", bytes: [0xf0] }])).toEqual([]);
  });
});
