"use client";

import { useId, useState, type ReactNode } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import { formatScore, normalizeDegrees, polar, rotate, ropeScore, type Vec2 } from "@/lib/course/rope";
import { DemoSlider } from "./demo-slider";
import { DemoFrame } from "./demo-frame";
import type { DemoProps } from "./types";

/** The pair of coordinates shown: a query and a key before any rotation (lengths 1 and 0.8, at 15° and 75°). */
const Q0: Vec2 = polar(1, 15);
const K0: Vec2 = polar(0.8, 75);
const MAX_POSITION = 40;
const THETA = { min: 5, max: 90, step: 5, initial: 20 };
const INITIAL = { m: 2, n: 5 };

const DEG = Math.PI / 180;

/**
 * `<Demo kind="rope-rotation" />`: one RoPE pair in 2-D. The query at position m turns by m·θ,
 * the key at position n by n·θ; the dot product, printed live, depends only on n − m, so
 * moving both positions together leaves it unchanged (lib/course/rope.ts).
 */
export function RopeRotationDemo({ kind }: DemoProps) {
  const [m, setM] = useState(INITIAL.m);
  const [n, setN] = useState(INITIAL.n);
  const [thetaDeg, setThetaDeg] = useState(THETA.initial);
  const hydrated = useHydrated();
  const theta = thetaDeg * DEG;
  const score = ropeScore(Q0, K0, m, n, theta);
  const offset = n - m;
  // The same offset, started from position 0, and moved far along.
  const base = { m: Math.max(0, -offset), n: Math.max(0, offset) };
  const samePairs = [base, { m: base.m + 10, n: base.n + 10 }, { m: base.m + 100, n: base.n + 100 }];
  const shift = (by: number) => {
    setM((v) => v + by);
    setN((v) => v + by);
  };
  const canShift = (by: number) => Math.min(m, n) + by >= 0 && Math.max(m, n) + by <= MAX_POSITION;

  return (
    <DemoFrame kind={kind} title="RoPE: rotating a query and a key">
      <div className="grid gap-4 sm:grid-cols-[minmax(0,15rem)_1fr] sm:items-start">
        <RopePicture m={m} n={n} theta={theta} />
        <div className="space-y-3 text-sm">
          <DemoSlider label={<>Query position <var>m</var></>} value={m} shown={String(m)} onChange={setM} disabled={!hydrated} min={0} max={MAX_POSITION} testId="rope-m" />
          <DemoSlider label={<>Key position <var>n</var></>} value={n} shown={String(n)} onChange={setN} disabled={!hydrated} min={0} max={MAX_POSITION} testId="rope-n" />
          <DemoSlider
            label={<>Turn per position <var>θ</var></>}
            value={thetaDeg}
            shown={`${thetaDeg}°`}
            onChange={setThetaDeg}
            disabled={!hydrated}
            min={THETA.min}
            max={THETA.max}
            step={THETA.step}
            testId="rope-theta"
          />
          <div className="flex flex-wrap gap-2" role="group" aria-label="Move both positions together">
            <ShiftButton onClick={() => shift(-1)} disabled={!hydrated || !canShift(-1)}>
              ← Both back one
            </ShiftButton>
            <ShiftButton onClick={() => shift(1)} disabled={!hydrated || !canShift(1)}>
              Both on one →
            </ShiftButton>
          </div>
        </div>
      </div>

      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm tabular-nums">
        <dt className="text-slate-600 dark:text-slate-400">q turned by</dt>
        <dd>
          m·θ = {m} × {thetaDeg}° = {m * thetaDeg}°
        </dd>
        <dt className="text-slate-600 dark:text-slate-400">k turned by</dt>
        <dd>
          n·θ = {n} × {thetaDeg}° = {n * thetaDeg}°
        </dd>
        <dt className="text-slate-600 dark:text-slate-400">Offset</dt>
        <dd>
          n − m = <strong data-testid="rope-offset">{offset}</strong>, so k turned {Math.abs(offset * thetaDeg)}° {offset >= 0 ? "more" : "less"} than q
        </dd>
        <dt className="font-medium">Score</dt>
        <dd aria-live="polite">
          (R<sub>m</sub>q)·(R<sub>n</sub>k) ={" "}
          <strong className="text-base" data-testid="rope-score">
            {formatScore(score)}
          </strong>
        </dd>
      </dl>

      <div className="mt-3 overflow-x-auto">
        <table className="w-auto border-collapse text-sm tabular-nums" data-testid="rope-same-offset">
          <caption className="text-left text-xs text-slate-600 dark:text-slate-400">The same offset n − m = {offset} at other positions</caption>
          <thead>
            <tr className="text-xs text-slate-600 dark:text-slate-400">
              <th scope="col" className="border-b border-slate-200 py-1 pr-8 pl-0 text-left font-normal dark:border-slate-800">
                m
              </th>
              <th scope="col" className="border-b border-slate-200 py-1 pr-8 pl-0 text-left font-normal dark:border-slate-800">
                n
              </th>
              <th scope="col" className="border-b border-slate-200 py-1 pr-0 pl-0 text-left font-normal dark:border-slate-800">
                score
              </th>
            </tr>
          </thead>
          <tbody>
            {samePairs.map((p) => (
              <tr key={`${p.m}-${p.n}`}>
                <td className="border-b border-slate-100 py-1 pr-8 pl-0 dark:border-slate-800">{p.m}</td>
                <td className="border-b border-slate-100 py-1 pr-8 pl-0 dark:border-slate-800">{p.n}</td>
                <td className="border-b border-slate-100 px-0 py-1 dark:border-slate-800">{formatScore(ropeScore(Q0, K0, p.m, p.n, theta))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">
        Both vectors turn by the same θ per position, so moving both positions on by one turns the pair together and the angle between them stays put: the score depends only on n − m. In
        a real model each of the d/2 coordinate pairs turns at its own θ<sub>i</sub>; this is one pair.
      </p>
    </DemoFrame>
  );
}

const SIZE = 220;
const C = SIZE / 2;
const R = 90;

/** (x, y) in the maths' frame (y up) to the SVG's (y down). */
function toSvg([x, y]: Vec2): [number, number] {
  return [C + x * R, C - y * R];
}

function RopePicture({ m, n, theta }: { m: number; n: number; theta: number }) {
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, "");
  const q = rotate(Q0, m * theta);
  const k = rotate(K0, n * theta);
  const qAngle = normalizeDegrees(Math.atan2(q[1], q[0]) / DEG);
  const kAngle = normalizeDegrees(Math.atan2(k[1], k[0]) / DEG);
  const between = normalizeDegrees(kAngle - qAngle);
  // The arc between them, the short way round.
  const [from, sweep] = between <= 180 ? [qAngle, between] : [kAngle, 360 - between];
  const arcR = 28;
  const a0 = polar(arcR / R, from);
  const a1 = polar(arcR / R, from + sweep);
  const [ax0, ay0] = toSvg(a0);
  const [ax1, ay1] = toSvg(a1);
  const arrow = (v: Vec2, cls: string, marker: string) => {
    const [x, y] = toSvg(v);
    return <line x1={C} y1={C} x2={x} y2={y} strokeWidth={2.5} className={cls} markerEnd={`url(#${marker})`} />;
  };
  const label = (v: Vec2, text: string, cls: string) => {
    const [x, y] = toSvg([v[0] * 1.18, v[1] * 1.18]);
    return (
      <text x={x} y={y + 4} textAnchor="middle" fontSize={12} fontWeight={600} className={cls}>
        {text}
      </text>
    );
  };
  return (
    <svg
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      role="img"
      aria-label={`The query turned by ${Math.round(qAngle)}° and the key by ${Math.round(kAngle)}°; ${Math.round(Math.min(between, 360 - between))}° apart.`}
      className="mx-auto h-auto w-full max-w-[15rem] text-slate-300 dark:text-slate-700"
    >
      <defs>
        {(["q", "k"] as const).map((id) => (
          <marker key={id} id={`${uid}-${id}`} viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className={id === "q" ? "fill-brand-600 dark:fill-brand-400" : "fill-amber-500 dark:fill-amber-400"} />
          </marker>
        ))}
      </defs>
      <circle cx={C} cy={C} r={R} fill="none" stroke="currentColor" />
      <line x1={C - R - 6} x2={C + R + 6} y1={C} y2={C} stroke="currentColor" />
      <line x1={C} x2={C} y1={C - R - 6} y2={C + R + 6} stroke="currentColor" />
      {/* Where they start, at position 0. */}
      <line x1={C} y1={C} x2={toSvg(Q0)[0]} y2={toSvg(Q0)[1]} strokeDasharray="3 3" strokeWidth={1.2} className="stroke-brand-400/60" />
      <line x1={C} y1={C} x2={toSvg(K0)[0]} y2={toSvg(K0)[1]} strokeDasharray="3 3" strokeWidth={1.2} className="stroke-amber-400/70" />
      <path d={`M ${ax0} ${ay0} A ${arcR} ${arcR} 0 0 0 ${ax1} ${ay1}`} fill="none" strokeWidth={1.5} className="stroke-slate-500 dark:stroke-slate-400" />
      {arrow(q, "stroke-brand-600 dark:stroke-brand-400", `${uid}-q`)}
      {arrow(k, "stroke-amber-500 dark:stroke-amber-400", `${uid}-k`)}
      {label(q, `q @${m}`, "fill-brand-700 dark:fill-brand-300")}
      {label(k, `k @${n}`, "fill-amber-700 dark:fill-amber-300")}
    </svg>
  );
}

function ShiftButton({ onClick, disabled, children }: { onClick: () => void; disabled: boolean; children: ReactNode }) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-500 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800"
    >
      {children}
    </button>
  );
}
