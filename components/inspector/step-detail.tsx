"use client";

import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { isGreedy, type Trace } from "@/lib/llm/trace";
import { candidateRows, chartRows, drawLayout, penaltyBreakdown, pipelineStages } from "@/lib/inspector/pipeline";
import type { StepGrounding } from "@/lib/inspector/grounding";
import { formatBits, formatNats, formatProb, formatU, ordinal } from "@/lib/inspector/format";
import { spokenText, tokenKindNote } from "@/lib/inspector/token-display";
import { BranchPicker } from "./branch-picker";
import { CandidateChart } from "./candidate-chart";
import { CandidateTable } from "./candidate-table";
import { SamplingPipeline } from "./sampling-pipeline";
import { TokenGlyphs } from "./token";
import { Button } from "@/components/ui/button";

export interface StepDetailProps {
  trace: Trace;
  /** The step to explain (0-based, as in the trace). */
  stepIndex: number;
  /** Given, a "Branch from here" picker is shown and calls back with (stepIndex, tokenId). */
  onBranch?: (stepIndex: number, tokenId: number) => void;
  /** Given, previous/next buttons move the selection. */
  onStepChange?: (stepIndex: number) => void;
  /** A generation is running (disables Branch). */
  busy?: boolean;
  /** Heading level of the panel's title (default 3). */
  headingLevel?: 2 | 3 | 4;
  /** The token lies in a run copied from a lesson passage (the tutor): which one. */
  copiedFrom?: StepGrounding | null;
}

const CHART_LIMIT = 10;

/**
 * Everything about one decoding step: the chosen token and its numbers, the top candidates
 * (chart and table), the sampling pipeline stage by stage with the draw, and the branch
 * picker.
 */
export function StepDetail({ trace, stepIndex, onBranch, onStepChange, busy, headingLevel = 3, copiedFrom }: StepDetailProps) {
  const step = trace.steps[stepIndex];
  const greedy = isGreedy(trace.settings);
  const rows = useMemo(() => candidateRows(step), [step]);
  const stages = useMemo(() => pipelineStages(trace, stepIndex), [trace, stepIndex]);
  const penalties = useMemo(() => penaltyBreakdown(trace, stepIndex), [trace, stepIndex]);
  const draw = useMemo(() => drawLayout(step, trace.settings), [step, trace.settings]);
  const [showAll, setShowAll] = useState(false);
  const titleId = useId();
  const chosen = rows.find((r) => r.chosen)!;
  const Heading = `h${headingLevel}` as const;
  const Sub = `h${headingLevel + 1}` as "h3" | "h4" | "h5";
  const forced = step.forced === true;
  const kind = tokenKindNote(step);
  const surprise = -step.logprob;

  return (
    <section aria-labelledby={titleId} className="@container space-y-5" data-testid="step-detail" data-step={stepIndex}>
      <header className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <Heading id={titleId} className="text-lg font-semibold tracking-tight">
          Step {stepIndex + 1} <span className="font-normal text-slate-500 dark:text-slate-400">of {trace.steps.length}</span>
          <span className="sr-only">: {spokenText(step)}</span>
        </Heading>
        <span aria-hidden className="rounded-md border border-slate-300 bg-white px-2 py-0.5 font-mono text-base dark:border-slate-600 dark:bg-slate-900">
          <span className="whitespace-pre">
            <TokenGlyphs token={step} />
          </span>
        </span>
        {greedy && <Badge tone="slate">greedy · argmax, no draw</Badge>}
        {forced && <Badge tone="amber">forced · imposed, not drawn</Badge>}
        {kind && <Badge tone="slate">{kind}</Badge>}
        {onStepChange && (
          <div className="ml-auto flex gap-1">
            <NavButton label="Previous step" disabled={stepIndex === 0} onClick={() => onStepChange(stepIndex - 1)}>
              ←
            </NavButton>
            <NavButton label="Next step" disabled={stepIndex >= trace.steps.length - 1} onClick={() => onStepChange(stepIndex + 1)}>
              →
            </NavButton>
          </div>
        )}
      </header>

      <dl className="grid grid-cols-2 gap-2 @md:grid-cols-3 @2xl:grid-cols-6">
        <Stat label="Token id" value={String(step.tokenId)} />
        <Stat label="Rank by logit" value={ordinal(step.rank)} hint={step.rank === 0 ? "the model's top choice" : `${step.rank} token${step.rank === 1 ? "" : "s"} scored higher`} />
        <Stat label="Model p (T = 1)" value={formatProb(chosen.probModel)} />
        <Stat label="Sampled p" value={greedy ? "argmax" : formatProb(chosen.probFinal)} hint={greedy ? "greedy: no distribution drawn from" : "in the final distribution"} />
        <Stat label="Surprise" value={formatNats(surprise)} hint={formatBits(surprise)} />
        <Stat
          label={greedy || forced ? "Draw" : "Draw u"}
          value={step.u === null ? "none" : formatU(step.u)}
          hint={greedy ? "argmax taken" : forced ? "token imposed" : `entropy ${formatNats(step.entropy)}`}
        />
      </dl>

      {copiedFrom && (
        <p className="rounded-lg border border-teal-300 bg-teal-50 px-3 py-2 text-sm text-teal-950 dark:border-teal-500/40 dark:bg-teal-500/10 dark:text-teal-50" data-testid="step-copied">
          Copied from passage {copiedFrom.passage + 1},{" "}
          <Link href={copiedFrom.source.href} className="font-medium underline underline-offset-2">
            {copiedFrom.source.lessonTitle} § {copiedFrom.source.heading}
          </Link>
          : this token is part of a run of words the prompt&apos;s passage has too, starting in “{copiedFrom.sentence}”
        </p>
      )}
      {greedy && (
        <p className="rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-300">
          Greedy decoding: the token with the highest logit (after penalties) was taken. No random number was drawn, so the
          probabilities after temperature and in the final distribution are all on that one token.
        </p>
      )}
      {forced && (
        <p className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-100">
          This token was imposed (replayed from an earlier reply, or picked by a branch), not drawn. The model&apos;s numbers below are real: they are what it
          computed at this position.
        </p>
      )}

      <div className="space-y-3">
        <div className="flex flex-wrap items-baseline gap-2">
          <Sub className="font-semibold">Top candidates</Sub>
          <p className="text-xs text-slate-500 dark:text-slate-400">by raw logit; the chosen token is highlighted</p>
          {rows.length > CHART_LIMIT + 1 && (
            <Button
              type="button"
              aria-pressed={showAll}
              onClick={() => setShowAll((v) => !v)}
              variant="secondary"
              size="xs"
              className="ml-auto"
            >
              {showAll ? `Chart: top ${CHART_LIMIT}` : `Chart: all ${rows.length}`}
            </Button>
          )}
        </div>
        <div className="grid gap-4 @4xl:grid-cols-[minmax(0,5fr)_minmax(0,6fr)]">
          <CandidateChart rows={showAll ? rows : chartRows(rows, CHART_LIMIT)} greedy={greedy} />
          <CandidateTable rows={rows} caption={`Top ${rows.length} candidates at step ${stepIndex + 1}`} />
        </div>
      </div>

      <div className="space-y-3">
        <div className="flex flex-wrap items-baseline gap-2">
          <Sub className="font-semibold">Sampling pipeline</Sub>
          <p className="text-xs text-slate-500 dark:text-slate-400">in the order applied</p>
        </div>
        <SamplingPipeline stages={stages} penalties={penalties} draw={draw} vocabSize={trace.vocabSize} />
      </div>

      {onBranch && (
        <div className="space-y-2 rounded-xl border border-brand-400/40 bg-brand-50/50 p-4 dark:border-brand-500/30 dark:bg-brand-500/5">
          <Sub className="font-semibold">Branch from here</Sub>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {stepIndex === 0
              ? "Put another candidate at step 1"
              : `Keep step${stepIndex === 1 ? " 1" : `s 1–${stepIndex}`} of the reply, put another candidate at step ${stepIndex + 1},`}{" "}
            and let the model continue from there with the same settings and seed.
          </p>
          <BranchPicker stepIndex={stepIndex} rows={rows} onBranch={onBranch} busy={busy} key={stepIndex} />
        </div>
      )}
    </section>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900/60">
      <dt className="text-[11px] font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="mt-0.5 font-semibold tabular-nums">{value}</dd>
      {hint && <dd className="text-xs text-slate-500 dark:text-slate-400">{hint}</dd>}
    </div>
  );
}

function Badge({ tone, children }: { tone: "slate" | "amber"; children: React.ReactNode }) {
  return (
    <span
      className={
        "rounded-full px-2 py-0.5 text-xs font-medium " +
        (tone === "amber" ? "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-200" : "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300")
      }
    >
      {children}
    </span>
  );
}

function NavButton({ label, disabled, onClick, children }: { label: string; disabled: boolean; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
      className="inline-flex size-8 items-center justify-center rounded-md border border-slate-300 text-sm hover:bg-slate-50 disabled:opacity-40 dark:border-slate-700 dark:hover:bg-slate-800"
    >
      {children}
    </button>
  );
}
