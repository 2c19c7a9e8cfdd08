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
 * One file per view model, all built on the candidate rows: ./candidates.ts (rows, chart,
 * summary), ./penalties.ts, ./stages.ts (the pipeline) and ./draw-layout.ts. This file is
 * their entry point.
 *
 * Isomorphic, no React.
 */
export {
  candidateRows,
  chartRows,
  describeLogitChange,
  rawLogPartition,
  stepSummary,
  type CandidateRow,
  type StepSummary,
} from "./candidates.ts";
export { adjustedLogit, drawLayout, type DrawLayout, type DrawSegment } from "./draw-layout.ts";
export { penaltyBreakdown, type PenaltyBreakdown, type PenaltyChange } from "./penalties.ts";
export { keptMass, pipelineStages, type PipelineStage, type StageId } from "./stages.ts";
