"use client";

import { useMemo, useState } from "react";
import { candidateRows, chartRows, drawLayout, penaltyBreakdown, pipelineStages } from "@/lib/inspector/pipeline";
import { nextTokenHref } from "@/lib/playground/next-token";
import { useLiveRun } from "@/components/playground/use-live-run";
import { SettingSlider, SLIDERS } from "@/components/playground/next-token/settings-panel";
import { SamplingPipeline } from "@/components/inspector/sampling-pipeline";
import type { DemoProps } from "./types";
import { ModelDemoFrame, ProbBars } from "./model-demo-frame";
import { useDemoEngine } from "./use-demo-engine";

const KEYS = ["temperature", "topK", "topP", "minP", "repetitionPenalty"] as const;

/** The sampling stages for one step, compact, with sliders for the settings that shape them. */
export function SamplingDemo({ prompt = "For dessert I had some" }: DemoProps) {
  const [s, setS] = useState({ temperature: 1, topK: 10, topP: 0.9, minP: 0, repetitionPenalty: 1 });
  const engine = useDemoEngine();
  const request = useMemo(() => ({ prompt, settings: { ...s, maxNewTokens: 1, seed: 0 }, candidateCount: 20 }), [prompt, s]);
  const live = useLiveRun(engine, request, 300);
  const trace = live.trace;
  const step = trace?.steps[0];
  const rows = useMemo(() => (step ? chartRows(candidateRows(step), 8) : []), [step]);
  const stages = useMemo(() => (trace ? pipelineStages(trace, 0) : []), [trace]);
  return (
    <ModelDemoFrame kind="sampling" title="Sampling" trace={trace} running={live.running} error={live.error} href={nextTokenHref({ prompt, ...s })}>
      <p className="text-sm">
        Prompt: <span className="rounded bg-slate-100 px-1 font-mono dark:bg-slate-800">{prompt}</span>
      </p>
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2">
        {SLIDERS.filter((x) => (KEYS as readonly string[]).includes(x.key)).map((spec) => (
          <SettingSlider key={spec.key} spec={spec} value={s[spec.key as (typeof KEYS)[number]]} onChange={(v) => setS((old) => ({ ...old, [spec.key]: v }))} />
        ))}
      </div>
      {trace && step ? (
        <div className={"mt-4 grid grid-cols-1 gap-4 lg:grid-cols-2 " + (live.running ? "opacity-60" : "")}>
          <div>
            <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">Final probabilities (after every stage), top candidates; the drawn token in amber</p>
            <ProbBars label="Final probabilities, in percent" rows={rows.map((r) => ({ id: r.id, token: r.candidate, p: r.probFinal, highlight: r.chosen }))} />
          </div>
          <SamplingPipeline stages={stages} penalties={penaltyBreakdown(trace, 0)} draw={drawLayout(step, trace.settings)} vocabSize={trace.vocabSize} />
        </div>
      ) : (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Asking the model…</p>
      )}
    </ModelDemoFrame>
  );
}
