"use client";

import { useMemo, useState } from "react";
import { AttentionView } from "@/components/inspector/inside-model";
import { useLiveRun } from "@/components/playground/use-live-run";
import { labInputClass } from "@/components/playground/model-bar";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { IndexOrMean } from "@/lib/inspector/internals";
import { visibleText } from "@/lib/inspector/token-display";
import { nextTokenHref } from "@/lib/playground/next-token";
import type { DemoProps } from "./types";
import { ModelDemoFrame } from "./model-demo-frame";
import { useDemoEngine } from "./use-demo-engine";

const ONE_GREEDY_TOKEN = { greedy: true, maxNewTokens: 1 } as const;

/**
 * Real attention in course-lm: for an editable text, the attention of its last token — the one
 * whose output decides the next token — over every token before it, per layer and head or
 * averaged, and each layer's guess at the next token (the logit lens).
 */
export function AttentionLiveDemo({ prompt: initial = "The cat sat on the mat because the cat" }: DemoProps) {
  const [prompt, setPrompt] = useState(initial);
  const [layer, setLayer] = useState<IndexOrMean>("mean");
  const [head, setHead] = useState<IndexOrMean>("mean");
  const hydrated = useHydrated();
  const engine = useDemoEngine();
  const request = useMemo(() => (prompt ? { prompt, settings: ONE_GREEDY_TOKEN, internals: true } : null), [prompt]);
  const live = useLiveRun(engine, request, 350);
  const trace = live.trace;
  const step = trace?.steps[0];
  return (
    <ModelDemoFrame kind="attention-live" title="Attention inside course-lm" trace={trace} running={live.running} error={live.error} href={nextTokenHref({ prompt })}>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Text
        <input className={`${labInputClass} font-mono`} value={prompt} readOnly={!hydrated} maxLength={300} onChange={(e) => setPrompt(e.target.value)} />
      </label>
      {trace && step?.attention ? (
        <div className={"mt-3 space-y-3 text-sm " + (live.running ? "opacity-60" : "")}>
          <AttentionView trace={trace} selected={0} layer={layer} head={head} onLayer={setLayer} onHead={setHead} />
          {step.logitLens && (
            <p data-testid="lens-line">
              Each layer&apos;s guess at the next token:{" "}
              {step.logitLens.map((entries, i) => (
                <span key={i}>
                  {i > 0 && " → "}
                  <code>{visibleText(entries[0]!)}</code> ({Math.round(entries[0]!.prob * 100)} %)
                </span>
              ))}
              {" "}(the last is the model&apos;s own prediction).
            </p>
          )}
        </div>
      ) : (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">{prompt ? "Asking the model…" : "Type some text."}</p>
      )}
    </ModelDemoFrame>
  );
}
