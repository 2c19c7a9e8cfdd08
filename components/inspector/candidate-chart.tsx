"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis, type YAxisTickContentProps } from "recharts";

import type { CandidateRow } from "@/lib/inspector/pipeline";
import { formatLogit, formatProb } from "@/lib/inspector/format";
import { visibleText } from "@/lib/inspector/token-display";
import { SERIES, SERIES_VARS } from "./scale";

interface Datum {
  key: string;
  label: string;
  chosen: boolean;
  rank: number;
  probModel: number;
  probAtTemperature: number;
  probFinal: number;
  logit: number;
  logitAfterPenalty: number;
}

const BAR_ROW = 30;

/**
 * The top candidates as horizontal bars, three per token: the model's own probability
 * (softmax of the raw logits, T = 1), after penalties and temperature, and in the final
 * distribution that was sampled from. The chosen token's label is marked ▶ and bold.
 */
export function CandidateChart({ rows, greedy }: { rows: readonly CandidateRow[]; greedy: boolean }) {
  const data: Datum[] = rows.map((r) => ({
    key: String(r.id),
    label: visibleText(r.candidate),
    chosen: r.chosen,
    rank: r.rank,
    probModel: r.probModel,
    probAtTemperature: r.probAtTemperature,
    probFinal: r.probFinal,
    logit: r.logit,
    logitAfterPenalty: r.logitAfterPenalty,
  }));
  const max = Math.max(0.05, ...data.flatMap((d) => [d.probModel, d.probAtTemperature, d.probFinal]));
  const height = data.length * BAR_ROW + 36;
  const chosen = data.find((d) => d.chosen);

  return (
    <figure className={"w-full " + SERIES_VARS}>
      <div
        role="img"
        aria-label={`Bar chart of the top ${data.length} candidates' probabilities: model, after temperature, and final. ${chosen ? `The chosen token “${chosen.label}” has ${formatProb(chosen.probModel)}, ${formatProb(chosen.probAtTemperature)} and ${formatProb(chosen.probFinal)}.` : ""} The table lists every value.`}
        style={{ height }}
      >
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 480, height }}>
          <BarChart accessibilityLayer={false} data={data} layout="vertical" margin={{ top: 4, right: 12, bottom: 4, left: 4 }} barCategoryGap={5} barGap={1}>
            <CartesianGrid horizontal={false} stroke="var(--s-grid)" />
            <XAxis
              type="number"
              domain={[0, Math.min(1, Math.ceil(max * 10) / 10)]}
              tickFormatter={(v: number) => `${Number((v * 100).toFixed(1))}%`}
              tick={{ fontSize: 11, fill: "var(--s-axis)" }}
              stroke="var(--s-grid)"
            />
            <YAxis
              type="category"
              dataKey="key"
              width={96}
              interval={0}
              tickLine={false}
              stroke="var(--s-grid)"
              tick={({ x, y, payload }: YAxisTickContentProps) => {
                const d = data[payload.index];
                if (!d) return null;
                const text = d.label.length > 11 ? d.label.slice(0, 10) + "…" : d.label;
                return (
                  <text
                    x={Number(x) - 4}
                    y={y}
                    dy={4}
                    textAnchor="end"
                    fontSize={12}
                    fontFamily="var(--font-mono)"
                    fontWeight={d.chosen ? 700 : 400}
                    fill={d.chosen ? "var(--s-temp)" : "var(--s-axis)"}
                  >
                    {d.chosen ? "▶ " : ""}
                    {text}
                  </text>
                );
              }}
            />
            <Tooltip
              cursor={{ fill: "var(--s-grid)", opacity: 0.6 }}
              content={({ active, payload }) => {
                const d = active ? (payload?.[0]?.payload as Datum | undefined) : undefined;
                if (!d) return null;
                return (
                  <div className="rounded-md border border-slate-200 bg-white px-2.5 py-2 text-xs shadow-lg dark:border-slate-700 dark:bg-slate-900">
                    <p className="mb-1 font-mono font-semibold">
                      {d.label} <span className="font-sans font-normal text-slate-500">· rank {d.rank + 1}</span>
                      {d.chosen && <span className="ml-1 font-sans text-brand-600 dark:text-brand-400">chosen</span>}
                    </p>
                    <p>
                      {SERIES.model.label}: {formatProb(d.probModel)}
                    </p>
                    <p>
                      {SERIES.temp.label}: {formatProb(d.probAtTemperature)}
                    </p>
                    <p>
                      {SERIES.final.label}: {formatProb(d.probFinal)}
                    </p>
                    <p className="mt-1 text-slate-500 dark:text-slate-400">
                      logit {formatLogit(d.logit)}
                      {d.logit !== d.logitAfterPenalty ? ` → ${formatLogit(d.logitAfterPenalty)}` : ""}
                    </p>
                  </div>
                );
              }}
            />
            <Bar dataKey="probModel" name={SERIES.model.label} fill={SERIES.model.fill} isAnimationActive={false} radius={[0, 2, 2, 0]} />
            <Bar dataKey="probAtTemperature" name={SERIES.temp.label} fill={SERIES.temp.fill} isAnimationActive={false} radius={[0, 2, 2, 0]} />
            <Bar dataKey="probFinal" name={SERIES.final.label} fill={SERIES.final.fill} isAnimationActive={false} radius={[0, 2, 2, 0]} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
        {(["model", "temp", "final"] as const).map((k) => (
          <span key={k} className="inline-flex items-center gap-1.5">
            <span aria-hidden className={"inline-block size-2.5 rounded-sm " + SERIES[k].swatch} />
            {k === "temp" && greedy ? "Greedy: one-hot at the argmax" : SERIES[k].label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
