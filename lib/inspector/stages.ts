/**
 * View model of the sampling pipeline of one step, stage by stage (raw logits → penalties →
 * copy → quote → temperature → top-k → top-p → min-p → renormalise → draw → chosen): how many
 * tokens each stage kept, and the kept mass and entropy where the trace determines them
 * exactly — when every token a stage kept was recorded, or when it kept the same tokens as the
 * final distribution; otherwise null, and the UI says "not recorded" rather than showing a
 * partial sum as if it were the whole. The renormalising constant is exact: for any kept
 * candidate, probFinal = probAtTemperature / mass.
 *
 * Isomorphic, no React.
 */
import { prefixEntropy, prefixMass } from "../llm/filters.ts";
import { TokenOrder } from "../llm/token-order.ts";
import { isGreedy, type FilterStage, type Trace, type TraceCandidate, type TraceStep } from "../llm/trace.ts";
import { appendedChosenIndex, candidateRows } from "./candidates.ts";
import { formatCount, formatDelta, formatProb } from "./format.ts";
import { penaltyBreakdown } from "./penalties.ts";
import { visibleText } from "./token-display.ts";

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

/**
 * Σ and entropy of the renormalised set, from probabilities at temperature: the sampler's own
 * prefixMass and prefixEntropy over all of them (a whole prefix is summed in index order).
 */
function massAndEntropy(probs: readonly number[]): { mass: number; entropy: number } {
  const p = Float64Array.from(probs);
  const all = new TokenOrder().reset(p);
  const mass = prefixMass(all, p, p.length);
  return { mass, entropy: prefixEntropy(all, p, p.length, mass) };
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
