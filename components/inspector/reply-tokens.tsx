"use client";

import { Fragment, useId, useMemo } from "react";
import type { TraceStep } from "@/lib/llm/trace";
import { BUCKETS, chosenProbability, probBucket, type ColorBy } from "@/lib/inspector/color-scale";
import { formatProb } from "@/lib/inspector/format";
import { stepGrounding, type InspectorGrounding } from "@/lib/inspector/grounding";
import { byteRuns, endsWithNewline, spokenText } from "@/lib/inspector/token-display";
import { BUCKET_CLASSES } from "./scale";
import { BranchIcon, TokenGlyphs, withByteRuns } from "./token";
import { useRovingFocus } from "./use-roving-focus";

export interface ReplyTokensProps {
  steps: readonly TraceStep[];
  /** Index of the selected step (null: none). */
  selected: number | null;
  onSelect: (stepIndex: number) => void;
  /** Which probability colours the tokens (default "model"). */
  colorBy?: ColorBy;
  /** Given, the legend offers the switch between the two colourings. */
  onColorByChange?: (colorBy: ColorBy) => void;
  /** The trace was greedy: the sampled probability is 1 everywhere, so only "model" is offered. */
  greedy?: boolean;
  /** Step where a branch took over (the learner's pick); earlier forced steps are the replayed prefix. */
  branchPoint?: number;
  /** The reply's copied spans and their passages' sources (the tutor): tokens inside a span are underlined. */
  grounding?: InspectorGrounding;
}

/**
 * The reply, token by token, each coloured by the probability the model gave it. Every token
 * is a button: click (or Enter/Space) selects its step; the row is one tab stop and arrow
 * keys move between tokens (Home/End jump to the ends). Forced tokens (replayed or branched,
 * not drawn) have a dashed outline; the branch point carries a fork mark. With a grounding,
 * tokens copied from a passage are underlined (dotted, so colour is not the only cue) and
 * their tooltip and name say which lesson section.
 */
export function ReplyTokens({ steps, selected, onSelect, colorBy = "model", onColorByChange, greedy = false, branchPoint, grounding }: ReplyTokensProps) {
  const roving = useRovingFocus(steps.length, selected);
  const hintId = useId();
  const by: ColorBy = greedy ? "model" : colorBy;
  const runs = useMemo(() => byteRuns(steps), [steps]);
  const copied = useMemo(() => (grounding ? stepGrounding(steps, grounding) : null), [steps, grounding]);

  if (steps.length === 0) {
    return <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">The reply has no tokens: generation stopped before the first one.</p>;
  }

  return (
    <div className="space-y-3">
      <div
        role="toolbar"
        aria-label="Reply tokens"
        aria-describedby={hintId}
        onKeyDown={roving.onKeyDown}
        className="flex flex-wrap items-start gap-x-1 gap-y-1.5 rounded-lg border border-slate-200 bg-white p-3 font-mono text-[14px] leading-6 dark:border-slate-800 dark:bg-slate-950/40"
      >
        {withByteRuns(steps.length, runs, (i) => {
          const step = steps[i];
          const p = chosenProbability(step, by);
          const bucket = probBucket(p);
          const isSelected = selected === i;
          const forced = step.forced === true;
          const isBranch = branchPoint === i;
          const from = copied?.[i];
          const where = from ? `${from.source.lessonTitle} § ${from.source.heading}` : null;
          return (
            <Fragment key={i}>
              {isBranch && (
                <span aria-hidden className="inline-flex items-center gap-0.5 self-center rounded bg-brand-600 px-1 py-px font-sans text-[10px] font-semibold uppercase tracking-wide text-white dark:bg-brand-500">
                  <BranchIcon className="size-3" /> branch
                </span>
              )}
              <button
                type="button"
                {...roving.itemProps(i)}
                onClick={() => onSelect(i)}
                aria-pressed={isSelected}
                aria-label={`Step ${i + 1}: ${spokenText(step)}, ${formatProb(p)}${forced ? (isBranch ? ", branched here" : ", forced") : ""}${where ? `, copied from ${where}` : ""}`}
                data-step={i}
                data-copied={from ? from.passage : undefined}
                className={
                  "group relative inline-flex min-h-7 min-w-[1.25rem] items-center justify-center rounded-md border-[1.5px] px-1 outline-none transition-shadow " +
                  BUCKET_CLASSES[bucket.index] +
                  (forced ? " border-dashed border-slate-700/80 dark:border-slate-100/80" : " border-transparent") +
                  (isSelected
                    ? " ring-2 ring-brand-600 ring-offset-2 ring-offset-white dark:ring-brand-400 dark:ring-offset-slate-950"
                    : " hover:ring-2 hover:ring-slate-400/70 focus-visible:ring-2 focus-visible:ring-brand-500 dark:hover:ring-slate-500")
                }
              >
                <span aria-hidden className="whitespace-pre">
                  <TokenGlyphs token={step} />
                </span>
                {from && <span aria-hidden className="pointer-events-none absolute inset-x-0.5 -bottom-[3px] border-b-2 border-dotted border-teal-700 dark:border-teal-300" />}
                <span
                  aria-hidden
                  className="pointer-events-none absolute bottom-full left-1/2 z-20 mb-1.5 hidden -translate-x-1/2 whitespace-nowrap rounded bg-slate-900 px-1.5 py-0.5 font-sans text-[11px] leading-4 text-white shadow group-hover:block group-focus-visible:block dark:bg-slate-100 dark:text-slate-900"
                >
                  step {i + 1} · {formatProb(p)} · id {step.tokenId}
                  {forced ? " · forced" : ""}
                  {where && <span className="block">copied from {where}</span>}
                </span>
              </button>
              {endsWithNewline(step) && <span aria-hidden className="h-0 basis-full" />}
            </Fragment>
          );
        })}
      </div>
      <p id={hintId} className="sr-only">
        Arrow keys move between tokens; Enter or Space shows how that token was chosen.
      </p>
      <ProbabilityLegend
        colorBy={by}
        onColorByChange={greedy ? undefined : onColorByChange}
        showForced={steps.some((s) => s.forced)}
        showCopied={copied?.some(Boolean)}
      />
      {grounding && !copied?.some(Boolean) && (
        <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="no-copied-tokens">
          No token of this reply is part of a run copied from the lesson passages in its prompt.
        </p>
      )}
    </div>
  );
}

/** The colour key of the reply tokens, with the switch between model and sampled probability. */
export function ProbabilityLegend({
  colorBy,
  onColorByChange,
  showForced,
  showCopied,
}: {
  colorBy: ColorBy;
  onColorByChange?: (c: ColorBy) => void;
  showForced?: boolean;
  showCopied?: boolean;
}) {
  const group = useId();
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-xs text-slate-600 dark:text-slate-400">
      <div className="flex flex-wrap items-center gap-1.5">
        <span>{colorBy === "model" ? "Model probability (T = 1)" : "Sampled probability"}:</span>
        <ul className="flex flex-wrap gap-1" aria-label="Colour scale, least to most likely">
          {BUCKETS.map((b) => (
            <li key={b.index} title={b.description} className={"rounded px-1.5 py-0.5 font-medium tabular-nums " + BUCKET_CLASSES[b.index]}>
              {b.label}
              <span className="sr-only"> ({b.description})</span>
            </li>
          ))}
        </ul>
      </div>
      {showForced && (
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden className="inline-block h-4 w-6 rounded border-[1.5px] border-dashed border-slate-700/80 dark:border-slate-100/80" />
          forced (replayed or branched, not drawn)
        </span>
      )}
      {showCopied && (
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden className="inline-block h-4 w-6 border-b-2 border-dotted border-teal-700 dark:border-teal-300" />
          copied from a passage
        </span>
      )}
      {onColorByChange && (
        <fieldset className="ml-auto inline-flex items-center gap-1">
          <legend className="sr-only">Colour tokens by</legend>
          <span aria-hidden>Colour by</span>
          <div className="inline-flex rounded-md border border-slate-300 p-0.5 dark:border-slate-700">
            {(["model", "sampled"] as const).map((c) => (
              <label
                key={c}
                className={
                  "cursor-pointer rounded px-2 py-0.5 font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500 " +
                  (colorBy === c ? "bg-brand-600 text-white dark:bg-brand-500" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800")
                }
              >
                <input type="radio" name={group} className="sr-only" checked={colorBy === c} onChange={() => onColorByChange(c)} />
                {c === "model" ? "model p" : "sampled p"}
              </label>
            ))}
          </div>
        </fieldset>
      )}
    </div>
  );
}
