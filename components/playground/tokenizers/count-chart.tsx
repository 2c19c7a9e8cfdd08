"use client";

import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Token counts per tokenizer as horizontal bars (the numbers are also in each card's heading). */
export function CountChart({ data }: { data: { name: string; count: number }[] }) {
  if (data.length === 0) return null;
  return (
    <figure aria-label="Token counts by tokenizer" className="rounded-xl border border-slate-200 p-3 dark:border-slate-800">
      <figcaption className="mb-1 text-sm font-semibold">Tokens for this text</figcaption>
      <div style={{ height: 28 * data.length + 30 }} aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ top: 0, right: 36, bottom: 0, left: 0 }}>
            <CartesianGrid horizontal={false} strokeOpacity={0.25} />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} stroke="currentColor" />
            <YAxis type="category" dataKey="name" width={92} tick={{ fontSize: 12 }} stroke="currentColor" />
            <Tooltip cursor={{ fillOpacity: 0.1 }} contentStyle={{ fontSize: 12 }} />
            <Bar dataKey="count" name="tokens" fill="var(--color-brand-500, #6366f1)" isAnimationActive={false}>
              <LabelList dataKey="count" position="right" fontSize={11} fill="currentColor" />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ul className="sr-only">
        {data.map((d) => (
          <li key={d.name}>
            {d.name}: {d.count} tokens
          </li>
        ))}
      </ul>
    </figure>
  );
}
