"use client";

import { useState } from "react";
import { CartesianGrid, ComposedChart, Label, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import type { TrainingCurve } from "@/lib/course/training-log";

type Axis = "step" | "tokens";

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** Loss (per-step training loss, validation points) and the learning-rate schedule, on steps or tokens seen. */
export function TrainingCurveCharts({ curve }: { curve: TrainingCurve }) {
  const [axis, setAxis] = useState<Axis>("step");
  const xLabel = axis === "step" ? "Optimizer step" : "Tokens seen";
  const tick = (v: number) => (axis === "step" ? String(v) : compact.format(v));
  const lossData = curve.steps.map((s) => ({ x: axis === "step" ? s.step : s.tokens, loss: s.loss }));
  const valData = curve.evals.map((e) => ({ x: axis === "step" ? e.step : e.tokens, val: e.valLoss }));
  const lrData = curve.steps.map((s) => ({ x: axis === "step" ? s.step : s.tokens, lr: s.lr }));
  const warmupX = axis === "step" ? curve.warmupSteps : curve.steps.find((s) => s.step === curve.warmupSteps)?.tokens;

  return (
    <div className="mt-3">
      <fieldset className="flex flex-wrap items-center gap-3 text-sm">
        <legend className="sr-only">X axis</legend>
        <span className="font-medium">X axis:</span>
        {(["step", "tokens"] as const).map((a) => (
          <label key={a} className="flex items-center gap-1.5">
            <input type="radio" name="training-curve-axis" checked={axis === a} onChange={() => setAxis(a)} />
            {a === "step" ? "steps" : "tokens seen"}
          </label>
        ))}
      </fieldset>
      <h3 className="mt-3 text-sm font-semibold">Loss</h3>
      <div className="h-64 w-full" role="img" aria-label={`Training loss per step falling from ${curve.steps[0].loss.toFixed(2)} to ${curve.steps.at(-1)!.loss.toFixed(2)}, with ${curve.evals.length} validation points ending at ${curve.final.valLoss.toFixed(3)}.`} data-testid="loss-chart">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 256 }}>
          <ComposedChart margin={{ top: 8, right: 16, bottom: 28, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" />
            <XAxis dataKey="x" type="number" domain={["dataMin", "dataMax"]} tickFormatter={tick} tick={{ fontSize: 12 }} allowDuplicatedCategory={false}>
              <Label value={xLabel} position="bottom" offset={8} className="fill-slate-500 text-xs" />
            </XAxis>
            <YAxis tick={{ fontSize: 12 }} width={48} domain={[0, "auto"]}>
              <Label value="Loss (nats/token)" angle={-90} position="insideLeft" style={{ textAnchor: "middle" }} className="fill-slate-500 text-xs" />
            </YAxis>
            <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(3) : String(v))} labelFormatter={(l) => `${xLabel} ${tick(Number(l))}`} />
            <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
            <Line data={lossData} dataKey="loss" name="training loss (per step)" stroke="var(--color-brand-500)" strokeWidth={1.5} dot={false} isAnimationActive={false} />
            <Scatter data={valData} dataKey="val" name="validation loss" fill="#e11d48" isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <h3 className="mt-4 text-sm font-semibold">Learning rate (warm-up, then cosine decay)</h3>
      <div className="h-48 w-full" role="img" aria-label={`Learning rate rising over ${curve.warmupSteps} warm-up steps to ${curve.peakLr}, then decaying to ${curve.steps.at(-1)!.lr.toPrecision(2)}.`} data-testid="lr-chart">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 192 }}>
          <LineChart data={lrData} margin={{ top: 8, right: 16, bottom: 28, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" />
            <XAxis dataKey="x" type="number" domain={["dataMin", "dataMax"]} tickFormatter={tick} tick={{ fontSize: 12 }}>
              <Label value={xLabel} position="bottom" offset={8} className="fill-slate-500 text-xs" />
            </XAxis>
            <YAxis tick={{ fontSize: 12 }} width={64} tickFormatter={(v: number) => v.toExponential(0)}>
              <Label value="Learning rate" angle={-90} position="insideLeft" style={{ textAnchor: "middle" }} className="fill-slate-500 text-xs" />
            </YAxis>
            {warmupX !== undefined && <ReferenceLine x={warmupX} strokeDasharray="4 4" className="stroke-slate-400" label={{ value: "end of warm-up", position: "insideTopRight", fontSize: 11 }} />}
            <Tooltip formatter={(v) => (typeof v === "number" ? v.toPrecision(3) : String(v))} labelFormatter={(l) => `${xLabel} ${tick(Number(l))}`} />
            <Line dataKey="lr" name="learning rate" stroke="#d97706" strokeWidth={1.5} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
