"use client";

import { useMemo, useState } from "react";
import { candidateRows } from "@/lib/inspector/pipeline";
import { formatLogit, formatProb } from "@/lib/inspector/format";
import { nextTokenHref } from "@/lib/playground/next-token";
import { useLiveRun } from "@/components/playground/use-live-run";
import { labInputClass } from "@/components/playground/model-bar";
import type { DemoProps } from "./types";
import { ModelDemoFrame, ProbBars } from "./model-demo-frame";
import { useDemoEngine } from "./use-demo-engine";
import { useHydrated } from "@/components/ui/use-hydrated";

const MODEL_OWN = { temperature: 1, topK: 0, topP: 1, minP: 0, maxNewTokens: 1 } as const;

/** The model's distribution over the next token for an editable prompt: the top 10, with logits. */
export function NextTokenDemo({ prompt: initial = "The capital of France is" }: DemoProps) {
  const [prompt, setPrompt] = useState(initial);
  const hydrated = useHydrated();
  const engine = useDemoEngine();
  const request = useMemo(() => (prompt ? { prompt, settings: MODEL_OWN, candidateCount: 10 } : null), [prompt]);
  const live = useLiveRun(engine, request, 350);
  const step = live.trace?.steps[0];
  const rows = step ? candidateRows(step).slice(0, 10) : [];
  const rest = 1 - rows.reduce((s, r) => s + r.probModel, 0);
  return (
    <ModelDemoFrame kind="next-token" title="Next-token distribution" trace={live.trace} running={live.running} error={live.error} href={nextTokenHref({ prompt })}>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Prompt
        <input className={`${labInputClass} font-mono`} value={prompt} readOnly={!hydrated} maxLength={300} onChange={(e) => setPrompt(e.target.value)} />
      </label>
      {rows.length > 0 ? (
        <div className={"mt-3 " + (live.running ? "opacity-60" : "")}>
          <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">The 10 most likely next tokens: probability (T = 1) and raw logit</p>
          <ProbBars label="Most likely next tokens" rows={rows.map((r) => ({ id: r.id, token: r.candidate, p: r.probModel, detail: `logit ${formatLogit(r.logit)}` }))} />
          <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
            The other {(live.trace!.vocabSize - rows.length).toLocaleString("en-US")} tokens share {formatProb(Math.max(0, rest))}.
          </p>
        </div>
      ) : (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">{prompt ? "Asking the model…" : "Type a prompt."}</p>
      )}
    </ModelDemoFrame>
  );
}
