"use client";

import { useMemo, useState } from "react";
import { candidateRows } from "@/lib/inspector/pipeline";
import { findRepetitionLoop } from "@/lib/playground/greedy";
import { liveStep, nextTokenHref } from "@/lib/playground/next-token";
import { useLiveRun } from "@/components/playground/use-live-run";
import type { DemoProps } from "./types";
import { ModelDemoFrame, ProbBars, Tok } from "./model-demo-frame";
import { useDemoEngine } from "./use-demo-engine";
import { Button } from "@/components/ui/button";

const GREEDY = { greedy: true, temperature: 0 } as const;
const MAX_STEPS = 60;

/**
 * Greedy decoding one token at a time: each step shows the argmax and the runners-up, the
 * step's token is appended, and a repetition loop — greedy's classic failure — is
 * highlighted when the text falls into one.
 */
export function GreedyStepperDemo({ prompt = "Once upon a time" }: DemoProps) {
  const [ids, setIds] = useState<number[]>([]);
  const engine = useDemoEngine();
  const request = useMemo(() => ({ prompt, settings: { ...GREEDY, maxNewTokens: ids.length + 1 }, forcedTokens: ids, candidateCount: 5 }), [prompt, ids]);
  const live = useLiveRun(engine, request, 0);
  const fresh = live.trace !== null && live.traceKey === live.key;
  const trace = fresh ? live.trace : null;
  const next = trace ? liveStep(trace.steps, ids.length) : null;
  const loop = findRepetitionLoop(ids);
  const steps = trace?.steps.slice(0, ids.length) ?? live.trace?.steps.slice(0, ids.length) ?? [];

  return (
    <ModelDemoFrame
      kind="greedy-stepper"
      title="Greedy decoding stepper"
      trace={live.trace}
      running={live.running}
      error={live.error}
      href={nextTokenHref({ prompt, temperature: 0, chosen: ids })}
    >
      <p className="rounded-lg bg-slate-50 p-3 font-mono text-sm leading-7 dark:bg-slate-900" data-testid="greedy-text">
        <span className="whitespace-pre-wrap">{prompt}</span>
        {steps.map((s, i) => (
          <Tok
            key={i}
            token={s}
            className={"mx-px " + (loop && i >= loop.start ? "bg-rose-100 ring-1 ring-rose-400 dark:bg-rose-500/20" : "bg-brand-100 dark:bg-brand-500/20")}
          />
        ))}
      </p>
      {loop && (
        <p className="mt-2 text-sm text-rose-700 dark:text-rose-300" role="status" data-testid="greedy-loop">
          Repetition loop: the last {loop.period === 1 ? "token" : `${loop.period} tokens`} repeat{loop.period === 1 ? "s" : ""} {loop.repeats} times. Greedy always takes the
          argmax, so once the text comes back to the same state it goes round again.
        </p>
      )}
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <Button
          type="button"
          disabled={!next || ids.length >= MAX_STEPS}
          onClick={() => next && setIds((x) => [...x, next.tokenId])}
          variant="primary"
        >
          Step: append the argmax
        </Button>
        <Button
          type="button"
          disabled={ids.length === 0}
          onClick={() => setIds([])}
          variant="secondary"
        >
          Start over
        </Button>
        <span className="text-xs text-slate-500 dark:text-slate-400">{ids.length} generated</span>
      </div>
      {next ? (
        <div className="mt-3">
          <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">Next step: the argmax (amber) and the runners-up, probability at T = 1</p>
          <ProbBars label="Argmax and runners-up" rows={candidateRows(next).slice(0, 5).map((r) => ({ id: r.id, token: r.candidate, p: r.probModel, highlight: r.chosen }))} />
        </div>
      ) : trace ? (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">The model ended the text here.</p>
      ) : (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Asking the model…</p>
      )}
    </ModelDemoFrame>
  );
}
