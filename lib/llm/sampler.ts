/**
 * The sampler: how one next token is chosen from the model's logits, as small functions
 * applied in a fixed order, each of which the inspector shows as a stage:
 *
 *   raw logits
 *   → repetition penalty          (Hugging Face rule, on every token seen: prompt + reply)
 *   → presence/frequency penalty  (OpenAI rule, on tokens generated so far)
 *   → copy                        (+copyBoost for tokens continuing a run of the reply found in
 *                                  the prompt, lib/llm/copy.ts; off unless asked for)
 *   → quote                       (only tokens that continue, start or end a quotation of the
 *                                  prompt's passage sentences, lib/llm/quote.ts; off unless asked for)
 *   → temperature                 (divide by T; T = 0 or `greedy` ⇒ argmax, no draw)
 *   → top-k → top-p → min-p       (filters: each keeps the most likely tokens)
 *   → renormalise                 (the kept probabilities rescaled to sum to 1)
 *   → draw u ∈ [0, 1) from the seeded PRNG → pick by inverse CDF
 *
 * One ordering runs through all of it: tokens sorted by probability, highest first, ties
 * broken by the lower token id. (Sorting by penalised logit gives the same order — dividing
 * by T > 0 and exp() preserve it — and also orders tokens whose probability underflows to
 * 0, so the code sorts by logit.) Every filter keeps a *prefix* of that order:
 * top-k the first k, top-p the shortest prefix holding mass ≥ p, min-p those at least
 * minP × the top probability. So the kept set after each stage is described by a single
 * count, and the inverse-CDF draw walks the same order: the most likely token owns
 * [0, q₀), the next [q₀, q₀ + q₁), and so on.
 *
 * Performance: called once per generated token over the whole vocabulary (2k tokens for
 * course-lm, 152k for Qwen). The vocabulary is never sorted up front: TokenOrder sorts
 * lazily, only as far as the filters and the draw actually look (usually a few dozen
 * tokens). Per token the cost is a handful of linear passes, two of them calling exp()
 * (the model's own log-probability, and the softmax at temperature T); the working arrays
 * are reused between calls. sampleStep is synchronous and keeps no reference to its
 * scratch buffers after it returns, so sharing them between concurrent decodes is safe.
 *
 * Where each piece lives, one owner each: the order and its partial selection in
 * ./token-order.ts, argmax / log-partition / softmax / entropy in ./distribution.ts, the
 * filters and the draw in ./filters.ts; this file holds the context, the penalties, the copy
 * and quote stages and the whole step, and re-exports the rest so "./sampler" stays the one
 * entry point.
 *
 * Isomorphic: imports the copy and quote stages' bookkeeping (./copy.ts, ./quote.ts), the
 * three files above (no imports beyond each other), types, and isGreedy from ./trace.ts.
 */
import { copyContinuations, type CopySource } from "./copy.ts";
import { argmax, entropyTerm, logSumExp, softmax } from "./distribution.ts";
import { minP, minPThreshold, pickByInverseCdf, prefixEntropy, prefixMass, topK, topP } from "./filters.ts";
import type { Rng } from "./prng.ts";
import { advanceQuote, quoteOptions, type QuoteSource, type QuoteState } from "./quote.ts";
import { TokenOrder, topInto } from "./token-order.ts";
import { isGreedy, type CopyStep, type FilterStage, type KeptCounts, type QuoteStep, type SamplingSettings, type TraceCandidate, type TraceStep } from "./trace.ts";

export { argmax, entropyTerm, logSumExp, softmax } from "./distribution.ts";
export { BOUNDARY_EPSILON, minP, minPThreshold, pickByInverseCdf, prefixEntropy, prefixMass, topK, topP } from "./filters.ts";
export { TokenOrder, topInto } from "./token-order.ts";

/** Any writable array of numbers (Float32Array, Float64Array, number[]). */
export interface MutableNumbers {
  [index: number]: number;
  readonly length: number;
}

// ─── Context: what the penalties look at ────────────────────────────────────────────────

export interface SamplerContext {
  /** Every distinct token id seen so far, prompt and reply (the repetition penalty's set). */
  readonly seen: ReadonlySet<number>;
  /** How many times each token has been generated in this reply (presence/frequency). */
  readonly generatedCounts: ReadonlyMap<number, number>;
  /** The reply so far, in order (the copy stage matches its last tokens). */
  readonly reply: readonly number[];
  /** The prompt, indexed for the copy stage; absent: the stage has nothing to copy from. */
  readonly copy?: CopySource;
  /** The quote stage's sentences and where the reply stands in them; absent: the stage is off. */
  readonly quote?: { readonly source: QuoteSource; readonly state: QuoteState };
}

/** A context that the decode loop updates in place with each new token (O(1) per token). */
export interface MutableSamplerContext extends SamplerContext {
  readonly seen: Set<number>;
  readonly generatedCounts: Map<number, number>;
  readonly reply: number[];
}

export function createSamplerContext(
  promptIds: Iterable<number>,
  generatedIds: Iterable<number> = [],
  copy?: CopySource,
  quote?: { source: QuoteSource; state: QuoteState },
): MutableSamplerContext {
  const ctx: MutableSamplerContext = { seen: new Set(promptIds), generatedCounts: new Map(), reply: [], ...(copy ? { copy } : {}), ...(quote ? { quote } : {}) };
  for (const id of generatedIds) recordGenerated(ctx, id);
  return ctx;
}

/** Add a generated token to the context. */
export function recordGenerated(ctx: MutableSamplerContext, id: number): void {
  ctx.seen.add(id);
  ctx.generatedCounts.set(id, (ctx.generatedCounts.get(id) ?? 0) + 1);
  ctx.reply.push(id);
  if (ctx.quote) advanceQuote(ctx.quote.source, ctx.quote.state, id);
}

// ─── Stage 1: penalties (in place) ──────────────────────────────────────────────────────

/**
 * Repetition penalty, Hugging Face's rule (Keskar et al. 2019, CTRL): for each distinct
 * token already seen — in the prompt or the reply so far — a positive logit is divided by
 * the penalty and a negative one multiplied by it, so either way the token becomes less
 * likely. A token counts once however often it appeared. penalty 1 = no change.
 */
export function applyRepetitionPenalty(logits: MutableNumbers, seen: ReadonlySet<number>, penalty: number): void {
  if (penalty === 1) return;
  for (const id of seen) logits[id] = repetitionPenalized(logits[id], penalty);
}

/** A seen token's logit under the repetition penalty (the rule above, for one token). */
export function repetitionPenalized(logit: number, penalty: number): number {
  return logit > 0 ? logit / penalty : logit * penalty;
}

/**
 * Presence and frequency penalties, OpenAI's rule:
 *   logit[j] − presence · [count_j > 0] − frequency · count_j
 * where count_j is how many times token j was *generated* in this reply. Our choice, as in
 * OpenAI's API: the prompt does not count, so a reply may repeat the question's words
 * freely; the repetition penalty above is the knob that also looks at the prompt.
 * Unlike the repetition penalty this is a subtraction, the same for positive and
 * negative logits, and negative values make repeats *more* likely.
 */
export function applyPresenceFrequencyPenalties(
  logits: MutableNumbers,
  generatedCounts: ReadonlyMap<number, number>,
  presence: number,
  frequency: number,
): void {
  if (presence === 0 && frequency === 0) return;
  for (const [id, count] of generatedCounts) {
    if (count > 0) logits[id] -= presenceFrequencyPenalty(count, presence, frequency);
  }
}

/** What the presence and frequency penalties subtract from a token generated `count` times (0 when never). */
export function presenceFrequencyPenalty(count: number, presence: number, frequency: number): number {
  return count > 0 ? presence + frequency * count : 0;
}

/**
 * The copy stage: +copyBoost on the logit of every token that continues the longest run of
 * the reply's last tokens found in the prompt (lib/llm/copy.ts). A nudge, not a rule: the
 * model still chooses where a quote starts and when it stops, and a strong enough preference
 * for another token still wins. Which tokens it favours (null when the stage is off).
 */
export function copyTargets(context: SamplerContext, boost: number, vocabSize: number): CopyStep | null {
  if (boost === 0 || !context.copy) return null;
  const match = copyContinuations(context.copy, context.reply);
  return { matched: match.matched, boosted: match.next.filter((id) => id < vocabSize) };
}

/**
 * The quote stage: every token that does not continue, start or end a quotation of the
 * prompt's passage sentences (lib/llm/quote.ts) is removed — its logit becomes −∞ — so the
 * model's choice is renormalised over the tokens that keep the reply a quotation. A rule, not
 * a nudge. What it allowed (null when the stage is off or has nothing to quote).
 */
export function quoteStage(context: SamplerContext, on: boolean, vocabSize: number): QuoteStep | null {
  if (!on || !context.quote) return null;
  const options = quoteOptions(context.quote.source, context.quote.state);
  if (!options) return null;
  const allowed = options.allowed.filter((id) => id < vocabSize);
  if (allowed.length === 0) return null;
  return { allowed, canStop: options.canStop, quoting: options.quoting };
}

// ─── The whole step ─────────────────────────────────────────────────────────────────────

/** Numbers of one candidate row: a trace candidate without the token's text (the decode loop adds it). */
export type CandidateScores = Pick<TraceCandidate, "id" | "logit" | "logitAfterPenalty" | "copyBonus" | "probAtTemperature" | "probFinal" | "removedBy" | "rank">;

/** Everything a trace step records about the choice, without token text (the decode loop adds it, and the step's index). */
export type StepSample = Pick<TraceStep, "tokenId" | "logprob" | "rank" | "entropy" | "u" | "kept" | "copy" | "quote"> & {
  candidates: CandidateScores[];
  /** The token was imposed (replay, branch) rather than drawn. */
  forced: boolean;
};

export interface SampleStepOptions {
  /** Impose this token instead of drawing one (replay, branching). The pipeline still runs
   *  and the draw is still taken, so the random stream stays aligned with the step index. */
  forcedTokenId?: number;
  /** How many top-by-raw-logit candidates to report (default 20). */
  candidateCount?: number;
  /**
   * Also report these tokens, wherever they rank (the inspector's "any token" lookup), and give
   * every reported candidate its rank by raw logit. Nothing is stored for the rest of the vocabulary.
   */
  trackTokenIds?: readonly number[];
}

export const DEFAULT_CANDIDATES = 20;

/**
 * Scratch buffers reused across calls (grown to the largest vocabulary seen). All hot loops
 * run over Float64Arrays only: V8 compiles a loop for the array types it has seen, and one
 * type keeps every loop monomorphic (mixing Float32Array and Float64Array made the
 * selection loops ~5× slower).
 */
const scratch = {
  raw: new Float64Array(0), // the model's logits, as float64
  work: new Float64Array(0), // penalised logits
  unmasked: new Float64Array(0), // penalised logits before the quote stage's mask
  allowed: new Uint8Array(0), // the quote stage's allowed tokens (1) this step
  probs: new Float64Array(0), // probabilities at temperature
  order: new TokenOrder(),
  top: new Int32Array(64),
};

/**
 * Run the whole pipeline on one step's logits and choose the next token.
 *
 * `logits` are the model's raw logits for the next position (not modified). `context`
 * holds the tokens seen so far for the penalties. `rng` is consulted exactly once when not
 * greedy (and not at all when greedy). Deterministic: the same inputs and rng state give
 * the same result.
 */
export function sampleStep(
  logits: ArrayLike<number>,
  context: SamplerContext,
  settings: SamplingSettings,
  rng: Rng,
  options: SampleStepOptions = {},
): StepSample {
  const V = logits.length;
  if (V === 0) throw new RangeError("sampleStep: empty logits");
  const forced = options.forcedTokenId;
  if (forced !== undefined && !(Number.isInteger(forced) && forced >= 0 && forced < V)) {
    throw new RangeError(`forced token id ${forced} is not in [0, ${V})`);
  }
  if (scratch.work.length < V) {
    scratch.raw = new Float64Array(V);
    scratch.work = new Float64Array(V);
    scratch.probs = new Float64Array(V);
    scratch.unmasked = new Float64Array(V);
    scratch.allowed = new Uint8Array(V);
  }
  const raw = scratch.raw.subarray(0, V);
  const work = scratch.work.subarray(0, V);
  const probs = scratch.probs.subarray(0, V);

  // Raw logits: copy once (the only read of the caller's array), check them, and get the
  // log-partition for logprob (the model's own distribution: softmax at T = 1, before any
  // penalty). The maximum comes with the copy, so the log-partition need not look for it.
  let rawMax = -Infinity;
  for (let i = 0; i < V; i++) {
    const x = logits[i];
    if (x !== x || x === Infinity) throw new RangeError(`the model produced a non-finite logit (${x}) for token ${i}`);
    raw[i] = x;
    if (x > rawMax) rawMax = x;
  }
  const rawLogZ = logSumExp(raw, 1, rawMax);
  if (rawLogZ === -Infinity) throw new RangeError("the model gave every token a logit of −Infinity");

  // Stage 1: penalties, on a copy.
  work.set(raw);
  applyRepetitionPenalty(work, context.seen, settings.repetitionPenalty);
  applyPresenceFrequencyPenalties(work, context.generatedCounts, settings.presencePenalty, settings.frequencyPenalty);
  // Stage 1b: copy, after the penalties. The candidates report the penalised logit and the
  // bonus apart, so the penalised value is kept as it was before the addition.
  const copy = copyTargets(context, settings.copyBoost ?? 0, V);
  const beforeCopy = copy && copy.boosted.length > 0 ? new Map<number, number>() : null;
  for (const id of copy?.boosted ?? []) {
    beforeCopy!.set(id, work[id]);
    work[id] += settings.copyBoost;
  }
  // Stage 1c: quote. Removed tokens become −∞ here; the candidates report the value they had.
  const quote = quoteStage(context, settings.quote ?? false, V);
  const allowed = scratch.allowed.subarray(0, V);
  const masked = (id: number) => quote !== null && allowed[id] === 0;
  if (quote) {
    scratch.unmasked.subarray(0, V).set(work);
    allowed.fill(0);
    for (const id of quote.allowed) allowed[id] = 1;
    for (let i = 0; i < V; i++) if (allowed[i] === 0) work[i] = -Infinity;
  }
  // Tokens still in play, and the maximum (for argmax or the softmax) in the same pass.
  let afterPenalties = 0;
  let workMax = -Infinity;
  for (let i = 0; i < V; i++) {
    const x = work[i];
    if (x > -Infinity) afterPenalties++;
    if (x > workMax) workMax = x;
  }

  const greedy = isGreedy(settings);
  const order = scratch.order.reset(work, V);
  let tokenId: number;
  let u: number | null = null;
  let kept: KeptCounts;
  let entropy: number;
  let probAt: (id: number) => number;
  let probFinal: (id: number) => number;
  let removedBy: (id: number) => FilterStage | undefined;

  if (greedy) {
    // T → 0: softmax(x / T) tends to all the mass on the argmax; ties go to the lowest id,
    // which is the order's first token. Nothing to filter, nothing to draw.
    const top = argmax(work, workMax);
    tokenId = forced ?? top;
    kept = { afterPenalties, afterTopK: 1, afterTopP: 1, afterMinP: 1 };
    entropy = 0;
    probAt = probFinal = (id) => (id === top ? 1 : 0);
    removedBy = (id) => (masked(id) ? "quote" : id === top ? undefined : "greedy");
  } else {
    // Stage 2: temperature. probs = softmax(work / T) over the whole vocabulary, stable:
    // exp((x − max) / T) ≤ 1, so nothing overflows however small T is.
    softmax(work, settings.temperature, probs, workMax);
    // Stage 3: filters, each a prefix of the order.
    const afterTopK = topK(afterPenalties, settings.topK);
    const afterTopP = topP(order, probs, afterTopK, settings.topP);
    const afterMinP = minP(order, probs, afterTopP, settings.minP);
    kept = { afterPenalties, afterTopK, afterTopP, afterMinP };
    // Which tokens survived: the first afterTopP of the order (already sorted by top-k /
    // top-p when that is fewer than all), and with min-p on, only those ≥ its threshold.
    // Testing the threshold directly avoids sorting a possibly long min-p prefix.
    const threshold = settings.minP > 0 ? minPThreshold(probs[order.at(0)], settings.minP) : 0;
    removedBy = (id) =>
      masked(id)
        ? "quote"
        : !order.inPrefix(id, afterTopK)
        ? "topK"
        : !order.inPrefix(id, afterTopP)
          ? "topP"
          : probs[id] < threshold
            ? "minP"
            : undefined;
    // Renormalise over the survivors, then draw. The draw is taken even when the token is
    // forced, so that step i always uses the i-th draw of the seed's stream.
    let mass: number;
    if (afterMinP >= V || afterMinP <= order.sortedCount) {
      mass = prefixMass(order, probs, afterMinP);
      entropy = prefixEntropy(order, probs, afterMinP, mass);
    } else {
      // A long min-p prefix that was never sorted: one scan with the membership test.
      mass = 0;
      for (let i = 0; i < V; i++) if (removedBy(i) === undefined) mass += probs[i];
      entropy = 0;
      for (let i = 0; i < V; i++) {
        const p = probs[i];
        if (p > 0 && removedBy(i) === undefined) entropy += entropyTerm(p, mass);
      }
    }
    u = rng.next();
    tokenId = forced ?? pickByInverseCdf(order, probs, afterMinP, mass, u);
    probAt = (id) => probs[id];
    probFinal = (id) => (removedBy(id) === undefined ? probs[id] / mass : 0);
  }
  if (forced !== undefined) u = null;

  // Candidates: the top N by raw logit (ties: lower id), plus the chosen token.
  const n = options.candidateCount ?? DEFAULT_CANDIDATES;
  if (scratch.top.length < n) scratch.top = new Int32Array(n);
  const count = topInto(raw, V, n, scratch.top);
  const ids = Array.from(scratch.top.subarray(0, count));
  if (!ids.includes(tokenId)) ids.push(tokenId);
  const tracked = options.trackTokenIds ?? [];
  for (const id of tracked) if (Number.isInteger(id) && id >= 0 && id < V && !ids.includes(id)) ids.push(id);
  const rankOf = (id: number) => {
    let r = 0;
    for (let i = 0; i < V; i++) if (raw[i] > raw[id] || (raw[i] === raw[id] && i < id)) r++;
    return r;
  };
  const candidates = ids.map((id): CandidateScores => {
    const penalised = beforeCopy?.get(id);
    const c: CandidateScores = {
      id,
      logit: raw[id],
      logitAfterPenalty: penalised ?? (masked(id) ? scratch.unmasked[id] : work[id]),
      ...(penalised !== undefined ? { copyBonus: settings.copyBoost } : {}),
      probAtTemperature: probAt(id),
      probFinal: probFinal(id),
    };
    const r = removedBy(id);
    if (r) c.removedBy = r;
    if (tracked.length > 0) c.rank = rankOf(id);
    return c;
  });

  // Rank by raw logit: how many tokens come before the chosen one in the raw order.
  const chosenLogit = raw[tokenId];
  let rank = 0;
  for (let i = 0; i < V; i++) {
    const x = raw[i];
    if (x > chosenLogit || (x === chosenLogit && i < tokenId)) rank++;
  }

  return {
    tokenId,
    logprob: chosenLogit - rawLogZ,
    rank,
    entropy,
    u,
    kept,
    candidates,
    forced: forced !== undefined,
    ...(copy ? { copy } : {}),
    ...(quote ? { quote } : {}),
  };
}
