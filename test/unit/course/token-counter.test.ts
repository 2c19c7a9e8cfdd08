import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gradeQuestion } from "@/lib/course/grading";
import { getQuiz } from "@/lib/course/quizzes";
import { countTokens, TOKEN_COUNTERS, TOKENIZER_IDS } from "@/lib/course/token-counter";
import { BpeEncoder } from "@/lib/tokenizers/bpe/encode";
import { fromTokenizerJson } from "@/lib/tokenizers/bpe/export";

const COURSE_LM = path.join(process.cwd(), "public", "models", "course-lm", "tokenizer.json");

describe("token counts for tokenizer questions", () => {
  it("has a hook for every tokenizer a quiz may name", () => {
    expect(Object.keys(TOKEN_COUNTERS).sort()).toEqual([...TOKENIZER_IDS].sort());
  });

  it("has a real counter for every tokenizer (no question is left unchecked)", () => {
    for (const id of TOKENIZER_IDS) expect(TOKEN_COUNTERS[id], id).not.toBeNull();
  });

  it("counts with the real GPT-2, GPT-4o and Llama 3 tokenizers", async () => {
    const text = "Hello world! This is tokenization.";
    // GPT-2: Hello · world · ! · This · is · token · ization · . (ids 15496 995 0 770 318 11241 1634 13)
    expect(await countTokens("gpt2", text)).toBe(8);
    expect(await countTokens("gpt-4o", text)).toBe(8);
    const { loadTokenizer } = await import("@/lib/tokenizers/compare");
    const llama3 = await loadTokenizer("llama3");
    expect(await countTokens("llama3", text)).toBe(llama3.encode(text).length);
    // Different tokenizers, different counts: Japanese costs GPT-2 far more than GPT-4o.
    const ja = "こんにちは世界";
    expect(await countTokens("gpt2", ja)).toBeGreaterThan((await countTokens("gpt-4o", ja))! * 2);
  });

  it("grades the lesson quiz's GPT-2 question against the live count", async () => {
    const quiz = getQuiz("04-tokens");
    const question = quiz?.questions.find((q) => q.id === "tokens-count-gpt2");
    expect(question?.type).toBe("tokenizer");
    const right = await gradeQuestion(question!, 8, countTokens);
    expect([right.status, right.counted]).toEqual(["correct", true]);
    const wrong = await gradeQuestion(question!, 7, countTokens);
    expect(wrong.status).toBe("incorrect");
  });

  it("counts with course-lm's shipped tokenizer.json, no special tokens added", async () => {
    const encoder = new BpeEncoder(fromTokenizerJson(JSON.parse(fs.readFileSync(COURSE_LM, "utf8"))));
    const text = " antidisestablishmentarianism";
    const count = await countTokens("course-lm", text);
    expect(count).toBe(encoder.encode(text).length);
    expect(count).toBeGreaterThan(1);
  });
});
