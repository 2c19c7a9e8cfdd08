"use client";

import { useId, useMemo, useState } from "react";
import { isGreedy, type GenerationSettings, type Trace } from "@/lib/llm/trace";
import type { ColorBy } from "@/lib/inspector/color-scale";
import { stepGrounding, type InspectorGrounding } from "@/lib/inspector/grounding";
import { formatNats, formatPerplexity } from "@/lib/inspector/format";
import { surpriseSummary } from "@/lib/inspector/surprise";
import { InsideModel } from "./inside-model";
import { PromptView } from "./prompt-view";
import { ReplayForm } from "./replay-form";
import { ReplyTokens } from "./reply-tokens";
import { StepDetail } from "./step-detail";
import { SurpriseChart } from "./surprise-chart";
import { FINISH_REASONS, TraceMeta } from "./trace-meta";

export type InspectorSection = "prompt" | "reply" | "step" | "inside" | "surprise" | "replay";

const SECTION_TITLES: Record<InspectorSection, string> = {
  prompt: "Prompt",
  reply: "Reply",
  step: "Step",
  inside: "Inside",
  surprise: "Surprise",
  replay: "Replay",
};

export interface InspectorProps {
  /** The reply to inspect (lib/llm/trace.ts). */
  trace: Trace;
  /** Given, the Replay section offers a settings form and calls back with validated settings. */
  onReplay?: (settings: GenerationSettings) => void;
  /** Given, the step panel offers "Branch from here" and calls back with (stepIndex, tokenId). */
  onBranch?: (stepIndex: number, tokenId: number) => void;
  /** Controlled selection (0-based step index); leave undefined to let the inspector keep it. */
  selectedStep?: number | null;
  onSelectStep?: (stepIndex: number) => void;
  /** Uncontrolled: the step selected at first (default 0, the first reply token). */
  initialStep?: number;
  /** This trace is a branch that took over at this step (marked in the reply). */
  branchPoint?: number;
  /** A replay or branch is running: their buttons wait. */
  busy?: boolean;
  /** Heading of the panel (default "Inspector"). */
  title?: string;
  /** Level of the panel's heading; sections use the next level (default 2). */
  headingLevel?: 2 | 3;
  /** Sections to show, in this order (default all five). Replay shows only with onReplay. */
  sections?: readonly InspectorSection[];
  className?: string;
  /** The tutor's reply: which spans were copied from which lesson passage (marked in the reply tokens and the step). */
  grounding?: InspectorGrounding;
  /**
   * Given, the "Inside the model" section offers attention and the logit lens, calling this for
   * the reply recomputed with internals (lib/inspector/internals.ts: fetchInternals replays it on
   * the server). Hosts give it for models that have an internals graph.
   */
  loadInternals?: () => Promise<Trace>;
}

const ALL_SECTIONS: readonly InspectorSection[] = ["prompt", "reply", "step", "inside", "surprise", "replay"];

/**
 * The inspector: everything Glassbox recorded about one model reply. Sections: the prompt as
 * the model saw it; the reply's tokens coloured by probability (select one); that step's
 * candidates and sampling pipeline, with "Branch from here"; inside the model (attention and
 * the logit lens, on request); per-token surprise and perplexity; replay with other settings. It only calls back — fetching and running the
 * model is the host's business (tutor, playground). Sizes itself to its container, not the
 * window, so it works in a side panel as well as full width and on a 375 px phone.
 */
export function Inspector({
  trace,
  onReplay,
  onBranch,
  selectedStep,
  onSelectStep,
  initialStep = 0,
  branchPoint,
  busy = false,
  title = "Inspector",
  headingLevel = 2,
  sections = ALL_SECTIONS,
  className = "",
  grounding,
  loadInternals,
}: InspectorProps) {
  const [ownSelection, setOwnSelection] = useState<number | null>(trace.steps.length > 0 ? Math.min(initialStep, trace.steps.length - 1) : null);
  const [colorBy, setColorBy] = useState<ColorBy>("model");
  const controlled = selectedStep !== undefined;
  const raw = controlled ? selectedStep : ownSelection;
  const selected = raw !== null && raw >= 0 && raw < trace.steps.length ? raw : null;
  const select = (i: number) => {
    if (!controlled) setOwnSelection(i);
    onSelectStep?.(i);
  };
  const base = useId();
  const greedy = isGreedy(trace.settings);
  const stats = useMemo(() => surpriseSummary(trace, 0), [trace]);
  const copied = useMemo(() => (grounding ? stepGrounding(trace.steps, grounding) : null), [trace.steps, grounding]);
  const shown = sections.filter((s) => (s !== "replay" || onReplay) && (s !== "inside" || loadInternals));
  const Heading = `h${headingLevel}` as "h2" | "h3";
  const SectionHeading = `h${headingLevel + 1}` as "h3" | "h4";
  const sectionId = (s: InspectorSection) => `${base}-${s}`;
  const showReply = shown.includes("reply");
  const showStep = shown.includes("step");
  const finish = FINISH_REASONS[trace.finishReason];

  const jump = (s: InspectorSection) => {
    const el = document.getElementById(sectionId(s));
    el?.scrollIntoView({ behavior: "smooth", block: "start" });
    el?.querySelector<HTMLElement>("[data-section-heading]")?.focus({ preventScroll: true });
  };

  const sectionFrame = (s: InspectorSection, children: React.ReactNode, extra = "") => (
    <section
      key={s}
      id={sectionId(s)}
      aria-labelledby={`${sectionId(s)}-title`}
      data-section={s}
      className={"@container min-w-0 scroll-mt-20 rounded-xl border border-slate-200 bg-white p-4 sm:p-5 dark:border-slate-800 dark:bg-slate-900/40 " + extra}
    >
      <SectionHeading id={`${sectionId(s)}-title`} data-section-heading tabIndex={-1} className="mb-3 text-base font-semibold tracking-tight outline-none">
        {SECTION_HEADINGS[s]}
      </SectionHeading>
      {children}
    </section>
  );

  const replySection = sectionFrame(
    "reply",
    <ReplyTokens
      steps={trace.steps}
      selected={selected}
      onSelect={select}
      colorBy={colorBy}
      onColorByChange={setColorBy}
      greedy={greedy}
      branchPoint={branchPoint}
      grounding={grounding}
    />,
    "@5xl:sticky @5xl:top-16",
  );
  const stepSection = sectionFrame(
    "step",
    selected === null ? (
      <p className="text-sm text-slate-600 dark:text-slate-400">{trace.steps.length === 0 ? "There is no step to inspect: the reply is empty." : "Select a reply token to see how it was chosen."}</p>
    ) : (
      <StepDetail
        trace={trace}
        stepIndex={selected}
        onBranch={onBranch}
        onStepChange={select}
        busy={busy}
        headingLevel={(headingLevel + 2) as 3 | 4}
        copiedFrom={copied?.[selected]}
      />
    ),
  );

  return (
    <section aria-labelledby={`${base}-title`} className={"@container space-y-4 " + className} data-testid="inspector">
      <header className="space-y-3 rounded-xl border border-slate-200 bg-slate-50/80 p-4 sm:p-5 dark:border-slate-800 dark:bg-slate-900/60">
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <Heading id={`${base}-title`} className="text-xl font-bold tracking-tight">
            {title}
          </Heading>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {trace.steps.length} reply tokens · {finish.label}
            {stats.perplexity !== null && (
              <>
                {" "}
                · perplexity {formatPerplexity(stats.perplexity)} ({formatNats(stats.crossEntropyNats!)}/token)
              </>
            )}
          </p>
        </div>
        <TraceMeta trace={trace} />
        <nav aria-label={`${title} sections`} className="-mx-1 flex flex-wrap gap-1 border-t border-slate-200 pt-3 dark:border-slate-800">
          {shown.map((s) => (
            <button
              key={s}
              type="button"
              onClick={() => jump(s)}
              className="rounded-md px-2.5 py-1 text-sm font-medium text-slate-700 hover:bg-white hover:text-brand-700 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-brand-400"
            >
              {SECTION_TITLES[s]}
            </button>
          ))}
        </nav>
      </header>

      {shown.map((s) => {
        switch (s) {
          case "prompt":
            return sectionFrame("prompt", <PromptView prompt={trace.prompt} contextLength={trace.contextLength} />);
          case "reply":
            // With the step panel: side by side when the inspector is wide, stacked otherwise.
            return showStep ? (
              <div key="reply+step" className="grid items-start gap-4 @5xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
                {replySection}
                {stepSection}
              </div>
            ) : (
              replySection
            );
          case "step":
            return showReply ? null : stepSection;
          case "inside":
            return loadInternals ? sectionFrame("inside", <InsideModel trace={trace} loadInternals={loadInternals} selected={selected} onSelect={select} />) : null;
          case "surprise":
            return sectionFrame("surprise", <SurpriseChart trace={trace} selected={selected} onSelect={select} />);
          case "replay":
            return onReplay ? sectionFrame("replay", <ReplayForm settings={trace.settings} onReplay={onReplay} busy={busy} />) : null;
        }
      })}
    </section>
  );
}

const SECTION_HEADINGS: Record<InspectorSection, string> = {
  prompt: "Prompt as the model saw it",
  reply: "Reply tokens",
  step: "How this token was chosen",
  inside: "Inside the model",
  surprise: "Surprise and perplexity",
  replay: "Replay with other settings",
};
