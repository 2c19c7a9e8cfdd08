/**
 * Prompt budgeting with course-lm's real tokenizer (the shipped tokenizer.json, loaded by
 * transformers.js as the server loads it, and by our own BPE encoder as the browser does):
 * the prompt always fits in the window minus the reply's reserve, the counts are the real
 * token counts of the whole rendered prompt, passages are cut only at token boundaries,
 * course-lm sees at most the previous question of the conversation (never an earlier reply,
 * other chat models the last exchange), and both tokenizers give the same prompt.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AutoTokenizer, env, type PreTrainedTokenizer } from "@huggingface/transformers";
import { BpeEncoder } from "@/lib/tokenizers/bpe/encode";
import { fromTokenizerJson } from "@/lib/tokenizers/bpe/export";
import { retrieveForQuestion } from "@/lib/tutor/retrieval";
import { planTurn } from "@/lib/tutor/plan";
import {
  buildTutorPrompt,
  formatPassage,
  MAX_PASSAGES,
  MIN_PASSAGE_TOKENS,
  PASSAGE_SHARE,
  QuestionTooLongError,
  TUTOR_SYSTEM_PROMPT,
  trimToFit,
  type BuildPromptInput,
} from "@/lib/tutor/prompt";
import {
  byteTokenizer,
  courseLmFormat,
  estimatedChatFormat,
  fromBpeEncoder,
  fromTransformersTokenizer,
  renderCourseLmPrompt,
  type PromptTokenizer,
} from "@/lib/tutor/tokenizer";
import type { PassageDoc, Turn } from "@/lib/tutor/types";

const DIR = path.resolve("public/models/course-lm");

let hf: PreTrainedTokenizer;
let server: PromptTokenizer;
let browser: PromptTokenizer;

beforeAll(async () => {
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(DIR);
  hf = await AutoTokenizer.from_pretrained(path.basename(DIR), { local_files_only: true });
  server = fromTransformersTokenizer(hf);
  browser = fromBpeEncoder(new BpeEncoder(fromTokenizerJson(JSON.parse(readFileSync(path.join(DIR, "tokenizer.json"), "utf8")))));
});

const passage = (i: number, text: string): PassageDoc => ({
  id: `p${i}`,
  kind: "lesson",
  lessonSlug: "17-temperature",
  lessonTitle: "Temperature",
  sectionSlug: `s${i}`,
  heading: `Section ${i}`,
  text,
  href: `/learn/level-1/17-temperature#s${i}`,
});
const LONG_PASSAGE =
  "Temperature divides every logit by T before the softmax. With T below one the gaps between logits grow, so the favourite gets more of the probability; above one they shrink and the distribution flattens. At T = 0 the choice collapses onto the argmax, which is greedy decoding. Learners often expect temperature to change which tokens are possible; it only changes how the probability is shared among them, and the order of the candidates never changes. ".repeat(
    3,
  );
const exchange = (k: number, words = 40): Turn[] => [
  { role: "user", content: `Question ${k}: what does temperature do to sampling?` },
  { role: "assistant", content: `Answer ${k}: ${"temperature rescales the logits before softmax and ".repeat(Math.ceil(words / 7))}`.trim() },
];

function build(overrides: Partial<BuildPromptInput> & { tokenizer?: PromptTokenizer } = {}) {
  const tokenizer = overrides.tokenizer ?? server;
  return buildTutorPrompt({
    question: "How does temperature change the distribution?",
    passages: [passage(1, LONG_PASSAGE), passage(2, LONG_PASSAGE.slice(0, 300)), passage(3, "A third passage.")],
    history: [],
    tokenizer,
    format: courseLmFormat(tokenizer),
    contextLength: 512,
    ...overrides,
  });
}

describe("tutor prompt budgeting with course-lm's tokenizer", () => {
  it("the rendered prompt is course-lm's trained format, and `used` is its real token count", () => {
    const prompt = build();
    expect(prompt.text!.startsWith(`<|endoftext|><|system|>${TUTOR_SYSTEM_PROMPT}<|end|>\n`)).toBe(true);
    expect(prompt.text!.endsWith("<|user|>How does temperature change the distribution?<|end|>\n<|assistant|>")).toBe(true);
    expect(prompt.text).toBe(renderCourseLmPrompt(prompt.messages));
    expect(prompt.context.used).toBe(hf.encode(prompt.text!, { add_special_tokens: false }).length);
    const { parts } = prompt.context;
    expect(parts.system + parts.passages + parts.history + parts.question).toBe(prompt.context.used);
    expect(parts.system).toBe(server.encode(`<|system|>${TUTOR_SYSTEM_PROMPT}<|end|>\n`).length);
  });

  it("fits the window minus the reply's reserve for any history length", () => {
    for (const turns of [0, 1, 3, 8, 20]) {
      const history = Array.from({ length: turns }, (_, k) => exchange(k)).flat();
      const prompt = build({ history });
      const { used, limit, reserved, keptTurns, droppedTurns } = prompt.context;
      expect(reserved).toBe(128);
      expect(used).toBeLessThanOrEqual(limit - reserved);
      expect(keptTurns + droppedTurns).toBe(turns);
      expect(hf.encode(prompt.text!, { add_special_tokens: false }).length).toBe(used);
    }
  });

  it("course-lm: an earlier reply never appears in the prompt, whatever the history", () => {
    for (const turns of [1, 2, 5, 20]) {
      const history = Array.from({ length: turns }, (_, k) => exchange(k, 8)).flat();
      const prompt = build({ history });
      for (const reply of history.filter((t) => t.role === "assistant")) expect(prompt.text).not.toContain(reply.content);
      expect(prompt.messages.filter((m) => m.role === "assistant")).toEqual([]);
      // Older questions stay out too: only the last one is a follow-up's context.
      for (const old of history.filter((t) => t.role === "user").slice(0, -1)) expect(prompt.text).not.toContain(old.content);
    }
  });

  it("course-lm: the previous question goes in when it fits, after the system turn and before the passages", () => {
    const history = [...exchange(1), ...exchange(2)];
    const previous = history[2].content;
    const prompt = build({ history, question: "Why?" });
    const roles = prompt.messages.map((m) => m.role);
    expect(roles.slice(0, 2)).toEqual(["system", "user"]);
    expect(roles.slice(2, -1).length).toBeGreaterThan(0);
    expect(roles.slice(2, -1).every((r) => r === "context")).toBe(true);
    expect(roles.at(-1)).toBe("user");
    expect(prompt.messages[1].content).toBe(previous);
    expect(prompt.messages.at(-1)!.content).toBe("Why?");
    expect(prompt.text).toContain(`<|user|>${previous}<|end|>\n<|context|>`);
    expect(prompt.context).toMatchObject({ keptTurns: 1, droppedTurns: 1 });
    expect(prompt.context.parts.history).toBe(server.encode(`<|user|>${previous}<|end|>\n`).length);
    // A question asked before a reply came back (stopped, failed) counts as the previous one as well.
    const unanswered = build({ history: [...exchange(1), { role: "user", content: "And top-p?" }] });
    expect(unanswered.messages[1]).toEqual({ role: "user", content: "And top-p?" });
    expect(unanswered.context).toMatchObject({ keptTurns: 1, droppedTurns: 1 });
  });

  it("course-lm: a previous question with no room left is left out whole and reported", () => {
    const long = "Could you explain again how temperature divides the logits before the softmax and why? ".repeat(4);
    const history: Turn[] = [{ role: "user", content: long }, { role: "assistant", content: "Because it rescales them." }];
    const prompt = build({ history });
    expect(prompt.text).not.toContain(long.slice(0, 40));
    expect(prompt.context).toMatchObject({ keptTurns: 0, droppedTurns: 1 });
    expect(prompt.context.parts.history).toBe(0);
    // Without passages competing for the room, the same question fits.
    expect(build({ history, passages: [] }).context).toMatchObject({ keptTurns: 1, droppedTurns: 0 });
    // The turns are counted as exchanges: without any history nothing is kept or dropped.
    expect(build().context).toMatchObject({ keptTurns: 0, droppedTurns: 0 });
  });

  it("the window is spent on passages: they may take PASSAGE_SHARE of what the system turn and question leave", () => {
    const prompt = build();
    const { used, limit, reserved, parts } = prompt.context;
    const free = limit - reserved - parts.system - parts.question;
    expect(PASSAGE_SHARE).toBeGreaterThanOrEqual(0.8);
    expect(parts.passages).toBeLessThanOrEqual(Math.floor(free * PASSAGE_SHARE));
    // Cut back to a whole sentence, the passages still fill most of their share.
    expect(parts.passages).toBeGreaterThan(0.6 * free);
    expect(used).toBeLessThanOrEqual(limit - reserved);
  });

  it("passages: at most MAX_PASSAGES, best one last (nearest the question), the rest reported dropped", () => {
    const prompt = build();
    const contexts = prompt.messages.filter((m) => m.role === "context");
    expect(contexts.length).toBeLessThanOrEqual(MAX_PASSAGES);
    expect(prompt.passages[0].passage.id).toBe("p1");
    expect(contexts.at(-1)!.content.startsWith("[Temperature § Section 1] ")).toBe(true);
    expect(prompt.context.passages + prompt.context.droppedPassages).toBe(3);
  });

  it("a passage too long for its share is cut at a token boundary, back to a whole sentence or word", () => {
    const prompt = build();
    const cut = prompt.passages.find((p) => p.trimmed);
    expect(cut).toBeDefined();
    expect(prompt.context.trimmedPassages).toBeGreaterThan(0);
    expect(LONG_PASSAGE.startsWith(cut!.text)).toBe(true);
    expect(cut!.text.length).toBeLessThan(LONG_PASSAGE.length);
    const full = server.encode(LONG_PASSAGE);
    const part = server.encode(cut!.text);
    expect(part).toEqual(full.slice(0, part.length)); // a prefix of the original tokens: nothing split
    expect(cut!.text).toMatch(/[.\w]$/);
    expect(server.encode(cut!.text).length).toBeGreaterThanOrEqual(MIN_PASSAGE_TOKENS);
  });

  it("trimToFit never splits a character (multi-byte text) and returns null when nothing useful fits", () => {
    const text = "Emoji 🙂🤖👍🏽 and accents café naïve Ångström, then more words follow here to make it long enough to cut. ".repeat(4);
    const ids = server.encode(text);
    for (const room of [30, 41, 57, 80]) {
      const cut = trimToFit(text, server, (t) => server.encode(t).length <= room);
      expect(cut).not.toBeNull();
      expect(cut).not.toContain("\uFFFD");
      expect(text.startsWith(cut!)).toBe(true);
      const part = server.encode(cut!);
      expect(part.length).toBeLessThanOrEqual(room);
      expect(part).toEqual(ids.slice(0, part.length));
    }
    expect(trimToFit(text, server, (t) => server.encode(t).length <= 10)).toBeNull();
  });

  it("the question is never cut: the system turn goes first, then a too-long question is refused", () => {
    const long = "Why does temperature matter so much for sampling? ".repeat(30);
    const tight = build({ question: long, contextLength: 512 });
    expect(tight.messages.at(-1)!.content).toBe(long);
    expect(tight.context.used).toBeLessThanOrEqual(384);
    expect(() => build({ question: long.repeat(2) })).toThrow(QuestionTooLongError);
    const noSystem = build({ question: long, contextLength: 420 });
    expect(noSystem.messages[0].role).not.toBe("system");
    expect(noSystem.context.parts.system).toBe(0);
  });

  it("the browser's encoder builds the identical prompt (the same code runs in the page)", () => {
    const history = Array.from({ length: 5 }, (_, k) => exchange(k)).flat();
    const a = build({ history });
    const b = build({ history, tokenizer: browser });
    expect(b.text).toBe(a.text);
    expect(b.context).toEqual(a.context);
  });

  it("a chat model without course-lm's tokenizer: passages go into the system message, counts are marked estimated", () => {
    const prompt = buildTutorPrompt({
      question: "What is temperature?",
      passages: [passage(1, "Temperature divides the logits.")],
      history: exchange(1),
      tokenizer: byteTokenizer,
      format: estimatedChatFormat(),
      contextLength: 8192,
    });
    expect(prompt.text).toBeUndefined();
    expect(prompt.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(prompt.messages[0].content).toContain(formatPassage(passage(1, ""), "Temperature divides the logits."));
    expect(prompt.context).toMatchObject({ estimated: true, keptTurns: 1, limit: 8192, reserved: 128 });
  });

  it("a chat model keeps the last exchange, reply included, and nothing older", () => {
    const history = [...exchange(1, 8), ...exchange(2, 8), ...exchange(3, 8)];
    const prompt = buildTutorPrompt({
      question: "Why?",
      passages: [passage(1, "Temperature divides the logits.")],
      history,
      tokenizer: byteTokenizer,
      format: estimatedChatFormat(),
      contextLength: 8192,
    });
    expect(prompt.messages.slice(1)).toEqual([...history.slice(4), { role: "user", content: "Why?" }]);
    for (const t of history.slice(0, 4)) expect(prompt.messages.map((m) => m.content).join("\n")).not.toContain(t.content);
    expect(prompt.context).toMatchObject({ keptTurns: 1, droppedTurns: 2 });
  });

  it("end to end with retrieval: a course question is grounded, an off-topic one gets the fixed reply", () => {
    const tools = { tokenizer: server, format: courseLmFormat(server), contextLength: 512 };
    const grounded = planTurn({ question: "what is nucleus sampling?", retrieval: retrieveForQuestion("what is nucleus sampling?"), history: [], ...tools });
    expect(grounded.kind).toBe("generate");
    if (grounded.kind !== "generate") return;
    expect(grounded.grounding.sources[0]).toMatchObject({ lessonSlug: "18-top-k-and-top-p", used: true });
    expect(grounded.prompt.text).toContain("<|context|>[Top-k and Top-p Sampling § ");
    const off = planTurn({ question: "How do I bake sourdough bread?", retrieval: retrieveForQuestion("How do I bake sourdough bread?"), history: [], ...tools });
    expect(off.kind).toBe("fallback");
    if (off.kind !== "fallback") return;
    expect(off.text).toMatch(/^I couldn't find this in the course/);
    expect(off.grounding.sources).toEqual([]);
  });
});
