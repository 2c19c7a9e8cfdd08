import { describe, expect, it } from "vitest";
import {
  BYTE_TO_UNICODE,
  UNICODE_TO_BYTE,
  bytesToByteLevel,
  decodeByteLevel,
  describeToken,
  isByteLevel,
  textToByteLevel,
  tokenBytes,
} from "@/lib/tokenizers/bytes";

describe("GPT-2 byte ↔ unicode table", () => {
  it("is a bijection over 256 single characters", () => {
    expect(new Set(BYTE_TO_UNICODE).size).toBe(256);
    for (let b = 0; b < 256; b++) {
      expect(BYTE_TO_UNICODE[b]).toHaveLength(1);
      expect(UNICODE_TO_BYTE.get(BYTE_TO_UNICODE[b])).toBe(b);
    }
  });

  it("matches GPT-2's well-known spellings", () => {
    expect(BYTE_TO_UNICODE[0x20]).toBe("Ġ"); // space
    expect(BYTE_TO_UNICODE[0x0a]).toBe("Ċ"); // newline
    expect(BYTE_TO_UNICODE[0x09]).toBe("ĉ"); // tab
    expect(BYTE_TO_UNICODE[0x00]).toBe("Ā");
    expect(BYTE_TO_UNICODE[0x41]).toBe("A");
    expect(BYTE_TO_UNICODE[0xad]).toBe("Ń"); // soft hyphen is not "printable" in GPT-2's table
    expect(textToByteLevel(" the\n")).toBe("ĠtheĊ");
    expect(textToByteLevel("é")).toBe("Ã©");
  });

  it("round-trips bytes", () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(Array.from(tokenBytes(bytesToByteLevel(bytes)))).toEqual(Array.from(bytes));
  });

  it("rejects characters outside the byte alphabet", () => {
    expect(isByteLevel("▁the")).toBe(false);
    expect(() => tokenBytes("▁the")).toThrow(/not a byte-level token/);
  });
});

describe("describeToken", () => {
  const emoji = new TextEncoder().encode("🙂"); // F0 9F 99 82

  it("shows valid UTF-8 as text", () => {
    expect(describeToken("Ġthe")).toMatchObject({ text: " the", partial: false });
    expect(describeToken(textToByteLevel("日本"))).toMatchObject({ text: "日本", partial: false });
    expect(describeToken(bytesToByteLevel(emoji))).toMatchObject({ text: "🙂", partial: false });
  });

  it("shows the bytes of a partial character instead of �", () => {
    const head = describeToken(bytesToByteLevel(emoji.subarray(0, 2)));
    expect(head).toMatchObject({ text: "<0xF0><0x9F>", partial: true });
    expect(Array.from(head.bytes)).toEqual([0xf0, 0x9f]);
    expect(describeToken(bytesToByteLevel(emoji.subarray(2))).text).toBe("<0x99><0x82>");
  });

  it("keeps the valid part of a token that ends mid-character", () => {
    const token = bytesToByteLevel([0x20, 0x68, 0x69, 0xe6, 0x97]); // " hi" + 2 of 3 bytes of 日
    expect(describeToken(token)).toMatchObject({ text: " hi<0xE6><0x97>", partial: true });
  });

  it("rejects overlong forms and surrogates", () => {
    expect(describeToken(bytesToByteLevel([0xc0, 0xaf])).text).toBe("<0xC0><0xAF>");
    expect(describeToken(bytesToByteLevel([0xed, 0xa0, 0x80])).partial).toBe(true);
  });

  it("keeps a byte-order mark", () => {
    expect(describeToken(textToByteLevel("\uFEFFx")).text).toBe("\uFEFFx");
    expect(decodeByteLevel([textToByteLevel("\uFEFF"), "x"])).toBe("\uFEFFx");
  });

  it("decodes a character split across tokens when tokens are joined", () => {
    const a = bytesToByteLevel(emoji.subarray(0, 2));
    const b = bytesToByteLevel(emoji.subarray(2));
    expect(decodeByteLevel([a, b])).toBe("🙂");
  });
});
