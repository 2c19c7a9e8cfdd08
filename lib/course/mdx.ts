import "server-only";
/**
 * Compiles a lesson's MDX (with the shared plugins: GFM tables, KaTeX maths, heading
 * anchors) and evaluates it into a React component, on the server only. Each lesson is
 * compiled once per process; the browser receives plain HTML.
 */
import { compile, run } from "@mdx-js/mdx";
import type { MDXContent } from "mdx/types";
import { isDevelopment } from "../env/client.ts";
import * as runtime from "react/jsx-runtime";
import type { Lesson } from "./lessons.ts";
import { rehypePlugins, remarkPlugins } from "./mdx-options.ts";

const compiled = new Map<string, Promise<MDXContent>>();

async function build(body: string): Promise<MDXContent> {
  const code = await compile(body, {
    outputFormat: "function-body",
    remarkPlugins,
    rehypePlugins,
    development: false,
  });
  const { default: Content } = await run(String(code), { ...runtime, baseUrl: import.meta.url });
  return Content;
}

/** The lesson body as a component; pass `components` (Demo, headings…) when rendering it. */
export function lessonContent(lesson: Lesson): Promise<MDXContent> {
  if (isDevelopment()) return build(lesson.body);
  let content = compiled.get(lesson.slug);
  if (!content) {
    content = build(lesson.body);
    compiled.set(lesson.slug, content);
    content.catch(() => compiled.delete(lesson.slug)); // don't cache a failure
  }
  return content;
}
