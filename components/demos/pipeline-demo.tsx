"use client";

import { useEffect, useMemo, useState } from "react";
import { candidateRows } from "@/lib/inspector/pipeline";
import { formatLogit } from "@/lib/inspector/format";
import { nextTokenHref } from "@/lib/playground/next-token";
import { useLiveRun } from "@/components/playground/use-live-run";
import type { DemoProps } from "./types";
import { ModelDemoFrame, ProbBars, Tok } from "./model-demo-frame";
import type { EmbeddingMatrix } from "@/lib/embeddings/matrix";
import { embeddingRow, loadEmbeddings } from "./embedding-rows";
import { useDemoEngine } from "./use-demo-engine";
import { Button } from "@/components/ui/button";

const STAGES = ["Text", "Tokens", "Embeddings", "Logits", "Probabilities", "Sampled token"] as const;
const DIMS = 6;
const SETTINGS = { temperature: 1, topK: 0, topP: 1, minP: 0, seed: 0, maxNewTokens: 1 } as const;

/**
 * The whole pipeline for one prompt, one stage at a time: text → token ids → embedding
 * vectors (the first numbers of each row of course-lm's embedding matrix) → the logits of
 * the next token → probabilities (softmax) → the token the seeded draw picks.
 */
export function PipelineDemo({ prompt = "Hello, how are" }: DemoProps) {
  const [stage, setStage] = useState(0);
  const engine = useDemoEngine();
  const request = useMemo(() => ({ prompt, settings: SETTINGS, candidateCount: 8 }), [prompt]);
  const live = useLiveRun(engine, request, 0);
  const trace = live.trace;
  const step = trace?.steps[0];
  const rows = step ? candidateRows(step).slice(0, 6) : [];
  const [matrix, setMatrix] = useState<EmbeddingMatrix | null>(null);
  const [embError, setEmbError] = useState<string | null>(null);
  useEffect(() => {
    if (stage === 2 && !matrix) loadEmbeddings().then(setMatrix, (e: Error) => setEmbError(e.message));
  }, [stage, matrix]);

  return (
    <ModelDemoFrame kind="pipeline" title="The full pipeline, step by step" trace={trace} running={live.running} error={live.error} href={nextTokenHref({ prompt })}>
      <ol className="flex flex-wrap gap-1 text-xs" aria-label="Stages">
        {STAGES.map((s, i) => (
          <li key={s}>
            <button
              type="button"
              aria-current={i === stage ? "step" : undefined}
              onClick={() => setStage(i)}
              className={"rounded-full px-2.5 py-1 font-medium " + (i === stage ? "bg-brand-600 text-white" : "bg-slate-100 text-slate-700 hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-300")}
            >
              {i + 1}. {s}
            </button>
          </li>
        ))}
      </ol>
      <div className="mt-3 min-h-32" aria-live="polite" data-testid="pipeline-stage" data-stage={STAGES[stage]}>
        {!trace || !step ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Asking the model…</p>
        ) : stage === 0 ? (
          <p className="text-sm">
            The input is plain text: <span className="rounded bg-slate-100 px-1 font-mono dark:bg-slate-800">{prompt}</span>
          </p>
        ) : stage === 1 ? (
          <div className="text-sm">
            <p>The tokenizer cuts it into {trace.prompt.tokens.length} tokens; the model only ever sees their ids.</p>
            <ul className="mt-2 flex flex-wrap gap-1.5">
              {trace.prompt.tokens.map((t, i) => (
                <li key={i} className="flex flex-col items-center">
                  <Tok token={t} />
                  <span className="text-[11px] tabular-nums text-slate-500">{t.id}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : stage === 2 ? (
          <div className="text-sm">
            <p>Each id selects one row of the embedding matrix: a vector of {matrix ? matrix.dim : "many"} numbers. The first {DIMS}:</p>
            {embError ? (
              <p className="mt-2 text-red-600 dark:text-red-400">The embedding matrix could not load: {embError}</p>
            ) : !matrix ? (
              <p className="mt-2 text-slate-600 dark:text-slate-400">Loading the embedding matrix…</p>
            ) : (
              <div className="mt-2 overflow-x-auto">
                <table className="border-collapse text-xs tabular-nums">
                  <caption className="sr-only">First {DIMS} embedding dimensions per token</caption>
                  <tbody>
                    {trace.prompt.tokens.map((t, i) => (
                      <tr key={i}>
                        <th scope="row" className="py-0.5 pr-3 text-left font-normal">
                          <Tok token={t} />
                        </th>
                        {(embeddingRow(matrix, t.id, DIMS) ?? []).map((x, d) => (
                          <td key={d} className="px-1.5 py-0.5 text-right font-mono">
                            {formatLogit(x)}
                          </td>
                        ))}
                        <td className="pl-1 text-slate-400">…</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">The transformer layers then mix these vectors, each position attending to the ones before it.</p>
          </div>
        ) : stage === 3 ? (
          <div className="text-sm">
            <p>The last position&apos;s vector becomes one score (logit) per vocabulary token — {trace.vocabSize.toLocaleString("en-US")} of them. The highest:</p>
            <ul className="mt-2 grid grid-cols-1 gap-1 font-mono text-xs">
              {rows.map((r) => (
                <li key={r.id} className="flex gap-3">
                  <Tok token={r.candidate} className="w-24" />
                  <span className="tabular-nums">logit {formatLogit(r.logit)}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : stage === 4 ? (
          <div className="text-sm">
            <p className="mb-2">Softmax turns the logits into probabilities that sum to 1 (T = 1):</p>
            <ProbBars label="Next-token probabilities, in percent" rows={rows.map((r) => ({ id: r.id, token: r.candidate, p: r.probModel }))} />
          </div>
        ) : (
          <div className="text-sm">
            <p>
              A uniform random number u = {step.u === null ? "—" : step.u.toFixed(4)} (seed 0) lands on <Tok token={step} className="font-semibold ring-1 ring-amber-500" />, token id {step.tokenId}, ranked{" "}
              {step.rank + 1} by logit. Append it to the text and the whole pipeline runs again for the next token.
            </p>
          </div>
        )}
      </div>
      <div className="mt-3 flex gap-2">
        <Button type="button" disabled={stage === 0} onClick={() => setStage((s) => s - 1)} variant="secondary" size="sm">
          ← Back
        </Button>
        <Button
          type="button"
          disabled={stage === STAGES.length - 1}
          onClick={() => setStage((s) => s + 1)}
          variant="primary"
          size="sm"
        >
          Next stage →
        </Button>
      </div>
    </ModelDemoFrame>
  );
}
