"use client";

import katex from "katex";
import { useMemo } from "react";
import { formatBits, formatNats, formatPerplexity, formatProb } from "@/lib/inspector/format";
import { textStats } from "@/lib/playground/perplexity";
import { perplexityHref } from "@/lib/playground/perplexity-state";
import { useLiveScore } from "@/components/playground/perplexity/use-live-score";
import type { DemoProps } from "./types";
import { ModelDemoFrame, Tok } from "./model-demo-frame";
import { useDemoEngine } from "./use-demo-engine";

// A fixed formula (no user input), rendered once.
const FORMULA = katex.renderToString(String.raw`H = -\frac{1}{N}\sum_{i=1}^{N} \ln p(x_i \mid x_{<i}), \qquad \mathrm{PPL} = e^{H}`, { throwOnError: false });

/** The text prop scored by the model: each token's −ln p, their average (the cross-entropy) and the perplexity. */
export function CrossEntropyDemo({ text = "The cat sat on the mat." }: DemoProps) {
  const engine = useDemoEngine();
  const live = useLiveScore(engine, text, 0);
  const stats = useMemo(() => (live.result ? textStats(live.result.trace.steps, 1) : null), [live.result]);
  return (
    <ModelDemoFrame kind="cross-entropy" title="Cross-entropy of a real prediction" trace={live.result?.trace ?? null} running={live.running} error={live.error} href={perplexityHref({ text })}>
      <div className="overflow-x-auto text-sm" dangerouslySetInnerHTML={{ __html: FORMULA }} />
      {live.result && stats ? (
        <>
          <div className="mt-3 overflow-x-auto">
            <table className="w-full min-w-[20rem] border-collapse text-left text-sm tabular-nums" data-testid="ce-table">
              <caption className="sr-only">Each token&apos;s probability and surprise</caption>
              <thead className="text-[11px] uppercase tracking-wide text-slate-500 dark:text-slate-400">
                <tr>
                  <th scope="col" className="py-1 pr-2">i</th>
                  <th scope="col" className="py-1 pr-2">Token x_i</th>
                  <th scope="col" className="py-1 pr-2 text-right">p(x_i | before)</th>
                  <th scope="col" className="py-1 text-right">−ln p (nats)</th>
                </tr>
              </thead>
              <tbody>
                <tr className="border-t border-slate-100 text-slate-500 dark:border-slate-800">
                  <td className="py-1 pr-2">0</td>
                  <td className="py-1 pr-2">{live.result.trace.prompt.tokens.map((t, k) => <Tok key={k} token={t} />)}</td>
                  <td colSpan={2} className="py-1 text-right text-xs">context only (nothing before it)</td>
                </tr>
                {stats.tokens.map((t) => (
                  <tr key={t.index} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="py-1 pr-2">{t.index + 1}</td>
                    <td className="py-1 pr-2">
                      <Tok token={t.token} />
                    </td>
                    <td className="py-1 pr-2 text-right">{formatProb(t.p)}</td>
                    <td className="py-1 text-right">{t.nats.toFixed(2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-3 text-sm" data-testid="ce-mean">
            Average over N = {stats.tokens.length} tokens: <strong>H = {stats.crossEntropyNats === null ? "—" : formatNats(stats.crossEntropyNats)}</strong>
            {stats.crossEntropyNats !== null && ` (${formatBits(stats.crossEntropyNats)})`} per token, so perplexity = e^H ={" "}
            <strong>{formatPerplexity(stats.perplexity)}</strong>.
          </p>
        </>
      ) : (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Scoring the text…</p>
      )}
    </ModelDemoFrame>
  );
}
