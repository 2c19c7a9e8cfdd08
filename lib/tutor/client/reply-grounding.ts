/**
 * What the chat shows about a reply's grounding: the copied spans (lib/tutor/grounded.ts)
 * with the source each came from, the count of copied sentences and the line that says it.
 * The passages are the reply's used sources' excerpts: exactly the text the model saw, so a
 * mark means "this was in your prompt", never "this resembles some lesson".
 *
 * Isomorphic and pure, so the message view, the inspector and the tests share it.
 */
import type { InspectorGrounding } from "../../inspector/grounding.ts";
import { groundedSpans, sentenceGrounding, type GroundedSpan } from "../grounded.ts";
import type { Grounding, Source } from "../types.ts";

/** A copied span of the reply and the lesson section it was copied from. */
export interface GroundedMark extends GroundedSpan {
  source: Pick<Source, "lessonTitle" | "heading" | "href">;
}

export interface ReplyGrounding {
  marks: GroundedMark[];
  /** The used sources, by passage index (a span's `passage`). */
  sources: GroundedMark["source"][];
  sentences: number;
  grounded: number;
}

/**
 * The grounding of a generated reply; null when there is nothing to say: no text yet, or the
 * fixed "not in the course" reply (not generated, so "copied" means nothing for it).
 */
export function replyGrounding(content: string, grounding: Grounding | null): ReplyGrounding | null {
  if (!content.trim() || !grounding || grounding.suggestions) return null;
  const used = grounding.sources.filter((s) => s.used);
  const passages = used.map((s) => ({ text: s.excerpt }));
  const sources = used.map(({ lessonTitle, heading, href }) => ({ lessonTitle, heading, href }));
  const marks = groundedSpans(content, passages).map((span) => ({ ...span, source: sources[span.passage] }));
  const { sentences, grounded } = sentenceGrounding(content, passages);
  return { marks, sources, sentences, grounded };
}

/** The same, as the inspector takes it (undefined where the chat shows no grounding). */
export function inspectorGrounding(content: string, grounding: Grounding | null): InspectorGrounding | undefined {
  const g = replyGrounding(content, grounding);
  return g ? { text: content, spans: g.marks, sources: g.sources } : undefined;
}

/** The line under a reply: how much of it is copied, or plainly that none of it is. */
export function groundingSummary({ marks, sentences, grounded }: ReplyGrounding): string {
  if (marks.length === 0) return "Nothing in this reply was copied from the lesson passages — check it against the sources.";
  if (grounded === 0) return `No sentence is copied whole; ${marks.length === 1 ? "the marked phrase comes" : `the ${marks.length} marked phrases come`} from the lessons — check the rest against the sources.`;
  const counted = `${grounded} of ${sentences} ${sentences === 1 ? "sentence" : "sentences"} copied from the lessons`;
  return grounded < sentences ? `${counted}; the rest is the model's own wording — check it against the sources.` : `${counted}.`;
}

/** A piece of the text range [from, to): inside mark `mark` (its index) or outside any (null). */
export interface MarkedPiece {
  start: number;
  end: number;
  mark: number | null;
}

/**
 * Cut the text range [from, to) at the marks' edges, for rendering one run of text (a
 * Markdown text node) with the parts inside marks wrapped. Marks are sorted and disjoint.
 */
export function markedPieces(from: number, to: number, marks: readonly { start: number; end: number }[]): MarkedPiece[] {
  const out: MarkedPiece[] = [];
  let at = from;
  marks.forEach((m, index) => {
    const start = Math.max(m.start, at);
    const end = Math.min(m.end, to);
    if (start >= end) return;
    if (start > at) out.push({ start: at, end: start, mark: null });
    out.push({ start, end, mark: index });
    at = end;
  });
  if (at < to) out.push({ start: at, end: to, mark: null });
  return out;
}
