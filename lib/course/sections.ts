/**
 * Splits a lesson's MDX body into sections at its `##` and `###` headings, each with the
 * anchor the lesson page gives that heading and its text as plain words. The table of
 * contents is built from this, and the tutor's retrieval indexes each section and links to
 * `/learn/level-1/<slug>#<section slug>`.
 *
 * Parsing uses the MDX parser with the lesson renderer's plugins (mdx-options.ts), and
 * anchors use github-slugger exactly as rehype-slug does (one slugger per document, every
 * heading in order), so an anchor here is always an id on the page.
 */
import { createProcessor } from "@mdx-js/mdx";
import GithubSlugger from "github-slugger";
import { remarkPlugins } from "./mdx-options.ts";

export interface LessonSection {
  /** 2 for `##`, 3 for `###`. */
  depth: 2 | 3;
  heading: string;
  /** The heading's anchor id on the lesson page. */
  slug: string;
  /** For a `###` section, the slug of the `##` section it belongs to. */
  parentSlug: string | null;
  /** The section's own text (up to the next heading), as plain text: prose, lists, table
   * cells, maths as TeX in its `$…$` / `$$…$$` delimiters. No demo tags or code. Paragraphs are separated by blank lines. */
  text: string;
  /** Words of prose (paragraphs, lists, quotes) — maths, tables and code left out. */
  wordCount: number;
}

export interface ParsedLessonBody {
  /** Text before the first `##` heading, if any (lessons normally have none). */
  intro: string;
  sections: LessonSection[];
  /** Prose words in the whole body. */
  wordCount: number;
}

/** The few mdast fields we read; the parser's full types are not a dependency of ours. */
interface MdNode {
  type: string;
  value?: string;
  depth?: number;
  children?: MdNode[];
}

const processor = createProcessor({ remarkPlugins });

/** Plain text of inline content, the way rehype-slug sees a heading (maths as its TeX). */
export function inlineText(node: MdNode): string {
  switch (node.type) {
    case "text":
    case "inlineCode":
    case "inlineMath":
      return node.value ?? "";
    case "break":
      return " ";
    case "mdxJsxTextElement":
    case "mdxTextExpression":
      return ""; // demo tags and expressions are not text
    default:
      return (node.children ?? []).map(inlineText).join("");
  }
}

/**
 * Plain text of inline content for a section's body: as inlineText, but maths keeps its
 * dollar signs (`$\theta$`), so the tutor's passages — and the sentences its replies quote
 * from them — still read, and render, as maths rather than raw TeX.
 */
function bodyInlineText(node: MdNode): string {
  if (node.type === "inlineMath") return `$${node.value ?? ""}$`;
  if (node.type === "mdxJsxTextElement" || node.type === "mdxTextExpression") return "";
  if (node.type === "text" || node.type === "inlineCode") return node.value ?? "";
  if (node.type === "break") return " ";
  return (node.children ?? []).map(bodyInlineText).join("");
}

/** Prose words in a string: runs of letters/digits (so "don't" and "1,950" are one word). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’.,-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

/** Inline text without its maths, for counting prose words. */
function proseText(node: MdNode): string {
  if (node.type === "inlineMath" || node.type === "inlineCode") return " ";
  if (node.type === "text") return node.value ?? "";
  return (node.children ?? []).map(proseText).join("");
}

interface BlockText {
  text: string;
  prose: string;
}

/** A block's plain text (for retrieval) and its prose (for the word count). */
function blockText(node: MdNode): BlockText {
  switch (node.type) {
    case "paragraph":
      return { text: bodyInlineText(node), prose: proseText(node) };
    case "math":
      return { text: `$$${node.value ?? ""}$$`, prose: "" };
    case "code":
    case "mdxJsxFlowElement":
    case "mdxFlowExpression":
    case "mdxjsEsm":
    case "thematicBreak":
    case "html":
      return { text: "", prose: "" };
    case "table":
      return {
        text: (node.children ?? []).map((row) => (row.children ?? []).map(inlineText).join(" | ")).join("\n"),
        prose: "",
      };
    case "list":
    case "listItem":
    case "blockquote": {
      const parts = (node.children ?? []).map(blockText);
      const joiner = node.type === "list" ? "\n" : " ";
      return {
        text: parts.map((p) => (node.type === "list" ? `- ${p.text}` : p.text)).join(joiner),
        prose: parts.map((p) => p.prose).join(" "),
      };
    }
    default:
      return { text: bodyInlineText(node), prose: proseText(node) };
  }
}

export function parseLessonBody(body: string): ParsedLessonBody {
  const root = processor.parse(body) as unknown as MdNode;
  const slugger = new GithubSlugger();
  const sections: LessonSection[] = [];
  const intro: BlockText[] = [];
  let blocks: BlockText[] = intro;
  let parentSlug: string | null = null;

  const finish = () => {
    const current = sections.at(-1);
    if (!current || blocks === intro) return;
    current.text = blocks.map((b) => b.text).filter(Boolean).join("\n\n");
    current.wordCount = blocks.reduce((n, b) => n + countWords(b.prose), 0);
  };

  for (const node of root.children ?? []) {
    if (node.type === "heading") {
      const heading = inlineText(node).trim();
      const slug = slugger.slug(heading); // every heading, like rehype-slug, so duplicates agree
      if (node.depth === 2 || node.depth === 3) {
        finish();
        if (node.depth === 2) parentSlug = slug;
        sections.push({ depth: node.depth, heading, slug, parentSlug: node.depth === 3 ? parentSlug : null, text: "", wordCount: 0 });
        blocks = [];
        continue;
      }
    }
    blocks.push(blockText(node));
  }
  finish();

  const introWords = intro.reduce((n, b) => n + countWords(b.prose), 0);
  return {
    intro: intro.map((b) => b.text).filter(Boolean).join("\n\n"),
    sections,
    wordCount: introWords + sections.reduce((n, s) => n + s.wordCount, 0),
  };
}
