"use client";

import { useMemo } from "react";
import { softmax } from "@/lib/llm/sampler";
import { nextTokenHref } from "@/lib/playground/next-token";
import { useLiveRun } from "@/components/playground/use-live-run";
import { formatNats } from "@/lib/inspector/format";
import type { DemoProps } from "./types";
import { ModelDemoFrame, ProbBars } from "./model-demo-frame";
import { useDemoEngine } from "./use-demo-engine";

const TEMPERATURES = [0.1, 1, 2] as const;
/** The API records at most 200 candidates per step: for course-lm they hold nearly all of the
 *  probability at T ≤ 2, and the demo prints exactly how much (at T = 1) so nothing is hidden. */
const CANDIDATES = 200;
const SHOWN = 6;

/**
 * One forward pass, three temperatures: the same step's logits (after penalties — none here)
 * divided by T = 0.1, 1 and 2 and put through the sampler's own softmax. The 200 recorded
 * candidates stand in for the vocabulary; at T = 1 the demo checks how much of the model's
 * probability they hold (shown), so the approximation is visible, not hidden.
 */
export function TemperatureDemo({ prompt = "The capital of France is" }: DemoProps) {
  const engine = useDemoEngine();
  const request = useMemo(() => ({ prompt, settings: { temperature: 1, topK: 0, topP: 1, minP: 0, maxNewTokens: 1 }, candidateCount: CANDIDATES }), [prompt]);
  const live = useLiveRun(engine, request, 0);
  const step = live.trace?.steps[0];
  const charts = useMemo(() => {
    if (!step) return null;
    const top = step.candidates.slice(0, CANDIDATES);
    const logits = top.map((c) => c.logitAfterPenalty);
    // At T = 1 the recorded probAtTemperature are exact over the whole vocabulary: their sum is the recorded share.
    const covered = top.reduce((s, c) => s + c.probAtTemperature, 0);
    return {
      covered,
      rows: TEMPERATURES.map((T) => {
        const p = softmax(logits, T);
        let entropy = 0;
        for (const q of p) if (q > 0) entropy -= q * Math.log(q);
        return { T, entropy, rows: top.slice(0, SHOWN).map((c, i) => ({ id: c.id, token: c, p: p[i] })) };
      }),
    };
  }, [step]);
  return (
    <ModelDemoFrame kind="temperature" title="Temperature side by side" trace={live.trace} running={live.running} error={live.error} href={nextTokenHref({ prompt, temperature: 2 })}>
      <p className="text-sm">
        Prompt: <span className="rounded bg-slate-100 px-1 font-mono dark:bg-slate-800">{prompt}</span> — one forward pass, its logits divided by three temperatures.
      </p>
      {charts ? (
        <>
          <div className="mt-3 grid grid-cols-1 gap-4 md:grid-cols-3">
            {charts.rows.map((c) => (
              <figure key={c.T} data-testid="temperature-chart" data-temperature={c.T}>
                <figcaption className="mb-2 text-sm font-semibold">
                  T = {c.T}{" "}
                  <span className="font-normal text-slate-500 dark:text-slate-400">
                    {c.T < 1 ? "sharper" : c.T > 1 ? "flatter" : "the model's own"} · entropy {formatNats(c.entropy)}
                  </span>
                </figcaption>
                <ProbBars label={`Probabilities at temperature ${c.T}, in percent`} rows={c.rows} max={1} />
              </figure>
            ))}
          </div>
          <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
            softmax(logit ÷ T) over the model&apos;s top {CANDIDATES} tokens, which hold {(charts.covered * 100).toFixed(2)}% of its probability at T = 1. Bars on a 0–100% scale.
          </p>
        </>
      ) : (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Asking the model…</p>
      )}
    </ModelDemoFrame>
  );
}
