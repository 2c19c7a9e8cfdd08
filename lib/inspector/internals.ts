/**
 * What the inspector's "Inside the model" section shows, from a trace recorded with internals
 * (lib/llm/internals.ts): one step's attention, averaged over layers and/or heads, how much of
 * it fell on each retrieved passage of a tutor prompt, and the logit lens as a layers × steps
 * grid. Also how the section gets such a trace: by replaying the reply on the server with its
 * own prompt tokens and tokens forced, internals on (the same reply, recomputed).
 *
 * Pure functions, plus one fetch (fetchInternals). Browser code.
 */
import { readApiError } from "../http/client-errors.ts";
import type { LensEntry } from "../llm/internals.ts";
import type { TokenText, Trace, TraceStep, TraceToken } from "../llm/trace.ts";
import { ndjson } from "../tutor/client/api.ts";

/** A layer or head index, or the mean over all of them. */
export type IndexOrMean = number | "mean";

/**
 * Step `step`'s attention over the positions it can see, for one layer and head, or averaged
 * (a mean of rows that each sum to 1 still sums to 1). [] when the step has no internals.
 */
export function attentionRow(step: Pick<TraceStep, "attention">, layer: IndexOrMean, head: IndexOrMean): number[] {
  const attention = step.attention;
  if (!attention || attention.length === 0) return [];
  const layers = layer === "mean" ? attention : [attention[layer]!];
  const rows = layers.flatMap((heads) => (head === "mean" ? heads : [heads[head]!]));
  const width = rows[0]!.length;
  const out = new Array<number>(width).fill(0);
  for (const row of rows) for (let j = 0; j < width; j++) out[j]! += row[j]! / rows.length;
  return out;
}

/** The tokens a step's position can see: the prompt, then the reply's tokens before it. */
export function visibleTokens(trace: Pick<Trace, "prompt" | "steps">, stepIndex: number): TokenText[] {
  return [...trace.prompt.tokens, ...trace.steps.slice(0, stepIndex)];
}

/** A retrieved passage in a tutor prompt: the token span of one `<|context|>` turn and its source label. */
export interface PassageSpan {
  /** First token after `<|context|>`. */
  start: number;
  /** The `<|end|>` that closes it (exclusive). */
  end: number;
  label: string;
}

/** The `<|context|>` turns of a course-lm prompt, in order ([] for prompts without them). */
export function passageSpans(tokens: readonly Pick<TraceToken, "text">[]): PassageSpan[] {
  const spans: PassageSpan[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.text !== "<|context|>") continue;
    let end = i + 1;
    while (end < tokens.length && tokens[end]!.text !== "<|end|>") end++;
    const text = tokens.slice(i + 1, end).map((t) => t.text).join("");
    spans.push({ start: i + 1, end, label: text.match(/^\s*\[([^\]]*)\]/)?.[1] ?? text.slice(0, 40) });
    i = end;
  }
  return spans;
}

/** The share of an attention row that falls on each passage span, in prompt order. */
export function attentionByPassage(row: readonly number[], spans: readonly PassageSpan[]): { span: PassageSpan; share: number }[] {
  return spans.map((span) => ({ span, share: row.slice(span.start, Math.min(span.end, row.length)).reduce((a, b) => a + b, 0) }));
}

/** The positions with the most attention, most first (ties: earlier first). */
export function topAttended(row: readonly number[], n: number): { position: number; weight: number }[] {
  return row
    .map((weight, position) => ({ position, weight }))
    .sort((a, b) => b.weight - a.weight || a.position - b.position)
    .slice(0, n);
}

/** The logit lens as rows of layers (first layer first), each a step's top entry (null where a step has none). */
export function lensGrid(steps: readonly Pick<TraceStep, "logitLens">[]): (LensEntry | null)[][] {
  const layers = Math.max(0, ...steps.map((s) => s.logitLens?.length ?? 0));
  return Array.from({ length: layers }, (_, layer) => steps.map((s) => s.logitLens?.[layer]?.[0] ?? null));
}

/** The POST /api/generate body that recomputes `trace` with internals: its own prompt ids, its tokens forced, its settings. */
export function internalsReplayBody(trace: Pick<Trace, "model" | "prompt" | "steps" | "settings">): Record<string, unknown> {
  return {
    promptIds: trace.prompt.tokens.map((t) => t.id),
    model: trace.model.id,
    settings: { ...trace.settings, maxNewTokens: Math.max(1, trace.steps.length) },
    forcedTokens: trace.steps.map((s) => s.tokenId),
    internals: true,
  };
}

/** Replay `trace` on the server with internals (the server says why when it cannot: 4xx/5xx JSON). */
export async function fetchInternals(trace: Trace, signal?: AbortSignal): Promise<Trace> {
  const response = await fetch("/api/generate", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(internalsReplayBody(trace)),
    signal,
  });
  if (!response.ok || !response.body) throw new Error((await readApiError(response)).message);
  for await (const event of ndjson<{ type: string; trace?: Trace; error?: string }>(response.body)) {
    if (event.type === "done" && event.trace) return event.trace;
    if (event.type === "error") throw new Error(event.error ?? "the replay failed");
  }
  throw new Error("the replay ended without a trace");
}
