/**
 * View model of the random draw: the kept tokens laid end to end on [0, 1) in the sampler's
 * order, with u marking where the draw landed (the inverse-CDF picture).
 *
 * Isomorphic, no React.
 */
import { isGreedy, type GenerationSettings, type TraceCandidate, type TraceStep } from "../llm/trace.ts";
import { appendedChosenIndex } from "./candidates.ts";

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
