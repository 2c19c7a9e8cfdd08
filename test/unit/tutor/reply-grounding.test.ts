/**
 * The grounding the chat and the inspector show, on a real saved conversation
 * (test/fixtures/tutor/generate.ts: course-lm's greedy replies to three questions): the
 * marks and their sources, the summary line, the fixed reply left alone, the reply tokens
 * inside copied spans, and the rendered reply (React's server renderer, no browser).
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { prerender } from "react-dom/static";
import { describe, expect, it } from "vitest";
import { AssistantMessage } from "@/components/tutor/message-view";
import { bytes } from "../inspector/fixtures";
import { stepCharRanges, stepGrounding, stepSpans } from "@/lib/inspector/grounding";
import type { ChatMessage, ChatState } from "@/lib/tutor/client/chat-state";
import { groundingSummary, inspectorGrounding, markedPieces, replyGrounding } from "@/lib/tutor/client/reply-grounding";
import saved from "../../fixtures/tutor/grounded-chat.json";

const chat = (saved as unknown as { value: { chat: ChatState } }).value.chat;
const reply = (id: string): ChatMessage => chat.messages.find((m) => m.id === id)!;
/** Replies: a1 copies from its passages, a2 copies nothing, a3 is the fixed "not in the course" reply. */
const [copies, none, fallback] = [reply("a1"), reply("a2"), reply("a3")];

describe("replyGrounding", () => {
  it("marks the copied spans of a real reply with the lesson section each came from", () => {
    const g = replyGrounding(copies.content, copies.grounding)!;
    const topP = copies.grounding!.sources.find((s) => s.used)!;
    expect(g.marks.length).toBeGreaterThan(0);
    for (const mark of g.marks) {
      expect(mark.source).toEqual({ lessonTitle: topP.lessonTitle, heading: topP.heading, href: topP.href });
      expect(topP.excerpt).toContain(mark.sentence);
    }
    expect(g.marks.map((m) => copies.content.slice(m.start, m.end)).join(" ")).toContain("keeps the smallest set of top tokens whose probabilities add up to at least p.");
    expect(g).toMatchObject({ sentences: 3, grounded: 2 });
    expect(groundingSummary(g)).toBe("2 of 3 sentences copied from the lessons; the rest is the model's own wording — check it against the sources.");
  });

  it("says plainly when nothing was copied", () => {
    const g = replyGrounding(none.content, none.grounding)!;
    expect(g.marks).toEqual([]);
    expect(groundingSummary(g)).toBe("Nothing in this reply was copied from the lesson passages — check it against the sources.");
  });

  it("says nothing about the fixed 'not in the course' reply, an empty reply or one without sources yet", () => {
    expect(replyGrounding(fallback.content, fallback.grounding)).toBeNull();
    expect(replyGrounding("", copies.grounding)).toBeNull();
    expect(replyGrounding(copies.content, null)).toBeNull();
  });

  it("uses only the passages that were in the prompt", () => {
    const unused = { ...copies.grounding!, sources: copies.grounding!.sources.map((s) => ({ ...s, used: false })) };
    expect(replyGrounding(copies.content, unused)!.marks).toEqual([]);
  });

  it("words the summary for whole sentences and for marked phrases only", () => {
    const mark = { start: 0, end: 5, passage: 0, sentence: "S.", source: { lessonTitle: "L", heading: "H", href: "/x" } };
    expect(groundingSummary({ marks: [mark], sources: [], sentences: 1, grounded: 1 })).toBe("1 of 1 sentence copied from the lessons.");
    expect(groundingSummary({ marks: [mark, mark], sources: [], sentences: 2, grounded: 0 })).toBe(
      "No sentence is copied whole; the 2 marked phrases come from the lessons — check the rest against the sources.",
    );
  });
});

describe("markedPieces", () => {
  it("cuts a range at the marks' edges, clipping marks that run past it", () => {
    const marks = [
      { start: 2, end: 5 },
      { start: 8, end: 20 },
    ];
    expect(markedPieces(0, 10, marks)).toEqual([
      { start: 0, end: 2, mark: null },
      { start: 2, end: 5, mark: 0 },
      { start: 5, end: 8, mark: null },
      { start: 8, end: 10, mark: 1 },
    ]);
    expect(markedPieces(10, 12, marks)).toEqual([{ start: 10, end: 12, mark: 1 }]);
    expect(markedPieces(5, 8, marks)).toEqual([{ start: 5, end: 8, mark: null }]);
  });
});

describe("reply tokens in copied spans (inspector)", () => {
  it("finds each token's characters by decoding the steps, partial UTF-8 included", () => {
    const { text, ranges } = stepCharRanges(bytes.steps);
    expect(text).toBe(bytes.reply.text);
    expect(ranges.at(-1)!.end).toBeLessThanOrEqual(text.length);
    // A byte that is half a character spells nothing on its own.
    const partial = bytes.steps.findIndex((s) => s.bytes);
    expect(partial).toBeGreaterThanOrEqual(0);
    expect(ranges[partial].end - ranges[partial].start).toBeLessThanOrEqual(1);
  });

  it("marks exactly the tokens that overlap a copied span, with its passage's source", () => {
    const g = inspectorGrounding(copies.content, copies.grounding)!;
    const steps = copies.trace!.steps;
    const per = stepGrounding(steps, g);
    const marked = steps.filter((_, i) => per[i]).map((s) => s.text).join("");
    for (const span of g.spans) expect(marked).toContain(copies.content.slice(span.start, span.end).replace(/^\s+/, ""));
    expect(per[0]).toBeNull(); // "Top" of "Top-k sampling …" is the model's own
    expect(per.find(Boolean)).toMatchObject({ passage: 0, source: { lessonTitle: "Top-k and Top-p Sampling" } });
  });

  it("marks nothing for a reply that copied nothing", () => {
    expect(stepGrounding(none.trace!.steps, inspectorGrounding(none.content, none.grounding)!).every((x) => x === null)).toBe(true);
    expect(inspectorGrounding(fallback.content, fallback.grounding)).toBeUndefined();
  });

  it("aligns when the reply text is a prefix of the decoded steps (a stop string cut off)", () => {
    const steps = [{ text: "Hello" }, { text: " world" }, { text: " STOP" }];
    expect(stepSpans(steps, "Hello world", [{ start: 6, end: 11 }])).toEqual([null, 0, null]);
  });
});

describe("the reply as rendered", () => {
  /** The finished HTML: prerender waits for the Markdown renderer, which the page loads lazily. */
  const render = async (message: ChatMessage) => {
    const { prelude } = await prerender(createElement(AssistantMessage, { message, siblings: [message], onSelectSibling: () => {}, busy: false }));
    // Streaming rendering separates adjacent text nodes with empty comments; they are not content.
    return (await new Response(prelude).text()).replaceAll("<!-- -->", "");
  };

  it("shows the reply as plain text until the Markdown renderer has loaded", () => {
    // The first synchronous render cannot wait for the lazy import: the fallback keeps the text.
    const html = renderToStaticMarkup(createElement(AssistantMessage, { message: copies, siblings: [copies], onSelectSibling: () => {}, busy: false }));
    expect(html).toContain('<p class="whitespace-pre-wrap">');
    expect(html).toContain(copies.content.slice(0, 20).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;"));
  });

  it("marks copied text as links to the lesson section, with the source sentence as their description", async () => {
    const html = await render(copies);
    const topP = copies.grounding!.sources.find((s) => s.used)!;
    const links = [...html.matchAll(/<a [^>]*data-testid="grounded-mark"[^>]*>/g)].map((m) => m[0]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link).toContain(`href="${topP.href}"`);
      const described = link.match(/aria-describedby="([^"]+)"/)![1];
      expect(html).toMatch(new RegExp(`<span role="tooltip" id="${described}"[^>]*><span[^>]*>Copied from ${topP.lessonTitle} § ${topP.heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</span>`));
    }
    expect(html).toContain('data-testid="grounding-summary" data-grounded="2" data-sentences="3"');
    expect(html).not.toContain("Nothing in this reply was copied");
  });

  it("shows the plain note for a reply that copied nothing, and neither for the fixed reply", async () => {
    const plain = await render(none);
    expect(plain).not.toContain('data-testid="grounded-mark"');
    expect(plain).toContain("Nothing in this reply was copied from the lesson passages — check it against the sources.");
    const fixed = await render(fallback);
    expect(fixed).not.toContain('data-testid="grounded-mark"');
    expect(fixed).not.toContain('data-testid="grounding-summary"');
  });
});
