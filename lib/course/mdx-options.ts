/**
 * The one Markdown/MDX dialect of the lessons, shared by the renderer (the lesson page)
 * and the section splitter (the table of contents and the tutor's retrieval index), so
 * both read a lesson the same way and agree on every heading's anchor.
 */
import type { CompileOptions } from "@mdx-js/mdx";
import rehypeKatex from "rehype-katex";
import rehypeSlug from "rehype-slug";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";

export const remarkPlugins = [remarkGfm, remarkMath] satisfies CompileOptions["remarkPlugins"];

// Slugs first, from the heading's source text (TeX of inline maths, not KaTeX's rendering),
// which is what sections.ts slugs too.
export const rehypePlugins: NonNullable<CompileOptions["rehypePlugins"]> = [rehypeSlug, [rehypeKatex, { strict: "ignore", throwOnError: false }]];
