/**
 * View model of one decoding step: the candidates table and chart, the penalties' effect,
 * the sampling pipeline stage by stage, and the layout of the random draw.
 *
 * Everything is derived from the trace; nothing is recomputed from the model. What a trace
 * records (lib/llm/trace.ts): per step the top candidates by raw logit (plus the chosen
 * token), the kept counts after each filter, the final entropy and the draw u. From those:
 *
 * - the model's own probability of any recorded candidate is exact: the step's logprob is
 *   logit(chosen) − log Z, so log Z = logit(chosen) − logprob and p = exp(logit − log Z);
 * - the renormalising constant is exact: for any kept candidate, probFinal = probAtTemperature / mass;
 * - a filter stage's kept mass and entropy are exact when every token it kept was recorded
 *   (or when it kept the same tokens as the final distribution); otherwise they are null and
 *   the UI says "not recorded" rather than showing a partial sum as if it were the whole.
 *
 * Isomorphic, no React.
 */
import { isGreedy, type FilterStage, type GenerationSettings, type Trace, type TraceCandidate, type TraceStep } from "@/lib/llm/trace";
import { formatCount, formatDelta, formatLogit, formatProb } from "./format";
import { visibleText } from "./token-display";

// ─── Candidates ─────────────────────────────────────────────────────────────────────────

export interface CandidateRow {
  candidate: TraceCandidate;
  id: number;
  /** Rank by raw logit (0 = the model's top choice). */
  rank: number;
  logit: number;
  logitAfterPenalty: number;
  /** logitAfterPenalty − logit (0 when no penalty touched it). */
  penaltyDelta: number;
  /** softmax(raw logits) at T = 1: the model's own probability. */
  probModel: number;
  probAtTemperature: number;
  probFinal: number;
  removedBy?: FilterStage;
  chosen: boolean;
  /** Survived every filter (probFinal > 0, or the argmax when greedy). */
  kept: boolean;
}

/** log Z of the raw logits, recovered from the chosen token: logit(chosen) − logprob. */
export function rawLogPartition(step: Pick<TraceStep, "tokenId" | "logprob" | "candidates">): number {
  const chosen = step.candidates.find((c) => c.id === step.tokenId);
  if (!chosen) throw new Error(`step's candidates do not include the chosen token ${step.tokenId}`);
  return chosen.logit - step.logprob;
}

/** Is the chosen token appended after the top-N list (it was not among the top N by raw logit)? */
function appendedChosenIndex(step: Pick<TraceStep, "tokenId" | "rank" | "candidates">): number {
  const i = step.candidates.findIndex((c) => c.id === step.tokenId);
  // In the top-N list the candidates are sorted by raw logit with the same tie rule as the
  // rank, so the chosen token sits at index = rank. Appended, it sits at N ≤ rank.
  return i >= 0 && i !== step.rank ? i : -1;
}

/** Every recorded candidate of a step, in recorded order (by raw logit; an appended chosen token last). */
export function candidateRows(step: TraceStep): CandidateRow[] {
  const logZ = rawLogPartition(step);
  const appended = appendedChosenIndex(step);
  return step.candidates.map((c, i) => ({
    candidate: c,
    id: c.id,
    rank: i === appended ? step.rank : i,
    logit: c.logit,
    logitAfterPenalty: c.logitAfterPenalty,
    penaltyDelta: c.logitAfterPenalty - c.logit,
    probModel: Math.exp(c.logit - logZ),
    probAtTemperature: c.probAtTemperature,
    probFinal: c.probFinal,
    ...(c.removedBy ? { removedBy: c.removedBy } : {}),
    chosen: c.id === step.tokenId,
    kept: c.removedBy === undefined,
  }));
}

/** The rows for the chart: the first `limit` by raw logit, plus the chosen token if it is further down. */
export function chartRows(rows: readonly CandidateRow[], limit: number): CandidateRow[] {
  const top = rows.slice(0, limit);
  const chosen = rows.find((r) => r.chosen);
  if (chosen && !top.includes(chosen)) top.push(chosen);
  return top;
}

// ─── Penalties ──────────────────────────────────────────────────────────────────────────

export interface PenaltyChange {
  row: CandidateRow;
  /** The token appeared in the prompt or earlier in the reply (the repetition penalty's set). */
  seen: boolean;
  /** Times generated in this reply before this step (the presence/frequency penalties' count). */
  count: number;
  /** Change from the repetition penalty (divide a positive logit, multiply a negative one). */
  repetition: number;
  /** Change from the presence penalty (−presence once the token was generated). */
  presence: number;
  /** Change from the frequency penalty (−frequency × count). */
  frequency: number;
  /** The three parts reproduce the recorded logitAfterPenalty (else only the total is trustworthy). */
  attributed: boolean;
}

export interface PenaltyBreakdown {
  repetitionPenalty: number;
  presencePenalty: number;
  frequencyPenalty: number;
  /** Any of the three is on. */
  active: boolean;
  /** Recorded candidates whose logit changed, most changed first. */
  changes: PenaltyChange[];
}

/**
 * Which recorded candidates the penalties changed at `stepIndex`, and by which rule. The
 * context the sampler saw is rebuilt from the trace: the prompt's tokens and the reply's
 * tokens before this step (the repetition penalty's "seen" set), and how often each was
 * generated (presence/frequency). The parts are computed with the sampler's own formulas;
 * `attributed` says whether they add up to the recorded value.
 */
export function penaltyBreakdown(trace: Pick<Trace, "prompt" | "steps" | "settings">, stepIndex: number): PenaltyBreakdown {
  const { repetitionPenalty, presencePenalty, frequencyPenalty } = trace.settings;
  const step = trace.steps[stepIndex];
  const seen = new Set(trace.prompt.tokens.map((t) => t.id));
  const counts = new Map<number, number>();
  for (let i = 0; i < stepIndex; i++) {
    const id = trace.steps[i].tokenId;
    seen.add(id);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const changes: PenaltyChange[] = [];
  for (const row of candidateRows(step)) {
    if (row.logitAfterPenalty === row.logit) continue;
    const x = row.logit;
    const isSeen = seen.has(row.id);
    const count = counts.get(row.id) ?? 0;
    const afterRep = isSeen && repetitionPenalty !== 1 ? (x > 0 ? x / repetitionPenalty : x * repetitionPenalty) : x;
    const expected = count > 0 ? afterRep - (presencePenalty + frequencyPenalty * count) : afterRep;
    changes.push({
      row,
      seen: isSeen,
      count,
      repetition: afterRep - x,
      presence: count > 0 ? -presencePenalty : 0,
      frequency: -frequencyPenalty * count,
      attributed: Math.abs(expected - row.logitAfterPenalty) <= 1e-6 * Math.max(1, Math.abs(x)),
    });
  }
  changes.sort((a, b) => Math.abs(b.row.penaltyDelta) - Math.abs(a.row.penaltyDelta) || a.row.rank - b.row.rank);
  return {
    repetitionPenalty,
    presencePenalty,
    frequencyPenalty,
    active: repetitionPenalty !== 1 || presencePenalty !== 0 || frequencyPenalty !== 0,
    changes,
  };
}

// ─── The pipeline, stage by stage ───────────────────────────────────────────────────────

export type StageId = "raw" | "penalties" | "copy" | "quote" | "temperature" | "topK" | "topP" | "minP" | "renormalise" | "draw" | "chosen";

export interface PipelineStage {
  id: StageId;
  title: string;
  /** The setting that drives the stage: "T = 0.9", "k = 40", "off". */
  setting: string;
  /** The stage changed something (a filter removed tokens, a penalty changed a logit, …). */
  active: boolean;
  /** Tokens still in play after the stage. */
  survivors: number;
  /** Tokens this stage removed. */
  removed: number;
  /** Probability (at temperature) held by the survivors; null when not recorded. */
  mass: number | null;
  /** Entropy in nats of the survivors' distribution, renormalised; null when not recorded. */
  entropy: number | null;
  /** What happened at this stage, in a sentence. */
  note: string;
}

/** Σ and entropy of the renormalised set, from probabilities at temperature. */
function massAndEntropy(probs: readonly number[]): { mass: number; entropy: number } {
  let mass = 0;
  for (const p of probs) mass += p;
  let entropy = 0;
  for (const p of probs) {
    if (p > 0) {
      const q = p / mass;
      entropy -= q * Math.log(q);
    }
  }
  return { mass, entropy };
}

/** The renormalising constant: the at-temperature mass of everything kept (1 when greedy). */
export function keptMass(step: TraceStep): number {
  let best: TraceCandidate | undefined;
  for (const c of step.candidates) if (c.removedBy === undefined && c.probFinal > 0 && (!best || c.probFinal > best.probFinal)) best = c;
  return best && best.probAtTemperature > 0 ? best.probAtTemperature / best.probFinal : 1;
}

// The quote stage removes tokens before temperature and the filters: a token it removed survived none of them.
const STAGE_RANK: Record<FilterStage, number> = { quote: -1, greedy: 0, topK: 1, topP: 2, minP: 3 };

/** The recorded candidates that survived up to and including `stage`. */
function survivorsOf(step: TraceStep, stage: "topK" | "topP" | "minP"): TraceCandidate[] {
  return step.candidates.filter((c) => c.removedBy === undefined || STAGE_RANK[c.removedBy] > STAGE_RANK[stage]);
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The sampling pipeline of one step, in the order the sampler applies it (lib/llm/sampler.ts):
 * raw logits → penalties → (copy, when on) → (quote, when on) → temperature → top-k → top-p → min-p → renormalise
 * → draw → chosen.
 */
export function pipelineStages(trace: Pick<Trace, "prompt" | "steps" | "settings" | "vocabSize">, stepIndex: number): PipelineStage[] {
  const step = trace.steps[stepIndex];
  const s = trace.settings;
  const V = trace.vocabSize;
  const greedy = isGreedy(s);
  const rows = candidateRows(step);
  const appended = appendedChosenIndex(step);
  const topRows = rows.filter((_, i) => i !== appended);
  const topModelMass = topRows.reduce((sum, r) => sum + r.probModel, 0);
  const chosen = rows.find((r) => r.chosen)!;
  const pen = penaltyBreakdown(trace, stepIndex);
  const { afterPenalties, afterTopK, afterTopP, afterMinP } = step.kept;
  // With the quote stage on, the sampler's "after penalties" count is taken after its removals.
  const beforeQuote = step.quote ? V : afterPenalties;
  // Nothing filtered: the kept mass is 1 exactly (the recorded ratio would carry rounding).
  const finalMass = afterMinP >= afterPenalties ? 1 : keptMass(step);
  const stages: PipelineStage[] = [];

  stages.push({
    id: "raw",
    title: "Raw logits",
    setting: `${formatCount(V)} tokens`,
    active: true,
    survivors: V,
    removed: 0,
    mass: 1,
    entropy: null,
    note: `The model scores every token in its vocabulary. The top ${topRows.length} recorded here hold ${formatProb(topModelMass)} of its probability (softmax at T = 1).`,
  });

  const penaltySetting = pen.active
    ? [
        pen.repetitionPenalty !== 1 ? `repetition ÷${pen.repetitionPenalty}` : null,
        pen.presencePenalty !== 0 ? `presence ${pen.presencePenalty}` : null,
        pen.frequencyPenalty !== 0 ? `frequency ${pen.frequencyPenalty}` : null,
      ]
        .filter(Boolean)
        .join(" · ")
    : "off";
  stages.push({
    id: "penalties",
    title: "Penalties",
    setting: penaltySetting,
    active: pen.changes.length > 0 || beforeQuote < V,
    survivors: beforeQuote,
    removed: V - beforeQuote,
    mass: null,
    entropy: null,
    note: !pen.active
      ? "No repetition, presence or frequency penalty: the logits pass through unchanged."
      : pen.changes.length === 0
        ? "The penalties are on, but none of the recorded candidates has appeared before, so their logits are unchanged."
        : `${plural(pen.changes.length, "recorded candidate")} lost or gained logit because ${pen.changes.length === 1 ? "it" : "they"} appeared before; the largest change is ${formatDelta(pen.changes[0].row.penaltyDelta)} on “${visibleText(pen.changes[0].row.candidate)}”.`,
  });

  if (s.copyBoost > 0) {
    const boosted = step.copy?.boosted ?? [];
    const shown = boosted.map((id) => step.candidates.find((c) => c.id === id)).filter((c) => c !== undefined);
    stages.push({
      id: "copy",
      title: "Copy from the prompt",
      setting: `+${s.copyBoost}`,
      active: boosted.length > 0,
      survivors: afterPenalties,
      removed: 0,
      mass: null,
      entropy: null,
      note:
        boosted.length === 0
          ? "The reply's last tokens do not continue a run of the prompt (or a sentence just ended): no token is favoured, the model picks where to go."
          : `The reply's last ${plural(step.copy!.matched, "token")} also run in the prompt; ${boosted.length === 1 ? "the token" : `the ${boosted.length} tokens`} that continue${boosted.length === 1 ? "s" : ""} them there${shown.length > 0 ? ` (${shown.map((c) => `“${visibleText(c)}”`).join(", ")})` : ""} gained ${s.copyBoost} in logit.`,
    });
  }

  if (s.quote && step.quote) {
    const q = step.quote;
    const removedRecorded = step.candidates.filter((c) => c.removedBy === "quote");
    stages.push({
      id: "quote",
      title: "Quote the passages",
      setting: "on",
      active: true,
      survivors: afterPenalties,
      removed: V - afterPenalties,
      mass: null,
      entropy: null,
      note:
        (q.quoting === 0
          ? `Between sentences: only the first token of a passage sentence not used yet${q.canStop ? ", or the end of the reply," : ""} may come next`
          : `The reply is inside a quotation (${plural(q.quoting, "passage sentence")} still fit${q.quoting === 1 ? "s" : ""}): only ${q.allowed.length === 1 ? "its next token" : "their next tokens"}${q.canStop ? ", a new sentence or the end of the reply" : ""} may come next`) +
        ` — ${plural(q.allowed.length, "token")} allowed, every other removed${removedRecorded.length > 0 ? `, including ${removedRecorded.length === 1 ? "the model's" : `${removedRecorded.length} of the model's`} recorded favourite${removedRecorded.length === 1 ? "" : "s"} “${visibleText(removedRecorded[0])}”${removedRecorded.length > 1 ? " …" : ""}` : ""}.`,
    });
  } else if (s.quote) {
    stages.push({
      id: "quote",
      title: "Quote the passages",
      setting: "on",
      active: false,
      survivors: afterPenalties,
      removed: 0,
      mass: null,
      entropy: null,
      note: "The prompt has no passage sentence to quote (or a forced token left the quotation): nothing is removed.",
    });
  }

  if (greedy) {
    stages.push({
      id: "temperature",
      title: "Temperature",
      setting: s.greedy ? "greedy" : "T = 0",
      active: true,
      survivors: 1,
      removed: afterPenalties - 1,
      mass: 1,
      entropy: 0,
      note: "Greedy decoding: T → 0 puts all the probability on the highest (penalised) logit. Nothing is left to filter or draw.",
    });
    for (const [id, title] of [
      ["topK", "Top-k"],
      ["topP", "Top-p (nucleus)"],
      ["minP", "Min-p"],
    ] as const) {
      stages.push({ id, title, setting: "skipped", active: false, survivors: 1, removed: 0, mass: 1, entropy: 0, note: "Not applied: greedy decoding has already chosen." });
    }
    stages.push({ id: "renormalise", title: "Renormalise", setting: "—", active: false, survivors: 1, removed: 0, mass: 1, entropy: 0, note: "One token with probability 1." });
    stages.push({
      id: "draw",
      title: "Draw",
      setting: "none",
      active: false,
      survivors: 1,
      removed: 0,
      mass: 1,
      entropy: 0,
      note: step.forced ? "No draw: the token was imposed (replay or branch)." : "No draw: the argmax was taken.",
    });
  } else {
    const T = s.temperature;
    const topAtT = Math.max(...step.candidates.map((c) => c.probAtTemperature));
    stages.push({
      id: "temperature",
      title: "Temperature",
      setting: `T = ${T}`,
      active: T !== 1,
      survivors: afterPenalties,
      removed: 0,
      mass: 1,
      entropy: null,
      note: `softmax(logit ÷ ${T}) over the whole vocabulary: ${T < 1 ? "T < 1 sharpens the distribution" : T > 1 ? "T > 1 flattens the distribution" : "T = 1 leaves it as the model made it"}. The most likely token now has ${formatProb(topAtT)}.`,
    });

    const stage = (id: "topK" | "topP" | "minP", title: string, setting: string, before: number, after: number, explain: string) => {
      const known = survivorsOf(step, id);
      let mass: number | null = null;
      let entropy: number | null = null;
      if (after === afterMinP) {
        mass = finalMass;
        entropy = step.entropy;
      } else if (known.length === after) {
        ({ mass, entropy } = massAndEntropy(known.map((c) => c.probAtTemperature)));
      }
      stages.push({ id, title, setting, active: after < before, survivors: after, removed: before - after, mass, entropy, note: explain });
    };
    const kOff = s.topK === 0 || s.topK >= afterPenalties;
    stage(
      "topK",
      "Top-k",
      s.topK === 0 ? "off" : `k = ${formatCount(s.topK)}`,
      afterPenalties,
      afterTopK,
      kOff ? "Off: every token stays in." : `Keeps the ${plural(afterTopK, "most likely token")} and removes the other ${formatCount(afterPenalties - afterTopK)}.`,
    );
    stage(
      "topP",
      "Top-p (nucleus)",
      s.topP >= 1 ? "off" : `p = ${s.topP}`,
      afterTopK,
      afterTopP,
      s.topP >= 1
        ? "Off: every token stays in."
        : `Keeps the smallest set of most likely tokens whose probability, renormalised over what top-k kept, adds up to at least ${s.topP}: ${plural(afterTopP, "token")}${afterTopP < afterTopK ? `, ${formatCount(afterTopK - afterTopP)} removed` : ", nothing removed"}.`,
    );
    stage(
      "minP",
      "Min-p",
      s.minP <= 0 ? "off" : `min-p = ${s.minP}`,
      afterTopP,
      afterMinP,
      s.minP <= 0
        ? "Off: every token stays in."
        : `Keeps tokens with at least ${s.minP} × the top token's probability (${formatProb(s.minP * topAtT)})${afterMinP < afterTopP ? `: ${formatCount(afterTopP - afterMinP)} removed` : ": nothing removed"}.`,
    );
    stages.push({
      id: "renormalise",
      title: "Renormalise",
      setting: finalMass === 1 ? "none needed" : `÷ ${finalMass.toFixed(4)}`,
      active: finalMass !== 1,
      survivors: afterMinP,
      removed: 0,
      mass: 1,
      entropy: step.entropy,
      note:
        finalMass === 1
          ? "No filter removed anything, so the probabilities already sum to 1."
          : `The ${plural(afterMinP, "kept token")} held ${formatProb(finalMass)} of the probability; each is divided by ${finalMass.toFixed(4)} so that they sum to 1.`,
    });
    stages.push({
      id: "draw",
      title: "Draw",
      setting: step.u === null ? "none" : `u = ${step.u.toFixed(4)}`,
      active: step.u !== null,
      survivors: afterMinP,
      removed: 0,
      mass: 1,
      entropy: step.entropy,
      note:
        step.u === null
          ? "No draw decided this token: it was imposed (replay or branch)."
          : `A uniform number u = ${step.u.toFixed(4)} from the seeded generator; laying the kept probabilities end to end from the most likely, u lands on “${visibleText(chosen.candidate)}”.`,
    });
  }

  stages.push({
    id: "chosen",
    title: "Chosen token",
    setting: `id ${chosen.id}`,
    active: true,
    survivors: 1,
    removed: 0,
    mass: null,
    entropy: null,
    note: `“${visibleText(chosen.candidate)}”: the model's ${chosen.rank === 0 ? "top choice" : `choice ranked ${chosen.rank + 1}`} (p = ${formatProb(chosen.probModel)} at T = 1${greedy ? "" : `, ${formatProb(chosen.probFinal)} after sampling transforms`})${step.forced ? "; imposed, not sampled" : ""}.`,
  });
  return stages;
}

// ─── The draw ───────────────────────────────────────────────────────────────────────────

export interface DrawSegment {
  /** Token id, or null for a block of kept tokens the trace did not record. */
  id: number | null;
  candidate?: TraceCandidate;
  /** Cumulative probability where the token's interval starts and ends: [start, end). */
  start: number;
  end: number;
  chosen: boolean;
}

export interface DrawLayout {
  segments: DrawSegment[];
  /** The draw, or null when the token was imposed. */
  u: number | null;
  /** True when the drawn order is the sampler's exact order (every boundary is right). */
  exact: boolean;
  /** Kept tokens that are not among the recorded candidates, and their total final probability. */
  hiddenCount: number;
  hiddenMass: number;
  /** u falls inside the chosen token's interval as drawn. */
  uInChosen: boolean;
}

/** The logit the sampler sorted and divided by T: after the penalties and the copy stage's bonus. */
export const adjustedLogit = (c: Pick<TraceCandidate, "logitAfterPenalty" | "copyBonus">) => c.logitAfterPenalty + (c.copyBonus ?? 0);

/** The sampler's order: adjusted logit descending, ties by lower id. */
const byOrder = (a: TraceCandidate, b: TraceCandidate) => adjustedLogit(b) - adjustedLogit(a) || a.id - b.id;

/**
 * The inverse-CDF picture of the draw: the kept tokens laid end to end on [0, 1), most
 * likely first (the sampler's order), with u marking where the draw landed. null when
 * greedy (nothing was drawn).
 *
 * The trace records the top candidates by raw logit, so some kept tokens may be missing
 * (their total probability is known exactly: 1 − the recorded kept tokens' sum). Where they
 * sit in the order:
 * - exact: when the penalties can only lower logits (presence, frequency ≥ 0) and every
 *   recorded kept token's penalised logit is above the lowest raw logit of the top-N list,
 *   every missing token comes after every recorded one: one block at the end;
 * - otherwise some of them come before the chosen token. How much probability does is
 *   bounded by the draw itself — the chosen interval [Q, Q + p) contains u, so the missing
 *   mass before it lies in (u − K − p, u − K], K being the recorded mass before it — and the
 *   layout puts the middle of that range in one block just before the chosen token and the
 *   rest at the end (`exact` false: the boundaries between blocks are approximate, u is not).
 *   For a forced token (no u) the missing tokens all go at the end.
 */
export function drawLayout(step: TraceStep, settings: GenerationSettings): DrawLayout | null {
  if (isGreedy(settings)) return null;
  const appended = appendedChosenIndex(step);
  const kept = step.candidates.filter((c) => c.removedBy === undefined && c.probFinal > 0).sort(byOrder);
  const recordedMass = kept.reduce((sum, c) => sum + c.probFinal, 0);
  const hiddenCount = Math.max(0, step.kept.afterMinP - kept.length);
  const hiddenMass = hiddenCount > 0 ? Math.max(0, 1 - recordedMass) : 0;

  let exact = hiddenCount === 0;
  if (!exact) {
    const bound = Math.min(...step.candidates.filter((_, i) => i !== appended).map((c) => c.logit));
    const penaltiesOnlyLower = settings.presencePenalty >= 0 && settings.frequencyPenalty >= 0;
    // A token the copy stage raised but the trace did not record could sit anywhere.
    const boostsRecorded = (step.copy?.boosted ?? []).every((id) => step.candidates.some((c) => c.id === id));
    exact = penaltiesOnlyLower && boostsRecorded && kept.every((c) => adjustedLogit(c) > bound);
  }

  // Probability of missing tokens placed just before the chosen one.
  const u = step.u;
  const chosenIndex = kept.findIndex((c) => c.id === step.tokenId);
  let hiddenBefore = 0;
  if (!exact && u !== null && chosenIndex >= 0) {
    const before = kept.slice(0, chosenIndex).reduce((sum, c) => sum + c.probFinal, 0);
    const p = kept[chosenIndex].probFinal;
    hiddenBefore = Math.min(hiddenMass, Math.max(0, u - before - p / 2));
  }

  const segments: DrawSegment[] = [];
  let cum = 0;
  const push = (seg: Omit<DrawSegment, "start" | "end">, width: number) => {
    segments.push({ ...seg, start: cum, end: cum + width });
    cum += width;
  };
  kept.forEach((c, i) => {
    if (i === chosenIndex && hiddenBefore > 0) push({ id: null, chosen: false }, hiddenBefore);
    push({ id: c.id, candidate: c, chosen: c.id === step.tokenId }, c.probFinal);
  });
  if (hiddenMass - hiddenBefore > 0) push({ id: null, chosen: false }, hiddenMass - hiddenBefore);
  if (segments.length > 0) segments[segments.length - 1].end = 1; // absorb rounding

  const chosenSeg = segments.find((g) => g.chosen);
  const uInChosen = u !== null && chosenSeg !== undefined && u >= chosenSeg.start - 1e-9 && u < chosenSeg.end + 1e-9;
  return { segments, u, exact, hiddenCount, hiddenMass, uInChosen };
}

// ─── Summary of a step ──────────────────────────────────────────────────────────────────

export interface StepSummary {
  index: number;
  chosen: CandidateRow;
  greedy: boolean;
  forced: boolean;
  /** The model's probability of the chosen token (T = 1). */
  probModel: number;
  /** Its probability in the distribution sampled (1 when greedy). */
  probFinal: number;
  entropy: number;
  u: number | null;
}

export function stepSummary(trace: Pick<Trace, "steps" | "settings">, stepIndex: number): StepSummary {
  const step = trace.steps[stepIndex];
  const chosen = candidateRows(step).find((r) => r.chosen)!;
  return {
    index: step.index,
    chosen,
    greedy: isGreedy(trace.settings),
    forced: step.forced === true,
    probModel: chosen.probModel,
    probFinal: chosen.probFinal,
    entropy: step.entropy,
    u: step.u,
  };
}

/** "logit 2.31 → 1.78" for a penalised candidate; just the logit when unchanged. */
export function describeLogitChange(row: Pick<CandidateRow, "logit" | "logitAfterPenalty">): string {
  return row.logit === row.logitAfterPenalty ? formatLogit(row.logit) : `${formatLogit(row.logit)} → ${formatLogit(row.logitAfterPenalty)}`;
}
