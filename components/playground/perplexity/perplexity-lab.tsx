"use client";

import { useMemo } from "react";
import { formatBits, formatNats, formatPerplexity, formatProb } from "@/lib/inspector/format";
import { visibleText } from "@/lib/inspector/token-display";
import { describeRun } from "@/lib/playground/lab-engine";
import { compareTexts, textStats, topSurprises, type TextStats } from "@/lib/playground/perplexity";
import { perplexitySpec } from "@/lib/playground/perplexity-state";
import type { ScoreResult } from "@/lib/llm/score";
import { TokenGlyphs } from "@/components/inspector/token";
import { labInputClass, ModelBar } from "../model-bar";
import { useLabEngine, type LabEngine } from "../use-lab-engine";
import { useUrlState } from "../use-url-state";
import { SurpriseHeatmap } from "./surprise-heatmap";
import { useLiveScore } from "./use-live-score";
import { useHydrated } from "@/components/ui/use-hydrated";

/**
 * The perplexity meter: how surprised the model is by each token of a text, the mean
 * cross-entropy and the perplexity, the most surprising tokens with what the model expected,
 * and two texts side by side.
 */
export function PerplexityLab() {
  const [state, update] = useUrlState(perplexitySpec);
  const engine = useLabEngine({ backend: state.backend, model: state.model });
  const a = useLiveScore(engine, state.text);
  const b = useLiveScore(engine, state.compare ? state.textB : "");
  const statsA = useMemo(() => (a.result ? textStats(a.result.trace.steps) : null), [a.result]);
  const statsB = useMemo(() => (state.compare && b.result ? textStats(b.result.trace.steps) : null), [state.compare, b.result]);
  const comparison = statsA && statsB ? compareTexts(statsA, statsB) : null;

  return (
    <div className="grid grid-cols-1 gap-6">
      <ModelBar engine={engine} onChange={(t) => update({ backend: t.backend, model: t.model })} />
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" checked={state.compare} onChange={(e) => update({ compare: e.target.checked })} />
        Compare two texts side by side
      </label>
      {comparison && (
        <p className="rounded-xl border border-brand-300 bg-brand-50 px-4 py-3 text-sm dark:border-brand-500/40 dark:bg-brand-500/10" data-testid="ppl-comparison" aria-live="polite">
          {comparison.moreNatural === "tie"
            ? "The model finds both texts equally natural."
            : `The model finds text ${comparison.moreNatural.toUpperCase()} more natural: its perplexity is ${(comparison.moreNatural === "a" ? 1 / comparison.ratio : comparison.ratio).toFixed(2)}× lower (${formatNats(Math.abs(comparison.differenceNats))}, ${formatBits(Math.abs(comparison.differenceNats))} less surprise per token).`}
        </p>
      )}
      <div className={state.compare ? "grid grid-cols-1 gap-6 lg:grid-cols-2" : "grid grid-cols-1 gap-6"}>
        <TextPanel
          name={state.compare ? "Text A" : "Text"}
          text={state.text}
          onText={(text) => update({ text })}
          live={a}
          stats={statsA}
          engine={engine}
        />
        {state.compare && <TextPanel name="Text B" text={state.textB} onText={(textB) => update({ textB })} live={b} stats={statsB} engine={engine} />}
      </div>
    </div>
  );
}

function TextPanel({
  name,
  text,
  onText,
  live,
  stats,
  engine,
}: {
  name: string;
  text: string;
  onText: (text: string) => void;
  live: { result: ScoreResult | null; running: boolean; error: string | null; scoredText: string | null };
  stats: TextStats | null;
  engine: LabEngine;
}) {
  const hydrated = useHydrated();
  const result = live.result;
  const stale = live.running || live.scoredText !== text;
  return (
    <section aria-label={name} data-testid="ppl-panel" className="min-w-0 rounded-2xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
      <label className="flex flex-col gap-1.5 text-sm font-medium">
        {name}
        <textarea className={`${labInputClass} min-h-24 font-mono`} value={text} readOnly={!hydrated} maxLength={4000} onChange={(e) => onText(e.target.value)} />
      </label>
      {text.trim().length === 0 && <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Paste or type some text to measure.</p>}
      {live.error && (
        <p role="alert" className="mt-3 text-sm text-red-600 dark:text-red-400">
          {live.error}
        </p>
      )}
      {!result && text.trim().length > 0 && !live.error && (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
          {engine.target.backend === "browser" && engine.browser.phase !== "ready" ? "Waiting for the model to load in your browser…" : "Measuring…"}
        </p>
      )}
      {result && stats && text.trim().length > 0 && (
        <div className={"mt-4 grid grid-cols-1 gap-4 transition-opacity " + (stale ? "opacity-60" : "")} aria-busy={stale}>
          <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            <Stat label="Perplexity" value={formatPerplexity(stats.perplexity)} hint="e^(cross-entropy)" testId="ppl-perplexity" />
            <Stat label="Cross-entropy" value={stats.crossEntropyNats === null ? "—" : formatNats(stats.crossEntropyNats)} hint={stats.crossEntropyNats === null ? undefined : `${formatBits(stats.crossEntropyNats)} per token`} />
            <Stat label="Tokens scored" value={String(result.scoredTokens)} hint={`of ${result.totalTokens}; the first is context`} />
            <Stat label="Total surprise" value={formatNats(stats.totalNats)} hint={formatBits(stats.totalNats)} />
          </dl>
          {result.truncated && (
            <p className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-100" data-testid="ppl-truncated">
              Long text: only the first {result.maxTokens} of its {result.totalTokens} tokens were measured (one pass of the model scores at most {result.maxTokens}).
            </p>
          )}
          <SurpriseHeatmap first={result.trace.prompt.tokens} tokens={stats.tokens} label={`${name}, coloured by surprise`} />
          <TopSurprises stats={stats} />
          <p className="text-xs text-slate-500 dark:text-slate-400">{describeRun(result.trace)}</p>
        </div>
      )}
    </section>
  );
}

function TopSurprises({ stats }: { stats: TextStats }) {
  const top = topSurprises(stats.tokens, 5);
  if (top.length === 0) return null;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[22rem] border-collapse text-left text-xs tabular-nums" data-testid="ppl-top">
        <caption className="mb-1 text-left text-sm font-semibold">The 5 most surprising tokens</caption>
        <thead className="text-[11px] uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" className="py-1 pr-2">
              Token
            </th>
            <th scope="col" className="py-1 pr-2 text-right">
              Surprise
            </th>
            <th scope="col" className="py-1 pr-2 text-right">
              p
            </th>
            <th scope="col" className="py-1">
              The model expected
            </th>
          </tr>
        </thead>
        <tbody>
          {top.map((t) => (
            <tr key={t.index} className="border-t border-slate-100 align-top dark:border-slate-800">
              <th scope="row" className="py-1 pr-2 font-mono text-[13px] font-normal">
                <span className="whitespace-pre">
                  <TokenGlyphs token={t.token} />
                </span>
              </th>
              <td className="py-1 pr-2 text-right">
                {formatNats(t.nats)}
                <span className="block text-slate-500 dark:text-slate-400">{formatBits(t.nats)}</span>
              </td>
              <td className="py-1 pr-2 text-right">{formatProb(t.p)}</td>
              <td className="py-1">
                {t.expected.length === 0
                  ? "—"
                  : t.expected.map((e, i) => (
                      <span key={e.id} className="mr-2 inline-block">
                        <span className="rounded bg-slate-100 px-1 font-mono dark:bg-slate-800">{visibleText(e)}</span> {formatProb(e.p)}
                        {i < t.expected.length - 1 ? "," : ""}
                      </span>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900/60">
      <dt className="text-[11px] font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="mt-0.5 font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {hint && <dd className="text-xs text-slate-500 dark:text-slate-400">{hint}</dd>}
    </div>
  );
}
