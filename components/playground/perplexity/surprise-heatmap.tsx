"use client";

import { useState } from "react";
import { formatBits, formatNats, formatProb } from "@/lib/inspector/format";
import { spokenText, visibleText } from "@/lib/inspector/token-display";
import type { TokenText } from "@/lib/llm/trace";
import { SURPRISE_LEVELS, surpriseLevel, type TokenSurprise } from "@/lib/playground/perplexity";
import { BUCKET_CLASSES } from "@/components/inspector/scale";
import { TokenGlyphs } from "@/components/inspector/token";

/** Level → colour: the inspector's probability scale, reversed (most surprising = its "least likely" colour). */
const levelClass = (level: number) => BUCKET_CLASSES[BUCKET_CLASSES.length - 1 - level];

const LEVEL_LABELS = [0, ...SURPRISE_LEVELS].map((min, i) => (i < SURPRISE_LEVELS.length ? `${min}–${SURPRISE_LEVELS[i]}` : `≥ ${min}`));

function describe(t: TokenSurprise): string {
  const expected = t.expected[0] ? `; the model expected “${visibleText(t.expected[0])}” (${formatProb(t.expected[0].p)})` : "";
  return `${spokenText(t.token)}: surprise ${formatNats(t.nats)} (${formatBits(t.nats)}), p = ${formatProb(t.p)}, rank ${t.rank + 1}${t.rank === 0 ? "" : expected}`;
}

/**
 * The text as tokens coloured by surprise (−ln p). Every token is focusable and says its
 * numbers (on focus, hover and to screen readers); the legend gives the scale in nats and bits.
 */
export function SurpriseHeatmap({ first, tokens, label }: { first: TokenText[]; tokens: readonly TokenSurprise[]; label: string }) {
  const [active, setActive] = useState<number | null>(null);
  const current = active === null ? null : tokens[active];
  return (
    <div>
      <div role="group" aria-label={label} data-testid="ppl-heatmap" className="rounded-lg border border-slate-200 bg-white p-3 font-mono text-sm leading-8 dark:border-slate-800 dark:bg-slate-950">
        {first.map((t, i) => (
          <span key={`f${i}`} className="inline-block whitespace-pre-wrap text-slate-500 dark:text-slate-400" title="context only: the first token has nothing before it to predict it from">
            <TokenGlyphs token={t} />
          </span>
        ))}
        {tokens.map((t) => (
          <span
            key={t.index}
            tabIndex={0}
            data-testid="ppl-token"
            data-nats={t.nats.toFixed(4)}
            aria-label={describe(t)}
            title={describe(t)}
            onFocus={() => setActive(t.index)}
            onMouseEnter={() => setActive(t.index)}
            className={`mx-px inline-block whitespace-pre-wrap rounded-sm px-0.5 outline-offset-1 focus-visible:outline-2 focus-visible:outline-brand-500 ${levelClass(surpriseLevel(t.nats))}`}
          >
            <span aria-hidden>
              <TokenGlyphs token={t.token} />
            </span>
          </span>
        ))}
      </div>
      <p className="mt-2 min-h-10 text-xs text-slate-700 dark:text-slate-300" aria-live="polite">
        {current ? describe(current) : "Hover over or tab to a token to see its surprise."}
      </p>
      <figure className="mt-1">
        <figcaption className="text-xs font-medium text-slate-600 dark:text-slate-400">Surprise −ln p per token, in nats (bits = nats ÷ ln 2 ≈ nats × 1.44)</figcaption>
        <ul className="mt-1 flex flex-wrap gap-1 text-[11px]" aria-label="Colour legend">
          {LEVEL_LABELS.map((l, i) => {
            const lo = i === 0 ? 0 : SURPRISE_LEVELS[i - 1];
            const bits = i < SURPRISE_LEVELS.length ? `${(lo * 1.4427).toFixed(1)}–${(SURPRISE_LEVELS[i] * 1.4427).toFixed(1)}` : `≥ ${(lo * 1.4427).toFixed(1)}`;
            return (
              <li key={l} className={`rounded px-1.5 py-0.5 tabular-nums ${levelClass(i)}`}>
                {l} nats <span className="opacity-75">({bits} bits)</span>
              </li>
            );
          })}
        </ul>
      </figure>
    </div>
  );
}
