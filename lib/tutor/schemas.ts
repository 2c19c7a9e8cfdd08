/**
 * zod schemas for what a browser sends back to be saved: a reply it generated itself ("in my
 * browser" backend) with its trace and grounding. Shapes follow lib/llm/trace.ts and
 * ./types.ts; sizes are bounded, and links must stay inside the course (a source's href is
 * rendered as a link).
 *
 * Isomorphic: zod only.
 */
import { z } from "zod";
import { GenerationSettingsSchema, MAX_NEW_TOKENS } from "../llm/trace.ts";

const int = z.number().int().min(0);
const num = z.number();
/** JSON has no ±Infinity: JSON.stringify writes null for a masked logit. */
const logit = z.number().nullable();

const tokenText = {
  text: z.string().max(256),
  bytes: z.array(z.number().int().min(0).max(255)).max(16).optional(),
  special: z.literal(true).optional(),
};

const candidate = z.object({
  id: int,
  ...tokenText,
  logit,
  logitAfterPenalty: logit,
  copyBonus: num.optional(),
  probAtTemperature: num,
  probFinal: num,
  removedBy: z.enum(["quote", "greedy", "topK", "topP", "minP"]).optional(),
});

const step = z.object({
  index: int,
  tokenId: int,
  ...tokenText,
  logprob: logit,
  rank: int,
  entropy: num,
  u: num.nullable(),
  kept: z.object({ afterPenalties: int, afterTopK: int, afterTopP: int, afterMinP: int }),
  candidates: z.array(candidate).max(64),
  forced: z.literal(true).optional(),
  copy: z.object({ matched: int, boosted: z.array(int).max(256) }).optional(),
  // At a sentence boundary the quote stage allows the first token of every passage sentence.
  quote: z.object({ allowed: z.array(int).max(1024), canStop: z.boolean(), quoting: int }).optional(),
});

export const traceSchema = z.object({
  version: z.literal(1),
  model: z.object({
    id: z.string().min(1).max(200),
    revision: z.string().max(200),
    dtype: z.string().max(32),
    backend: z.enum(["node", "webgpu", "wasm"]),
  }),
  settings: GenerationSettingsSchema,
  prompt: z.object({ text: z.string().max(256 * 1024), tokens: z.array(z.object({ id: int, ...tokenText })).max(32768) }),
  steps: z.array(step).max(MAX_NEW_TOKENS),
  reply: z.object({ text: z.string().max(64 * 1024) }),
  timings: z.object({ prefillMs: num, ttftMs: num, tokensPerSecond: num.nullable(), totalMs: num }),
  finishReason: z.enum(["eos", "length", "stop", "aborted", "context"]),
  stopString: z.string().max(100).optional(),
  vocabSize: int,
  contextLength: int,
});

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
