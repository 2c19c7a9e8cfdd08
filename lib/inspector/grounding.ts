/**
 * Which reply tokens lie in a copied span (lib/tutor/grounded.ts), for the inspector's
 * reply view. Spans are character offsets into the reply's text; tokens are bytes. Each
 * token's characters are found by decoding the steps in order, as a stream, so a token that
 * is half a UTF-8 character covers no character and the token that completes it covers the
 * whole one. A special token in the middle of a reply is spelled by its name, as the
 * tokenizer's decode (the trace's reply text) spells it.
 *
 * Isomorphic, no React.
 */
import type { TokenText } from "../llm/trace.ts";
import type { GroundedSpan } from "../tutor/grounded.ts";

/** The reply characters [start, end) each step's token spelled, in the steps' own decoding. */
export function stepCharRanges(steps: readonly TokenText[]): { text: string; ranges: { start: number; end: number }[] } {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let text = "";
  const ranges = steps.map((step) => {
    const start = text.length;
    text += step.special ? step.text : decoder.decode(step.bytes ? Uint8Array.from(step.bytes) : encoder.encode(step.text), { stream: true });
    return { start, end: text.length };
  });
  // Bytes left waiting for the rest of a character are a stray byte: "\ufffd", as decode writes it.
  text += decoder.decode();
  return { text, ranges };
}

/**
 * For each step, the index of the span its token overlaps (or null). `replyText` is the text
 * the spans were computed on (the trace's reply text); the steps' decoding can run past it
 * (a stop string is cut from the reply), so it is aligned by where the reply text starts in
 * it — 0 whenever the two agree, which they do for every reply the decode loop produces.
 */
export function stepSpans(steps: readonly TokenText[], replyText: string, spans: readonly { start: number; end: number }[]): (number | null)[] {
  const { text, ranges } = stepCharRanges(steps);
  const shift = Math.max(0, text.indexOf(replyText));
  return ranges.map(({ start, end }) => {
    const index = spans.findIndex((s) => start - shift < s.end && end - shift > s.start);
    return index < 0 ? null : index;
  });
}

/** Where a passage came from (a lesson section). */
export interface GroundingSource {
  lessonTitle: string;
  heading: string;
  href: string;
}

/**
 * What the inspector is told about a reply's grounding: the copied spans of `text` (the
 * reply) and, by a span's `passage`, the source of each passage. The playground has none.
 */
export interface InspectorGrounding {
  text: string;
  spans: readonly GroundedSpan[];
  sources: readonly GroundingSource[];
}

/** A step whose token lies in a copied span: which passage, its sentence and its source. */
export interface StepGrounding {
  passage: number;
  sentence: string;
  source: GroundingSource;
}

/** For each step, where its token was copied from (null: not in a copied span). */
export function stepGrounding(steps: readonly TokenText[], grounding: InspectorGrounding): (StepGrounding | null)[] {
  return stepSpans(steps, grounding.text, grounding.spans).map((i) => {
    const span = i === null ? undefined : grounding.spans[i];
    const source = span && grounding.sources[span.passage];
    return span && source ? { passage: span.passage, sentence: span.sentence, source } : null;
  });
}
