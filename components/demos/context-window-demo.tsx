"use client";

import { useState } from "react";
import { shownOutcome, useTokenize } from "@/components/playground/tokenizers/use-tokenize";
import { MAX_TOKENIZE_CHARS, tokenizerInfo, type CompareTokenizerId } from "@/lib/tokenizers/catalog";
import type { DemoProps } from "./types";
import { DemoTextInput, TokenizerDemoFrame as DemoFrame } from "./tokenizer-demo-frame";

/** The models compared, each counted with its own tokenizer, and the window each one has. */
const MODELS: { tokenizer: CompareTokenizerId; label: string; window: number }[] = [
  { tokenizer: "course-lm", label: "course-lm", window: 512 },
  { tokenizer: "gpt2", label: "GPT-2", window: 1_024 },
  { tokenizer: "llama3", label: "Llama 3", window: 8_192 },
  { tokenizer: "gpt-4o", label: "GPT-4o", window: 128_000 },
];
const IDS = MODELS.map((m) => m.tokenizer);

/** Share of the window as a readable percentage: tiny shares keep two significant digits. */
export function formatShare(share: number): string {
  const pct = share * 100;
  if (pct === 0) return "0 %";
  if (pct >= 10) return `${Math.round(pct)} %`;
  return `${pct.toPrecision(2)} %`;
}

/** `<Demo kind="context-window" text="…" />`: how much of several models' context windows the text fills. */
export function ContextWindowDemo({ kind, text = "" }: DemoProps) {
  const [value, setValue] = useState(text.slice(0, MAX_TOKENIZE_CHARS));
  const [copies, setCopies] = useState(1);
  const full = Array.from({ length: copies }, () => value).join("\n\n");
  const states = useTokenize(full.slice(0, MAX_TOKENIZE_CHARS), IDS);
  return (
    <DemoFrame kind={kind} title="Context window">
      <DemoTextInput value={value} onChange={setValue} rows={3} />
      <label className="flex flex-wrap items-center gap-2 text-sm">
        Repeat it
        <input type="range" min={1} max={20} value={copies} onChange={(e) => setCopies(Number(e.target.value))} className="w-40 accent-brand-600" />
        <span className="tabular-nums">× {copies}</span>
        {full.length > MAX_TOKENIZE_CHARS && <span className="text-xs text-slate-500">(counted up to {MAX_TOKENIZE_CHARS.toLocaleString("en")} characters)</span>}
      </label>
      <ul className="space-y-2" aria-label="Share of each context window">
        {MODELS.map((m) => {
          const state = states[m.tokenizer];
          const o = shownOutcome(state);
          const count = o?.ok ? o.count : null;
          const share = count === null ? 0 : count / m.window;
          const over = share > 1;
          return (
            <li key={m.tokenizer} data-model={m.tokenizer}>
              <div className="flex flex-wrap justify-between gap-x-2 text-sm">
                <span>
                  <strong>{m.label}</strong> <span className="text-slate-500 dark:text-slate-400">({tokenizerInfo(m.tokenizer).name} tokenizer, window {m.window.toLocaleString("en")})</span>
                </span>
                <span className="tabular-nums" data-testid="window-share">
                  {count === null
                    ? state?.status === "error" || (o && !o.ok)
                      ? "unavailable"
                      : "…"
                    : `${count.toLocaleString("en")} tokens · ${formatShare(share)}${over ? " — does not fit" : ""}`}
                </span>
              </div>
              <div
                role="meter"
                aria-label={`${m.label}: share of its context window`}
                aria-valuemin={0}
                aria-valuemax={m.window}
                aria-valuenow={count === null ? 0 : Math.min(count, m.window)}
                className="mt-1 h-2.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
              >
                <div
                  className={`h-full rounded-full ${over ? "bg-red-500" : "bg-brand-500"}`}
                  // At least a sliver, so a tiny share is still visible against the track.
                  style={{ width: count === null ? "0%" : `${Math.max(0.5, Math.min(100, share * 100))}%` }}
                />
              </div>
            </li>
          );
        })}
      </ul>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Each model counts with its own tokenizer: the same text is a different number of tokens for each, and the window is counted in tokens, not characters.
      </p>
    </DemoFrame>
  );
}
