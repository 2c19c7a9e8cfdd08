"use client";

import { CartesianGrid, Label, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ScorePoint } from "@/lib/course/dashboard";

const HOURS_12 = 12 * 60 * 60 * 1000;
const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });
const dateTimeFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

/** Quiz scores over time: one point per attempt, with the 80 % pass line. */
export function ScoreChart({ scores }: { scores: ScorePoint[] }) {
  const data = scores.map((s) => ({ time: Date.parse(s.at), percent: Math.round(s.score * 100), lesson: `${s.lessonNumber}. ${s.lessonTitle}` }));
  return (
    <div className="h-72 w-full" role="img" aria-label={`Line chart of ${scores.length} quiz scores over time; the table below lists them.`}>
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 288 }}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 28, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" />
          <XAxis
            dataKey="time"
            type="number"
            scale="time"
            // Half a day of padding either side, so a single attempt is not drawn on the axis edge.
            domain={[(min: number) => min - HOURS_12, (max: number) => max + HOURS_12]}
            tickFormatter={(t: number) => dateFormat.format(t)}
            tick={{ fontSize: 12 }}
            minTickGap={24}
          >
            <Label value="Date of attempt" position="bottom" offset={8} className="fill-slate-500 text-xs" />
          </XAxis>
          <YAxis domain={[0, 100]} ticks={[0, 20, 40, 60, 80, 100]} tick={{ fontSize: 12 }} width={48}>
            <Label value="Score (%)" angle={-90} position="insideLeft" style={{ textAnchor: "middle" }} className="fill-slate-500 text-xs" />
          </YAxis>
          <ReferenceLine y={80} strokeDasharray="4 4" className="stroke-emerald-500" label={{ value: "pass (80%)", position: "insideTopRight", fontSize: 11 }} />
          <Tooltip
            formatter={(value) => [`${value}%`, "Score"]}
            labelFormatter={(_label, payload) => {
              const point = payload?.[0]?.payload as (typeof data)[number] | undefined;
              return point ? `${point.lesson} · ${dateTimeFormat.format(point.time)}` : "";
            }}
          />
          <Line type="monotone" dataKey="percent" stroke="var(--color-brand-500)" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
