import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { countTokens, TOKEN_COUNTERS, TOKENIZER_IDS } from "@/lib/course/token-counter";
import { BpeEncoder } from "@/lib/tokenizers/bpe/encode";
import { fromTokenizerJson } from "@/lib/tokenizers/bpe/export";

const COURSE_LM = path.join(process.cwd(), "public", "models", "course-lm", "tokenizer.json");

describe("token counts for tokenizer questions", () => {
  it("has a hook for every tokenizer a quiz may name", () => {
    expect(Object.keys(TOKEN_COUNTERS).sort()).toEqual([...TOKENIZER_IDS].sort());
  });

  it("answers null (question left unchecked) for tokenizers not wired up yet", async () => {
    for (const id of TOKENIZER_IDS.filter((t) => TOKEN_COUNTERS[t] === null)) {
      expect(await countTokens(id, "Hello world"), id).toBeNull();
    }
  });

  it("counts with course-lm's shipped tokenizer.json, no special tokens added", async () => {
    const encoder = new BpeEncoder(fromTokenizerJson(JSON.parse(fs.readFileSync(COURSE_LM, "utf8"))));
    const text = " antidisestablishmentarianism";
    const count = await countTokens("course-lm", text);
    expect(count).toBe(encoder.encode(text).length);
    expect(count).toBeGreaterThan(1);
  });
});
