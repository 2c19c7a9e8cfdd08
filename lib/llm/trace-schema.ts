/**
 * The runtime check of a Trace (lib/llm/trace.ts) that arrives from outside: a reply generated
 * in the browser and sent back to be saved. Beside the type it checks, with a compile-time test
 * that both name the same fields (a field added to one and not the other fails the build).
 * Sizes are bounded by the same constants the sampler and the decode loop use.
 *
 * Isomorphic: zod only.
 */
import { z } from "zod";
import { LENS_TOP } from "./internals.ts";
import { GenerationSettingsSchema } from "./settings.ts";
import { FILTER_STAGES, MAX_CANDIDATES, MAX_NEW_TOKENS, MAX_TRACKED_TOKENS, type Trace, type TraceCandidate, type TraceStep } from "./trace.ts";

const int = z.number().int().min(0);
const num = z.number();
/** JSON has no ±Infinity: JSON.stringify writes null for a logit of −∞. */
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
  removedBy: z.enum(FILTER_STAGES).optional(),
  rank: int.optional(),
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
  // The top candidateCount by raw logit, plus the chosen token and any tracked tokens not among them.
  candidates: z.array(candidate).max(MAX_CANDIDATES + 1 + MAX_TRACKED_TOKENS),
  forced: z.literal(true).optional(),
  copy: z.object({ matched: int, boosted: z.array(int).max(256) }).optional(),
  // At a sentence boundary the quote stage allows the first token of every passage sentence.
  quote: z.object({ allowed: z.array(int).max(1024), canStop: z.boolean(), quoting: int }).optional(),
  // Internals (lib/llm/internals.ts): [layer][head][position], positions up to the longest context.
  attention: z.array(z.array(z.array(num).max(32768)).max(128)).max(128).optional(),
  logitLens: z.array(z.array(z.object({ id: int, text: z.string().max(256), prob: num })).max(LENS_TOP)).max(128).optional(),
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


// ─── Compile-time: the schema and the type name the same fields ─────────────────────────

type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : { onlyInFirst: Exclude<keyof A, keyof B>; onlyInSecond: Exclude<keyof B, keyof A> };
const sameKeys = <A, B>(check: SameKeys<A, B>) => check;
sameKeys<z.output<typeof traceSchema>, Trace>(true);
sameKeys<z.output<typeof step>, TraceStep>(true);
sameKeys<z.output<typeof candidate>, TraceCandidate>(true);
