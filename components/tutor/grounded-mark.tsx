"use client";

import Link from "next/link";
import { useId, type ReactNode } from "react";
import type { GroundedMark as Mark } from "@/lib/tutor/client/reply-grounding";

/**
 * Text of a reply copied from a lesson passage: a link to that passage, drawn with a tint and
 * a dotted underline (so it does not rely on colour), whose tooltip — on hover and on keyboard
 * focus — shows the passage sentence and where it comes from. The tooltip is also the link's
 * accessible description, so a screen reader hears it with the link. Hidden with display:
 * none rather than visibility, so a closed tooltip near the edge never widens a phone's page.
 */
export function GroundedMark({ mark, children }: { mark: Mark; children: ReactNode }) {
  const tip = useId();
  const where = `${mark.source.lessonTitle} § ${mark.source.heading}`;
  return (
    // Below sm the tooltip is placed under the whole reply (the nearest positioned box), full
    // width, so it can never run off a phone's screen; from sm on, under the marked text.
    <span className="group/mark sm:relative">
      <Link
        href={mark.source.href}
        aria-describedby={tip}
        data-testid="grounded-mark"
        data-passage={mark.passage}
        className="rounded-sm bg-teal-100/60 underline decoration-teal-600 decoration-dotted decoration-2 underline-offset-4 [box-decoration-break:clone] hover:bg-teal-100 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-500 dark:bg-teal-400/15 dark:decoration-teal-400 dark:hover:bg-teal-400/25"
      >
        {children}
      </Link>
      <span
        role="tooltip"
        id={tip}
        className="absolute inset-x-0 top-full z-20 mt-1 hidden rounded-lg bg-slate-900 px-3 py-2 text-xs leading-5 font-normal text-white not-italic shadow-lg group-focus-within/mark:block group-hover/mark:block sm:right-auto sm:w-max sm:max-w-[20rem] dark:bg-slate-100 dark:text-slate-900"
      >
        <span className="block font-semibold">Copied from {where}</span>
        <span className="mt-1 block">“{mark.sentence}”</span>
      </span>
    </span>
  );
}
