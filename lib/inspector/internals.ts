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
import { withStreamedSteps, type TokenText, type Trace, type TraceStep, type TraceToken } from "../llm/trace.ts";
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

/**
 * The POST /api/generate body that recomputes `trace` exactly — its own prompt ids, its tokens
 * forced, its settings — with internals recorded and/or tokens tracked at every step.
 */
export function replayBody(
  trace: Pick<Trace, "model" | "prompt" | "steps" | "settings">,
  extra: { internals?: true; trackTokens?: readonly number[] } = {},
): Record<string, unknown> {
  return {
    promptIds: trace.prompt.tokens.map((t) => t.id),
    model: trace.model.id,
    settings: { ...trace.settings, maxNewTokens: Math.max(1, trace.steps.length) },
    forcedTokens: trace.steps.map((s) => s.tokenId),
    ...(extra.internals ? { internals: true } : {}),
    ...(extra.trackTokens ? { trackTokens: [...extra.trackTokens] } : {}),
  };
}

/** Replay `trace` on the server (the server says why when it cannot: 4xx/5xx JSON). */
export async function replayTrace(trace: Trace, extra: Parameters<typeof replayBody>[1], signal?: AbortSignal): Promise<Trace> {
  const response = await fetch("/api/generate", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(replayBody(trace, extra)),
    signal,
  });
  if (!response.ok || !response.body) throw new Error((await readApiError(response)).message);
  for await (const event of withStreamedSteps(ndjson<{ type: string; trace?: Trace; error?: string }>(response.body))) {
    if (event.type === "done" && event.trace) return event.trace;
    if (event.type === "error") throw new Error(event.error ?? "the replay failed");
  }
  throw new Error("the replay ended without a trace");
}

/** `trace` recomputed with each step's attention and logit lens. */
export const fetchInternals = (trace: Trace, signal?: AbortSignal) => replayTrace(trace, { internals: true }, signal);

/** `trace` recomputed with `tokenId` reported at every step, with its rank (the "any token" lookup). */
export const fetchTracked = (trace: Trace, tokenId: number, signal?: AbortSignal) => replayTrace(trace, { trackTokens: [tokenId] }, signal);

/** A token's fate at every step of a reply recomputed with it tracked: raw probability, rank, after temperature, final. */
export interface TokenFate {
  step: number;
  /** The reply token chosen at that step. */
  chosen: TokenText;
  /** softmax of the raw logits at T = 1 (the model's own distribution). */
  probModel: number;
  rank: number;
  probAtTemperature: number;
  probFinal: number;
  removedBy?: string;
}

/** Read a tracked token's row at every step (logZ from the chosen token: logprob = logit − logZ). */
export function tokenFates(trace: Pick<Trace, "steps">, tokenId: number): TokenFate[] {
  return trace.steps.flatMap((step) => {
    const c = step.candidates.find((x) => x.id === tokenId);
    const chosen = step.candidates.find((x) => x.id === step.tokenId);
    if (!c || c.rank === undefined || !chosen) return [];
    const logZ = chosen.logit - step.logprob;
    return [{ step: step.index, chosen: step, probModel: Math.exp(c.logit - logZ), rank: c.rank, probAtTemperature: c.probAtTemperature, probFinal: c.probFinal, ...(c.removedBy ? { removedBy: c.removedBy } : {}) }];
  });
}

/** The tokens course-lm's tokenizer makes of `text` (POST /api/tokenize). */
export async function tokenizeForModel(text: string, signal?: AbortSignal): Promise<{ id: number; text: string }[]> {
  const response = await fetch("/api/tokenize", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ text, tokenizers: ["course-lm"] }),
    signal,
  });
  if (!response.ok) throw new Error((await readApiError(response)).message);
  const { results } = (await response.json()) as { results: ({ ok: true; tokens: { id: number; text: string }[] } | { ok: false; error: string })[] };
  const first = results[0];
  if (!first) throw new Error("the tokenizer gave no answer");
  if (!first.ok) throw new Error(first.error);
  return first.tokens;
}
