/**
 * The conversation tree (siblings, the visible path, prompt history), the page's chat state
 * (applying the stream's events, moving temporary ids to the server's), the stored trace's
 * rounding, and the fixed "not in the course" reply.
 */
import { describe, expect, it } from "vitest";
import { stepsText, type Trace, type TraceStep } from "@/lib/llm/trace";
import { liveTokenRate } from "@/lib/inspector/format";
import { applyEvent, emptyChat, finishStopped, promptContext, type ChatMessage, type ChatState } from "@/lib/tutor/client/chat-state";
import { compactTrace, roundSignificant } from "@/lib/tutor/compact";
import { conversationTitle, fallbackReply, sourcesFrom } from "@/lib/tutor/grounding";
import { ancestry, childrenOf, historyFromPath, visiblePath, type ThreadMessage } from "@/lib/tutor/thread";
import type { RetrievedPassage } from "@/lib/tutor/types";
import sampledJson from "@/lib/inspector/sample-traces/sampled.json";

const sampled = sampledJson as unknown as Trace;

let clock = 0;
const msg = (id: string, role: "user" | "assistant", parentId: string | null, content = id): ThreadMessage => ({
  id,
  role,
  content,
  parentId,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString(),
});

/**  q1 ─┬─ a1 ── q2 ── a2
 *       ├─ a1b (regenerated)
 *       └─ a1c ── q3 ── a3        */
const tree = [
  msg("q1", "user", null),
  msg("a1", "assistant", "q1"),
  msg("q2", "user", "a1"),
  msg("a2", "assistant", "q2"),
  msg("a1b", "assistant", "q1"),
  msg("a1c", "assistant", "q1"),
  msg("q3", "user", "a1c"),
  msg("a3", "assistant", "q3"),
];

describe("conversation tree", () => {
  it("siblings are the replies to one question, oldest first", () => {
    expect(childrenOf(tree, "q1").map((m) => m.id)).toEqual(["a1", "a1b", "a1c"]);
    expect(childrenOf(tree, null).map((m) => m.id)).toEqual(["q1"]);
  });

  it("the visible path takes the newest sibling unless another is selected", () => {
    expect(visiblePath(tree).map((m) => m.id)).toEqual(["q1", "a1c", "q3", "a3"]);
    expect(visiblePath(tree, { q1: "a1" }).map((m) => m.id)).toEqual(["q1", "a1", "q2", "a2"]);
    expect(visiblePath(tree, { q1: "a1b" }).map((m) => m.id)).toEqual(["q1", "a1b"]);
    expect(visiblePath(tree, { q1: "gone" }).map((m) => m.id)).toEqual(["q1", "a1c", "q3", "a3"]);
  });

  it("the prompt's history is the path up to the reply a question follows", () => {
    expect(ancestry(tree, "a2").map((m) => m.id)).toEqual(["q1", "a1", "q2", "a2"]);
    expect(historyFromPath(ancestry(tree, "a2"))).toEqual([
      { role: "user", content: "q1" },
      { role: "assistant", content: "a1" },
      { role: "user", content: "q2" },
      { role: "assistant", content: "a2" },
    ]);
    // A reply that was not generated (the fixed reply) and its question are left out.
    expect(historyFromPath(ancestry(tree, "a2"), (r) => r.id !== "a1")).toEqual([
      { role: "user", content: "q2" },
      { role: "assistant", content: "a2" },
    ]);
  });
});

const asChat = (messages: ThreadMessage[]): ChatState => ({
  ...emptyChat(),
  messages: messages.map((m): ChatMessage => ({ ...m, trace: null, grounding: null, branchFromStep: null, status: "done" })),
});

describe("chat state", () => {
  it("the page computes the same history as the server for a regeneration and a follow-up", () => {
    const chat = asChat(tree);
    expect(promptContext(chat.messages, { answering: "q3" }).history.map((t) => t.content)).toEqual(["q1", "a1c"]);
    expect(promptContext(chat.messages, { follows: "a3" }).previousQuestions).toEqual(["q1", "q3"]);
    expect(promptContext(chat.messages, { follows: null })).toEqual({ history: [], previousQuestions: [] });
  });

  it("applies a stream: the conversation event moves temporary ids to the server's, steps stream, done settles", () => {
    const ids = { user: "local-q", assistant: "local-a" };
    let chat: ChatState = {
      ...emptyChat(),
      messages: [
        { ...msg("local-q", "user", null, "What is temperature?"), trace: null, grounding: null, branchFromStep: null, status: "done" },
        { ...msg("local-a", "assistant", "local-q", ""), trace: null, grounding: null, branchFromStep: null, status: "streaming" },
      ],
      selected: { "": "local-q", "local-q": "local-a" },
    };
    chat = applyEvent(chat, ids, { type: "conversation", conversationId: "c1", title: "What is temperature?", userMessageId: "q", messageId: "a", parentId: "q", branchFromStep: null });
    expect(ids).toEqual({ user: "q", assistant: "a" });
    expect(chat.conversationId).toBe("c1");
    expect(chat.messages.map((m) => [m.id, m.parentId])).toEqual([
      ["q", null],
      ["a", "q"],
    ]);
    expect(chat.selected).toEqual({ "": "q", q: "a" });
    chat = applyEvent(chat, ids, { type: "sources", sources: [], query: "What is temperature?" });
    chat = applyEvent(chat, ids, { type: "prompt", model: sampled.model, settings: sampled.settings, prompt: sampled.prompt, vocabSize: sampled.vocabSize, contextLength: sampled.contextLength });
    // Steps arriving at 1000, 1020 and 1040 ms: the live speed is 2 tokens in 40 ms after the first.
    sampled.steps.slice(0, 3).forEach((step, i) => (chat = applyEvent(chat, ids, { type: "step", step }, 1000 + 20 * i)));
    expect(chat.messages[1].content).toBe(stepsText(sampled.steps.slice(0, 3)));
    expect(chat.messages[1].status).toBe("streaming");
    expect(chat.messages[1]).toMatchObject({ firstStepAtMs: 1000, lastStepAtMs: 1040 });
    expect(liveTokenRate(chat.messages[1].steps!.length, chat.messages[1].firstStepAtMs!, chat.messages[1].lastStepAtMs!)).toBe(50);
    chat = applyEvent(chat, ids, { type: "done", trace: sampled });
    expect(chat.messages[1]).toMatchObject({ status: "done", content: sampled.reply.text, trace: sampled });
    expect(chat.messages[1].steps).toBeUndefined();
    expect(chat.messages[1].firstStepAtMs).toBeUndefined();
  });

  it("a stopped reply keeps what streamed, as a partial trace with finishReason \"aborted\"", () => {
    const ids = { user: "q", assistant: "a" };
    let chat = asChat([msg("q", "user", null), { ...msg("a", "assistant", "q", "") }]);
    chat = { ...chat, messages: chat.messages.map((m) => (m.id === "a" ? { ...m, status: "streaming" as const } : m)) };
    chat = applyEvent(chat, ids, { type: "prompt", model: sampled.model, settings: sampled.settings, prompt: sampled.prompt, vocabSize: sampled.vocabSize, contextLength: sampled.contextLength });
    chat = applyEvent(chat, ids, { type: "step", step: sampled.steps[0] });
    chat = finishStopped(chat, "a");
    const reply = chat.messages[1];
    expect(reply).toMatchObject({ status: "done", stopped: true });
    // The prompt event carries the model's sizes, so a partial trace is as complete as a finished one.
    expect(reply.trace).toMatchObject({ finishReason: "aborted", steps: [sampled.steps[0]], prompt: sampled.prompt, vocabSize: sampled.vocabSize, contextLength: sampled.contextLength });
  });

  it("streamed text decodes a character split over two tokens only once both halves arrived", () => {
    const step = (partial: Partial<TraceStep>): TraceStep => ({ ...sampled.steps[0], special: undefined, bytes: undefined, ...partial });
    const halves = [step({ text: "<0xF0><0x9F>", bytes: [0xf0, 0x9f] }), step({ text: "<0x99><0x82>", bytes: [0x99, 0x82] })];
    expect(stepsText([step({ text: "Hi " }), halves[0]])).toBe("Hi ");
    expect(stepsText([step({ text: "Hi " }), ...halves])).toBe("Hi 🙂");
    expect(stepsText([step({ text: "<|end|>", special: true })])).toBe("");
  });
});

describe("stored traces", () => {
  it("round floats to 6 significant digits and leave ids, texts and counts alone", () => {
    const compact = compactTrace(sampled);
    expect(compact.steps.map((s) => s.tokenId)).toEqual(sampled.steps.map((s) => s.tokenId));
    expect(compact.prompt).toEqual(sampled.prompt);
    compact.steps.forEach((s, i) => {
      const original = sampled.steps[i];
      expect(s.kept).toEqual(original.kept);
      expect(s.logprob).toBeCloseTo(original.logprob, 5);
      s.candidates.forEach((c, j) => {
        expect(c.id).toBe(original.candidates[j].id);
        expect(Math.abs(c.probFinal - original.candidates[j].probFinal)).toBeLessThanOrEqual(Math.abs(original.candidates[j].probFinal) * 1e-5);
      });
    });
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(sampled).length * 0.85);
    expect(compactTrace(compact)).toEqual(compact);
    expect(roundSignificant(0.123456789)).toBe(0.123457);
    expect(roundSignificant(-1234567.8)).toBe(-1234570);
    expect(roundSignificant(0)).toBe(0);
  });
});

describe("grounding", () => {
  const p = (id: string, section: string, score: number): RetrievedPassage => ({
    id,
    kind: "lesson",
    lessonSlug: "17-temperature",
    lessonTitle: "Temperature",
    sectionSlug: section,
    heading: section,
    text: `text of ${id}`,
    href: `/learn/level-1/17-temperature#${section}`,
    score,
  });

  it("one source per section, best first, marked when the prompt had no room for it", () => {
    const retrieved = [p("a/0", "intro", 9), p("b/0", "deep", 8), p("a/1", "intro", 7)];
    const sources = sourcesFrom(retrieved, [{ passage: retrieved[2], text: "cut text", trimmed: true }]);
    expect(sources.map((s) => [s.sectionSlug, s.used, s.score, s.excerpt])).toEqual([
      ["intro", true, 9, "cut text"],
      ["deep", false, 8, "text of b/0"],
    ]);
  });

  it("the fixed reply names the suggested lessons as links and never pretends to answer", () => {
    const text = fallbackReply([
      { lessonSlug: "04-tokens", title: "Tokens", href: "/learn/level-1/04-tokens" },
      { lessonSlug: "05-bpe", title: "BPE", href: "/learn/level-1/05-bpe" },
    ]);
    expect(text).toBe(
      "I couldn't find this in the course, so I won't guess an answer. The nearest lessons are [Tokens](/learn/level-1/04-tokens) or [BPE](/learn/level-1/05-bpe). Try one of them, or ask me about something they cover.",
    );
  });

  it("titles a conversation by its first question, cut at a word", () => {
    expect(conversationTitle("  What is   a token? ")).toBe("What is a token?");
    const long = conversationTitle("why ".repeat(40));
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith("why…")).toBe(true);
  });
});
