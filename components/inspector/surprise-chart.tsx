"use client";

import { useMemo } from "react";
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Trace } from "@/lib/llm/trace";
import { probBucket } from "@/lib/inspector/color-scale";
import { formatBits, formatNats, formatPerplexity, formatProb } from "@/lib/inspector/format";
import { describeSurprise, surpriseSummary, type SurpriseRow } from "@/lib/inspector/surprise";
import { spokenText, visibleText } from "@/lib/inspector/token-display";
import { BUCKET_CLASSES, BUCKET_FILL_VARS, bucketFill, SERIES_VARS } from "./scale";
import { TokenGlyphs } from "./token";

export interface SurpriseChartProps {
  trace: Pick<Trace, "steps">;
  /** The selected step, outlined in the chart. */
  selected?: number | null;
  /** Given, clicking a bar or a listed token selects that step. */
  onSelect?: (stepIndex: number) => void;
  /** How many of the most surprising tokens to list (default 5). */
  topN?: number;
}

/**
 * Per-token surprise, −log p under the model (T = 1), as a bar per reply token, with the
 * reply's cross-entropy (mean surprise) as a line, its perplexity, and the most surprising
 * tokens listed.
 */
export function SurpriseChart({ trace, selected = null, onSelect, topN = 5 }: SurpriseChartProps) {
  const summary = useMemo(() => surpriseSummary(trace, topN), [trace, topN]);
  const { rows } = summary;
  if (rows.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">No reply tokens, so no surprise to show.</p>;
  }
  const data = rows.map((r) => ({ ...r, label: visibleText(r.token) }));
  const mean = summary.crossEntropyNats ?? 0;

  return (
    <div className={"space-y-4 " + SERIES_VARS + " " + BUCKET_FILL_VARS}>
      <dl className="grid grid-cols-2 gap-2 @xl:grid-cols-4">
        <Figure label="Cross-entropy" value={formatNats(mean)} hint={`${formatBits(mean)} per token`} />
        <Figure label="Perplexity" value={formatPerplexity(summary.perplexity)} hint="exp(cross-entropy)" />
        <Figure label="Total surprise" value={formatNats(summary.totalNats)} hint={`−log p(reply) · ${formatBits(summary.totalNats)}`} />
        <Figure label="Tokens" value={String(rows.length)} hint="scored at T = 1" />
      </dl>

      <figure>
        <div role="img" aria-label={`Bar chart of per-token surprise. ${describeSurprise(summary)}`} className="h-56 w-full">
          <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 640, height: 224 }}>
            <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 4, left: 0 }} barCategoryGap={1}>
              <CartesianGrid vertical={false} stroke="var(--s-grid)" />
              <XAxis
                dataKey="index"
                tickFormatter={(i: number) => String(i + 1)}
                tick={{ fontSize: 11, fill: "var(--s-axis)" }}
                stroke="var(--s-grid)"
                minTickGap={12}
              />
              <YAxis width={36} tick={{ fontSize: 11, fill: "var(--s-axis)" }} stroke="var(--s-grid)" tickFormatter={(v: number) => v.toFixed(0)} />
              <ReferenceLine y={mean} stroke="var(--s-temp)" strokeDasharray="4 3" strokeWidth={1.5} />
              <Tooltip
                cursor={{ fill: "var(--s-grid)", opacity: 0.6 }}
                content={({ active, payload }) => {
                  const d = active ? (payload?.[0]?.payload as (SurpriseRow & { label: string }) | undefined) : undefined;
                  if (!d) return null;
                  return (
                    <div className="rounded-md border border-slate-200 bg-white px-2.5 py-2 text-xs shadow-lg dark:border-slate-700 dark:bg-slate-900">
                      <p className="font-semibold">
                        Step {d.index + 1} · <span className="font-mono">{d.label}</span>
                      </p>
                      <p>
                        {formatNats(d.nats)} · {formatBits(d.nats)}
                      </p>
                      <p className="text-slate-500 dark:text-slate-400">p = {formatProb(d.p)}</p>
                    </div>
                  );
                }}
              />
              <Bar
                dataKey="nats"
                name="Surprise (nats)"
                isAnimationActive={false}
                radius={[2, 2, 0, 0]}
                onClick={onSelect ? (_: unknown, i: number) => onSelect(i) : undefined}
                cursor={onSelect ? "pointer" : undefined}
              >
                {data.map((d) => (
                  <Cell
                    key={d.index}
                    fill={bucketFill(probBucket(d.p).index)}
                    stroke={selected === d.index ? "var(--s-temp)" : undefined}
                    strokeWidth={selected === d.index ? 2 : 0}
                  />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
        <figcaption className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          Surprise −log p of each reply token (nats; 1 nat = {formatBits(1)}), coloured like the reply. The dashed line is their mean, {formatNats(mean)}: the cross-entropy. Click a bar to inspect that step.
        </figcaption>
      </figure>

      <div>
        <h4 className="mb-2 text-sm font-semibold">Most surprising tokens</h4>
        <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {summary.mostSurprising.map((r) => {
            const content = (
              <>
                <span className="w-14 shrink-0 text-xs text-slate-500 tabular-nums dark:text-slate-400">step {r.index + 1}</span>
                <span aria-hidden className={"rounded px-1.5 font-mono text-[13px] whitespace-pre " + BUCKET_CLASSES[probBucket(r.p).index]}>
                  <TokenGlyphs token={r.token} />
                </span>
                <span className="sr-only">{spokenText(r.token)}</span>
                <span className="ml-auto text-right text-xs tabular-nums">
                  <strong className="font-semibold">{formatNats(r.nats)}</strong>
                  <span className="text-slate-500 dark:text-slate-400"> · {formatBits(r.nats)} · p = {formatProb(r.p)}</span>
                </span>
              </>
            );
            return (
              <li key={r.index}>
                {onSelect ? (
                  <button
                    type="button"
                    onClick={() => onSelect(r.index)}
                    aria-current={selected === r.index ? "step" : undefined}
                    className="flex w-full items-center gap-3 px-3 py-1.5 text-left hover:bg-slate-50 aria-[current=step]:bg-brand-50 dark:hover:bg-slate-800/60 dark:aria-[current=step]:bg-brand-500/10"
                  >
                    {content}
                  </button>
                ) : (
                  <div className="flex items-center gap-3 px-3 py-1.5">{content}</div>
                )}
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}

function Figure({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900/60">
      <dt className="text-[11px] font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold tabular-nums">{value}</dd>
      <dd className="text-xs text-slate-500 dark:text-slate-400">{hint}</dd>
    </div>
  );
}
