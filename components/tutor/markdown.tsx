"use client";

import Link from "next/link";
import ReactMarkdown, { defaultUrlTransform, type Components } from "react-markdown";

/**
 * A reply's Markdown, rendered safely: raw HTML in the text is dropped (never parsed), only
 * plain formatting elements are allowed (others are unwrapped to their text), and link URLs
 * go through react-markdown's sanitiser (no `javascript:`). Links into the course stay in
 * the app; others open in a new tab without the opener.
 */
const ALLOWED = ["p", "br", "strong", "em", "del", "code", "pre", "ul", "ol", "li", "blockquote", "a", "hr"];

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

export function Markdown({ text }: { text: string }) {
  return (
    <ReactMarkdown skipHtml allowedElements={ALLOWED} unwrapDisallowed urlTransform={defaultUrlTransform} components={components}>
      {text}
    </ReactMarkdown>
  );
}
