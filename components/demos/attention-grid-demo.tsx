"use client";

import { useId, useState } from "react";
import type { TokenPiece } from "@/components/playground/tokenizers/api";
import { useHydrated } from "@/components/ui/use-hydrated";
import { attentionFlops, causalPairs, crossoverTokens, formatCount, formatShare, layerCost, matrixFlops } from "@/lib/course/attention-cost";
import { spokenText, visibleText } from "@/lib/inspector/token-display";
import { MAX_TOKENIZE_CHARS } from "@/lib/tokenizers/limits";
import { TokenCountLine, useCourseLmTokens } from "./course-lm-tokens";
import type { DemoProps } from "./types";
import { DemoTextInput, TokenizerDemoFrame as DemoFrame } from "./tokenizer-demo-frame";

/** Tokens drawn in the grid; the cost figures count them all. */
export const MAX_GRID_TOKENS = 24;
const WIDTH = { min: 64, max: 4_096, step: 64, initial: 768 };
/** The longer context to compare with, as a power of two: 2^8 = 256 … 2^20 = 1,048,576 tokens. */
const LONG = { min: 8, max: 20, initial: 15 };

const nf = new Intl.NumberFormat("en-US");

/**
 * `<Demo kind="attention-grid" text="…" />`: the text's real course-lm tokens as a causal
 * attention grid (queries × keys, later keys masked), and one layer's work at width d —
 * weight matrices 24·T·d² against attention 2·T²·d (lib/course/attention-cost.ts) — for the
 * text and for a longer context, with the crossover T = 12·d on a log–log chart.
 */
export function AttentionGridDemo({ kind, text = "" }: DemoProps) {
  const [value, setValue] = useState(text.slice(0, MAX_TOKENIZE_CHARS));
  const [width, setWidth] = useState(WIDTH.initial);
  const [longExp, setLongExp] = useState(LONG.initial);
  const hydrated = useHydrated();
  const ids = useId();
  const { tokens, state, loaded } = useCourseLmTokens(value);
  const T = tokens.length;
  const longT = 2 ** longExp;
  const crossover = crossoverTokens(width);
  // Until the first answer, keep roughly the room the default text's grid will need (≈ 4.5 characters a token).
  const estimatedRows = Math.min(MAX_GRID_TOKENS, Math.ceil(value.length / 4.5));

  return (
    <DemoFrame kind={kind} title="Attention grid and cost">
      <DemoTextInput value={value} onChange={setValue} />
      <TokenCountLine text={value} state={state}>
        {" "}
        · <span data-testid="pair-count">{nf.format(causalPairs(T))}</span> of {nf.format(T * T)} query–key pairs left by the causal mask
      </TokenCountLine>
      <div style={loaded ? undefined : { minHeight: `${estimatedRows * 1.3 + 4.5}rem` }}>{T > 0 && <AttentionGrid tokens={tokens} />}</div>

      <fieldset className="min-w-0 space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
        <legend className="px-1 text-sm font-medium">One layer&apos;s work</legend>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <label htmlFor={`${ids}-width`} className="min-w-[7.5rem]">
            Model width <var>d</var>
          </label>
          <input
            id={`${ids}-width`}
            type="range"
            min={WIDTH.min}
            max={WIDTH.max}
            step={WIDTH.step}
            value={width}
            disabled={!hydrated}
            onChange={(e) => setWidth(Number(e.target.value))}
            className="w-44 accent-brand-600 disabled:opacity-50 sm:w-56"
          />
          <output htmlFor={`${ids}-width`} className="inline-block min-w-[5ch] font-semibold tabular-nums" data-testid="width">
            {nf.format(width)}
          </output>
        </div>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <label htmlFor={`${ids}-long`} className="min-w-[7.5rem]">
            Longer context
          </label>
          <input
            id={`${ids}-long`}
            type="range"
            min={LONG.min}
            max={LONG.max}
            step={1}
            value={longExp}
            disabled={!hydrated}
            onChange={(e) => setLongExp(Number(e.target.value))}
            aria-valuetext={`${nf.format(longT)} tokens`}
            className="w-44 accent-brand-600 disabled:opacity-50 sm:w-56"
          />
          <output htmlFor={`${ids}-long`} className="inline-block min-w-[15ch] tabular-nums" data-testid="long-tokens">
            T = {nf.format(longT)} tokens
          </output>
        </div>
        <CostTable tokens={T} longTokens={longT} width={width} />
        <p className="text-sm" data-testid="crossover">
          Attention overtakes the matrices at <strong className="tabular-nums">T = 12 · d = {nf.format(crossover)}</strong> tokens.
        </p>
        <CostChart width={width} tokens={T} longTokens={longT} />
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Per layer, in floating-point operations (a multiply-add counts as 2): the weight matrices (attention&apos;s four and the feed-forward pair) cost about{" "}
          <strong>24 · d²</strong> per token, <strong>24 · T · d²</strong> in all; the attention scores cost about <strong>2 · T · d</strong> per token,{" "}
          <strong>2 · T² · d</strong> in all. They are equal at T = 12 · d. Like the lesson&apos;s estimate, this counts all T² pairs; the causal mask skips about
          half of them, which changes neither the growth nor the picture much.
        </p>
      </fieldset>
    </DemoFrame>
  );
}

/** The T × T grid (capped at MAX_GRID_TOKENS): rows are queries, columns keys, later keys masked. */
function AttentionGrid({ tokens }: { tokens: readonly TokenPiece[] }) {
  const shown = tokens.slice(0, MAX_GRID_TOKENS);
  return (
    <div className="space-y-1">
      <div role="region" aria-label="Attention grid (scrolls sideways)" tabIndex={0} className="overflow-x-auto pb-1">
        <table className="w-auto border-separate border-spacing-px font-mono text-xs" data-testid="attention-grid">
          <caption className="sr-only">
            Causal attention over {shown.length} tokens: each row is a query, each column a key; a query sees itself and the earlier tokens, later ones are masked.
          </caption>
          <thead>
            <tr>
              <th scope="col" className="border-0 p-0 pr-1 text-right align-bottom font-sans text-[0.7rem] font-normal text-slate-500 dark:text-slate-400">
                query ↓ key →
              </th>
              {shown.map((t, j) => (
                <th key={j} scope="col" data-key={j} data-token-id={t.id} title={`key ${j + 1}: ${visibleText(t)} (id ${t.id})`} aria-label={spokenText(t)} className="w-5 border-0 p-0 align-bottom font-normal">
                  <div className="mx-auto max-h-16 overflow-hidden whitespace-pre [writing-mode:vertical-rl] rotate-180">{visibleText(t)}</div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((t, i) => (
              <tr key={i} data-query={i}>
                <th scope="row" data-token-id={t.id} title={`query ${i + 1}: ${visibleText(t)} (id ${t.id})`} aria-label={spokenText(t)} className="border-0 p-0 pr-1 text-right align-middle font-normal">
                  <div className="ml-auto max-w-24 truncate whitespace-pre">{visibleText(t)}</div>
                </th>
                {shown.map((_, j) => {
                  const masked = j > i;
                  return (
                    <td
                      key={j}
                      data-masked={masked}
                      className={`size-5 rounded-[3px] border-0 p-0 ${
                        masked ? "bg-slate-100 dark:bg-slate-800/70" : j === i ? "bg-brand-600 dark:bg-brand-400" : "bg-brand-400/60 dark:bg-brand-500/50"
                      }`}
                    >
                      <span className="sr-only">{masked ? "masked" : "sees"}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400" aria-label="Key to the grid">
        <li className="my-0 flex items-center gap-1">
          <span aria-hidden className="inline-block size-3 rounded-sm bg-brand-400/60 dark:bg-brand-500/50" /> an earlier token: scored
        </li>
        <li className="my-0 flex items-center gap-1">
          <span aria-hidden className="inline-block size-3 rounded-sm bg-brand-600 dark:bg-brand-400" /> the token itself
        </li>
        <li className="my-0 flex items-center gap-1">
          <span aria-hidden className="inline-block size-3 rounded-sm bg-slate-100 ring-1 ring-slate-200 dark:bg-slate-800/70 dark:ring-slate-700" /> a later token: masked
        </li>
      </ul>
      {tokens.length > MAX_GRID_TOKENS && (
        <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="grid-note">
          Showing the first {MAX_GRID_TOKENS} of {nf.format(tokens.length)} tokens; the costs below count all {nf.format(tokens.length)}.
        </p>
      )}
    </div>
  );
}

/** The two parts of one layer's work for the text and for the longer context. */
function CostTable({ tokens, longTokens, width }: { tokens: number; longTokens: number; width: number }) {
  const columns = [
    { id: "text", label: "This text", T: tokens },
    { id: "long", label: "Longer context", T: longTokens },
  ];
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[18rem] text-sm">
        <caption className="sr-only">Floating-point operations of one layer</caption>
        <thead>
          <tr className="text-left text-xs text-slate-600 dark:text-slate-400">
            <th scope="col" className="py-1 pr-2 font-normal">
              FLOPs per layer
            </th>
            {columns.map((c) => (
              <th key={c.id} scope="col" className="py-1 pr-2 text-right font-normal">
                {c.label}
                <br />
                <span className="tabular-nums">T = {nf.format(c.T)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="tabular-nums">
          <tr className="border-t border-slate-100 dark:border-slate-800">
            <th scope="row" className="py-1 pr-2 text-left font-normal">
              <span className="inline-block size-2.5 rounded-full bg-sky-500" aria-hidden /> Matrices <span className="whitespace-nowrap text-xs text-slate-500 dark:text-slate-400">24·T·d²</span>
            </th>
            {columns.map((c) => (
              <td key={c.id} className="py-1 pr-2 text-right" data-testid={`matrices-${c.id}`} title={nf.format(matrixFlops(c.T, width))}>
                {formatCount(matrixFlops(c.T, width))}
              </td>
            ))}
          </tr>
          <tr className="border-t border-slate-100 dark:border-slate-800">
            <th scope="row" className="py-1 pr-2 text-left font-normal">
              <span className="inline-block size-2.5 rounded-full bg-rose-500" aria-hidden /> Attention <span className="whitespace-nowrap text-xs text-slate-500 dark:text-slate-400">2·T²·d</span>
            </th>
            {columns.map((c) => (
              <td key={c.id} className="py-1 pr-2 text-right" data-testid={`attention-${c.id}`} title={nf.format(attentionFlops(c.T, width))}>
                {formatCount(attentionFlops(c.T, width))}
              </td>
            ))}
          </tr>
          <tr className="border-t border-slate-100 font-medium dark:border-slate-800">
            <th scope="row" className="py-1 pr-2 text-left font-medium">
              Attention&apos;s share
            </th>
            {columns.map((c) => (
              <td key={c.id} className="py-1 pr-2 text-right" data-testid={`share-${c.id}`}>
                {formatShare(layerCost(c.T, width).attentionShare)}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

// The chart: log2 of T on x (1 … 2^20), log2 of FLOPs on y (2^7 … 2^54), a fixed frame so that moving d moves the lines.
const X_MAX = 20;
const Y_MIN = 7;
const Y_MAX = 54;
const BOX = { w: 320, h: 190, left: 34, right: 8, top: 10, bottom: 30 };
const X_TICKS: [number, string][] = [
  [0, "1"],
  [5, "32"],
  [10, "1K"],
  [15, "32K"],
  [20, "1M"],
];
const Y_TICKS: [number, string][] = [
  [3, "10³"],
  [6, "10⁶"],
  [9, "10⁹"],
  [12, "10¹²"],
  [15, "10¹⁵"],
];

function px(log2T: number) {
  return BOX.left + (log2T / X_MAX) * (BOX.w - BOX.left - BOX.right);
}
function py(log2F: number) {
  return BOX.top + (1 - (log2F - Y_MIN) / (Y_MAX - Y_MIN)) * (BOX.h - BOX.top - BOX.bottom);
}

/** Both costs against T on log–log axes: the matrices' line has slope 1, attention's slope 2; they cross at T = 12·d. */
function CostChart({ width, tokens, longTokens }: { width: number; tokens: number; longTokens: number }) {
  const clip = `cost-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const line = (f: (T: number) => number) => `M ${px(0)} ${py(Math.log2(f(1)))} L ${px(X_MAX)} ${py(Math.log2(f(2 ** X_MAX)))}`;
  const cross = crossoverTokens(width);
  const crossX = px(Math.log2(cross));
  const crossY = py(Math.log2(matrixFlops(cross, width)));
  const dots = [
    { T: tokens, hollow: false },
    { T: longTokens, hollow: true },
  ].filter((d) => d.T >= 1);
  return (
    <figure className="space-y-1">
      <svg
        viewBox={`0 0 ${BOX.w} ${BOX.h}`}
        role="img"
        aria-label={`Log–log chart of one layer's work against the number of tokens at width ${width}: the matrices grow like T, attention like T², and they cross at T = ${nf.format(cross)}.`}
        className="h-auto w-full max-w-md text-slate-400 dark:text-slate-500"
      >
        <defs>
          <clipPath id={clip}>
            <rect x={BOX.left} y={BOX.top} width={BOX.w - BOX.left - BOX.right} height={BOX.h - BOX.top - BOX.bottom} />
          </clipPath>
        </defs>
        {Y_TICKS.map(([decade, label]) => {
          const y = py(decade * Math.log2(10));
          return (
            <g key={label}>
              <line x1={BOX.left} x2={BOX.w - BOX.right} y1={y} y2={y} stroke="currentColor" strokeOpacity={0.25} />
              <text x={BOX.left - 4} y={y + 3} textAnchor="end" fontSize={10} fill="currentColor">
                {label}
              </text>
            </g>
          );
        })}
        {X_TICKS.map(([exp, label]) => (
          <text key={label} x={px(exp)} y={BOX.h - BOX.bottom + 12} textAnchor="middle" fontSize={10} fill="currentColor">
            {label}
          </text>
        ))}
        <text x={(BOX.left + BOX.w - BOX.right) / 2} y={BOX.h - 3} textAnchor="middle" fontSize={10} fill="currentColor">
          tokens T (log scale)
        </text>
        <line x1={BOX.left} x2={BOX.left} y1={BOX.top} y2={BOX.h - BOX.bottom} stroke="currentColor" />
        <line x1={BOX.left} x2={BOX.w - BOX.right} y1={BOX.h - BOX.bottom} y2={BOX.h - BOX.bottom} stroke="currentColor" />
        <g clipPath={`url(#${clip})`}>
          <path d={line((T) => matrixFlops(T, width))} className="stroke-sky-500" strokeWidth={2} fill="none" />
          <path d={line((T) => attentionFlops(T, width))} className="stroke-rose-500" strokeWidth={2} fill="none" />
          <line x1={crossX} x2={crossX} y1={BOX.top} y2={BOX.h - BOX.bottom} className="stroke-slate-700 dark:stroke-slate-200" strokeDasharray="3 3" />
          <circle cx={crossX} cy={crossY} r={3.5} className="fill-slate-800 dark:fill-slate-100" />
          {dots.map((d) =>
            [matrixFlops(d.T, width), attentionFlops(d.T, width)].map((f, k) => (
              <circle
                key={`${d.hollow}-${k}`}
                cx={px(Math.log2(d.T))}
                cy={py(Math.log2(f))}
                r={3}
                strokeWidth={1.5}
                className={`${k === 0 ? "stroke-sky-700 dark:stroke-sky-300" : "stroke-rose-700 dark:stroke-rose-300"} ${d.hollow ? "fill-white dark:fill-slate-900" : k === 0 ? "fill-sky-700 dark:fill-sky-300" : "fill-rose-700 dark:fill-rose-300"}`}
              />
            )),
          )}
        </g>
        <text x={crossX > BOX.w - 90 ? crossX - 4 : crossX + 4} y={BOX.top + 9} textAnchor={crossX > BOX.w - 90 ? "end" : "start"} fontSize={10} className="fill-slate-800 dark:fill-slate-100">
          12d = {nf.format(cross)}
        </text>
      </svg>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
        <span className="flex items-center gap-1">
          <span aria-hidden className="inline-block h-0.5 w-4 bg-sky-500" /> matrices, 24·T·d²
        </span>
        <span className="flex items-center gap-1">
          <span aria-hidden className="inline-block h-0.5 w-4 bg-rose-500" /> attention, 2·T²·d
        </span>
        <span className="flex items-center gap-1">
          <span aria-hidden className="inline-block h-3 border-l border-dashed border-slate-700 dark:border-slate-200" /> crossover
        </span>
        <span>● this text · ○ longer context</span>
      </figcaption>
    </figure>
  );
}
