"use client";

import Link from "next/link";
import { useMemo, type ReactNode } from "react";
import ReactMarkdown, { defaultUrlTransform, type Components } from "react-markdown";
import type { Element, ElementContent, Root, RootContent } from "hast";
import { markedPieces } from "@/lib/tutor/client/reply-grounding";

/**
 * A reply's Markdown, rendered safely: raw HTML in the text is dropped (never parsed), only
 * plain formatting elements are allowed (others are unwrapped to their text), and link URLs
 * go through react-markdown's sanitiser (no `javascript:`). Links into the course stay in
 * the app; others open in a new tab without the opener.
 *
 * Given `marks` (character ranges of the source text, sorted and disjoint), the text inside
 * them is wrapped in `<mark>` elements drawn by `renderMark`, so marking works inside
 * paragraphs, lists and emphasis without re-implementing Markdown. Raw HTML is skipped, so
 * every `<mark>` in the output is one of ours.
 */
const ALLOWED = ["p", "br", "strong", "em", "del", "code", "pre", "ul", "ol", "li", "blockquote", "a", "hr", "mark"];

const components: Components = {
  a({ href, children }) {
    if (href?.startsWith("/")) return <Link href={href} className="font-medium text-brand-700 underline underline-offset-2 dark:text-brand-400">{children}</Link>;
    return (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="font-medium text-brand-700 underline underline-offset-2 dark:text-brand-400">
        {children}
      </a>
    );
  },
  p: ({ children }) => <p className="my-2 first:mt-0 last:mb-0">{children}</p>,
  ul: ({ children }) => <ul className="my-2 list-disc pl-5">{children}</ul>,
  ol: ({ children }) => <ol className="my-2 list-decimal pl-5">{children}</ol>,
  code: ({ children }) => <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.9em] dark:bg-slate-800">{children}</code>,
  pre: ({ children }) => <pre className="my-2 overflow-x-auto rounded-lg bg-slate-100 p-3 text-sm dark:bg-slate-800">{children}</pre>,
  blockquote: ({ children }) => <blockquote className="my-2 border-l-4 border-slate-300 pl-3 italic dark:border-slate-700">{children}</blockquote>,
};

// Inside these a mark would be wrong: a link in a link, or a styled piece of code.
const NO_MARKS = new Set(["a", "code", "pre"]);

/**
 * A rehype plugin: split every text node that lies inside a mark at the marks' edges. A text
 * node is only split when its value is exactly its source text (no escapes or entities), so
 * the offsets cannot drift; anything else is left unmarked rather than marked wrongly.
 */
function rehypeMarks(source: string, marks: readonly { start: number; end: number }[]) {
  const split = (children: ElementContent[]): ElementContent[] =>
    children.flatMap((child): ElementContent[] => {
      if (child.type === "element") {
        if (!NO_MARKS.has(child.tagName)) child.children = split(child.children);
        return [child];
      }
      const start = child.position?.start.offset;
      const end = child.position?.end.offset;
      if (child.type !== "text" || start === undefined || end === undefined || source.slice(start, end) !== child.value) return [child];
      return markedPieces(start, end, marks).map((piece): ElementContent => {
        const value = source.slice(piece.start, piece.end);
        if (piece.mark === null) return { type: "text", value };
        const mark: Element = { type: "element", tagName: "mark", properties: { dataMark: piece.mark }, children: [{ type: "text", value }] };
        return mark;
      });
    });
  return () => (tree: Root) => {
    tree.children = split(tree.children as ElementContent[]) as RootContent[];
  };
}

export interface MarkdownProps {
  text: string;
  /** Character ranges of `text` to mark (sorted, disjoint). */
  marks?: readonly { start: number; end: number }[];
  /** Draws the marked text of mark `index`. */
  renderMark?: (index: number, children: ReactNode) => ReactNode;
}

export function Markdown({ text, marks, renderMark }: MarkdownProps) {
  const marking = Boolean(marks?.length && renderMark);
  const plugins = useMemo(() => (marking && marks ? [rehypeMarks(text, marks)] : []), [marking, text, marks]);
  const all = useMemo<Components>(
    () => (marking && renderMark ? { ...components, mark: ({ node, children }) => <>{renderMark(Number(node?.properties.dataMark), children)}</> } : components),
    [marking, renderMark],
  );
  return (
    <ReactMarkdown skipHtml allowedElements={ALLOWED} unwrapDisallowed urlTransform={defaultUrlTransform} components={all} rehypePlugins={plugins}>
      {text}
    </ReactMarkdown>
  );
}
