/**
 * zod schema for the grounding a browser sends back with a reply it generated itself ("in my
 * browser" backend; the reply's trace is checked by lib/llm/trace-schema.ts). Shapes follow
 * ./types.ts; sizes are bounded, and links must stay inside the course (a source's href is
 * rendered as a link).
 *
 * Isomorphic: zod only.
 */
import { z } from "zod";

const int = z.number().int().min(0);
const num = z.number();

/** Links stay inside the course: `/learn/level-1/<lesson>` with an optional `#section`. */
const lessonHref = z.string().regex(/^\/learn\/level-1\/[a-z0-9-]+(#[a-z0-9-]*)?$/, "links must point at a lesson");
const slug = z.string().max(120);

export const groundingSchema = z.object({
  sources: z
    .array(
      z.object({
        lessonSlug: slug,
        lessonTitle: z.string().max(200),
        sectionSlug: slug,
        heading: z.string().max(200),
        href: lessonHref,
        score: num,
        used: z.boolean(),
        excerpt: z.string().max(4000),
      }),
    )
    .max(12),
  suggestions: z.array(z.object({ lessonSlug: slug, title: z.string().max(200), href: lessonHref })).max(6).optional(),
  context: z
    .object({
      used: int,
      limit: int,
      reserved: int,
      parts: z.object({ system: int, passages: int, history: int, question: int }),
      keptTurns: int,
      droppedTurns: int,
      passages: int,
      droppedPassages: int,
      trimmedPassages: int,
      estimated: z.literal(true).optional(),
    })
    .optional(),
  query: z.string().max(2000).optional(),
});
