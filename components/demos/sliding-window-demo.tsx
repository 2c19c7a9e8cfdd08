"use client";

import { useState } from "react";
import { TokenGlyphs } from "@/components/inspector/token";
import { useRovingFocus } from "@/components/inspector/use-roving-focus";
import type { TokenPiece } from "@/components/playground/tokenizers/api";
import { useHydrated } from "@/components/ui/use-hydrated";
import { attentionStatus, causalRange, rangeSize, truncate, windowRange, type AttentionStatus } from "@/lib/course/sliding-window";
import { spokenText, visibleText } from "@/lib/inspector/token-display";
import { MAX_TOKENIZE_CHARS } from "@/lib/tokenizers/limits";
import { TokenCountLine, useCourseLmTokens } from "./course-lm-tokens";
import { DemoSlider } from "./demo-slider";
import type { DemoProps } from "./types";
import { DemoTextInput, TokenizerDemoFrame as DemoFrame } from "./tokenizer-demo-frame";

/** Tokens the demo works on (a longer text is cut here, and says so). */
export const MAX_WINDOW_TOKENS = 512;
const INITIAL_WINDOW = 16;
const INITIAL_CONTEXT = 64;

const STATUS_CLASS: Record<AttentionStatus, string> = {
  query: "bg-brand-600 text-white ring-2 ring-brand-700 dark:bg-brand-500 dark:ring-brand-300",
  window: "bg-brand-100 text-slate-900 ring-1 ring-brand-400/70 dark:bg-brand-500/30 dark:text-slate-100 dark:ring-brand-400/60",
  outside: "bg-amber-100 text-amber-950 outline-1 -outline-offset-1 outline-dashed outline-amber-500 dark:bg-amber-400/10 dark:text-amber-100 dark:outline-amber-400/70",
  future: "text-slate-400 dark:text-slate-500",
};

const STATUS_WORDS: Record<AttentionStatus, string> = {
  query: "the query",
  window: "inside the window: both see it",
  outside: "outside the window: only full attention sees it",
  future: "later: masked for both",
};

/**
 * `<Demo kind="sliding-window" text="…" />`: the text's real course-lm tokens; pick a query
 * token and a window w to see what full causal attention and a sliding window let it look at,
 * and a context window N to see which tokens a too-short window drops from the start
 * (lib/course/sliding-window.ts).
 */
export function SlidingWindowDemo({ kind, text = "" }: DemoProps) {
  const [value, setValue] = useState(text.slice(0, MAX_TOKENIZE_CHARS));
  /** The picked query position; null follows the last token as the text changes. */
  const [picked, setPicked] = useState<number | null>(null);
  const [windowSize, setWindowSize] = useState(INITIAL_WINDOW);
  const [contextSize, setContextSize] = useState(INITIAL_CONTEXT);
  const hydrated = useHydrated();
  const { tokens: all, state, loaded } = useCourseLmTokens(value);
  const tokens = all.slice(0, MAX_WINDOW_TOKENS);
  const T = tokens.length;
  const ready = hydrated && T > 0;
  const q = T === 0 ? 0 : Math.min(picked ?? T - 1, T - 1);
  const w = Math.max(1, Math.min(windowSize, Math.max(T, 1)));
  const N = Math.max(1, Math.min(contextSize, Math.max(T, 1)));
  const full = causalRange(q);
  const win = windowRange(q, w);
  const outside = rangeSize(full) - rangeSize(win);
  const cut = truncate(T, N);
  const estimatedLines = Math.ceil(value.length / 60);

  return (
    <DemoFrame kind={kind} title="Sliding window and context window">
      <DemoTextInput value={value} onChange={setValue} rows={3} />
      <TokenCountLine text={value} state={state}>
        {all.length > MAX_WINDOW_TOKENS && <> · using the first {MAX_WINDOW_TOKENS}</>}
      </TokenCountLine>

      <section aria-labelledby={`${kind}-attention`} className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
        <h3 id={`${kind}-attention`} className="text-sm font-semibold">
          What one token may look at
        </h3>
        <div className="space-y-2">
          <DemoSlider label="Query token" min={1} max={Math.max(T, 1)} value={q + 1} disabled={!ready} onChange={(v) => setPicked(v - 1)} shown={T > 0 ? `${q + 1} of ${T}` : "–"} testId="query" />
          <DemoSlider label={<>Window <var>w</var></>} min={1} max={Math.max(T, 1)} value={w} disabled={!ready} onChange={setWindowSize} shown={`${w} tokens`} testId="window" />
        </div>
        <ul className="space-y-0.5 text-sm tabular-nums" aria-live="polite">
          <li className="my-0">
            Full causal attention: <strong data-testid="full-count">{rangeSize(full)}</strong> tokens{T > 0 && <> (1–{q + 1})</>}.
          </li>
          <li className="my-0">
            Sliding window of {w}: <strong data-testid="window-count">{rangeSize(win)}</strong> tokens{T > 0 && <> ({win.from + 1}–{q + 1})</>};{" "}
            <strong data-testid="outside-count">{outside}</strong> earlier {outside === 1 ? "token falls" : "tokens fall"} outside the window.
          </li>
        </ul>
        <div style={loaded ? undefined : { minHeight: `${estimatedLines * 1.75}rem` }}>
          {T > 0 && <QueryStrip tokens={tokens} query={q} windowSize={w} onPick={setPicked} disabled={!ready} />}
        </div>
        <Key
          items={(["query", "window", "outside", "future"] as const).map((s) => ({ className: STATUS_CLASS[s], label: STATUS_WORDS[s] }))}
          label="Key to the query view"
        />
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Click a token (or use the arrow keys and Enter) to make it the query. The window holds the query and the {w - 1 === 1 ? "token" : `${w - 1} tokens`} before it, so the KV cache never needs more than {w} entries.
        </p>
      </section>

      <section aria-labelledby={`${kind}-context`} className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
        <h3 id={`${kind}-context`} className="text-sm font-semibold">
          What a context window of <var>N</var> tokens drops
        </h3>
        <DemoSlider label={<>Context window <var>N</var></>} min={1} max={Math.max(T, 1)} value={N} disabled={!ready} onChange={setContextSize} shown={`${N} tokens`} testId="context" />
        <p className="text-sm tabular-nums" aria-live="polite">
          {cut.dropped > 0 ? (
            <>
              The model reads only the last {N} tokens: the first <strong data-testid="dropped-count">{cut.dropped}</strong> fall outside the context window and are never seen.
            </>
          ) : (
            <>
              All {T} tokens fit: <strong data-testid="dropped-count">0</strong> dropped.
            </>
          )}
        </p>
        <div style={loaded ? undefined : { minHeight: `${estimatedLines * 1.75}rem` }}>
          {T > 0 && (
            <ol role="list" aria-label="Tokens in the context window" data-testid="context-strip" className="flex flex-wrap gap-x-0.5 gap-y-1 font-mono text-sm leading-6">
              {tokens.map((t, i) => {
                const dropped = i < cut.dropped;
                return (
                  <li
                    key={i}
                    data-token-id={t.id}
                    data-dropped={dropped}
                    aria-label={`${spokenText(t)}${dropped ? ", dropped" : ""}`}
                    title={`token ${i + 1}: ${visibleText(t)} (id ${t.id})${dropped ? " · dropped" : ""}`}
                    className={`my-0 rounded px-0.5 ${dropped ? "bg-red-50 text-red-800 line-through decoration-red-500/80 dark:bg-red-500/10 dark:text-red-300" : "bg-slate-100 dark:bg-slate-800"}`}
                  >
                    <TokenGlyphs token={t} />
                  </li>
                );
              })}
            </ol>
          )}
        </div>
        <Key
          items={[
            { className: "bg-red-50 text-red-800 line-through dark:bg-red-500/10 dark:text-red-300", label: "dropped from the start" },
            { className: "bg-slate-100 dark:bg-slate-800", label: "kept" },
          ]}
          label="Key to the context view"
        />
        <p className="text-xs text-slate-600 dark:text-slate-400">
          A context window cuts the text once, at the start. A sliding window makes a cut like this for every token at every layer, always relative to that token.
        </p>
      </section>
    </DemoFrame>
  );
}

/** The tokens as buttons coloured by what the query sees; one tab stop, arrow keys move, Enter picks. */
function QueryStrip({ tokens, query, windowSize, onPick, disabled }: { tokens: readonly TokenPiece[]; query: number; windowSize: number; onPick: (i: number) => void; disabled: boolean }) {
  const roving = useRovingFocus(tokens.length, query);
  return (
    <ol role="list" aria-label="Tokens, as the query sees them" data-testid="query-strip" onKeyDown={roving.onKeyDown} className="flex flex-wrap gap-x-0.5 gap-y-1 font-mono text-sm leading-6">
      {tokens.map((t, i) => {
        const status = attentionStatus(i, query, windowSize);
        return (
          <li key={i} className="my-0 contents">
            <button
              type="button"
              {...roving.itemProps(i)}
              disabled={disabled}
              onClick={() => onPick(i)}
              data-token-id={t.id}
              data-status={status}
              aria-pressed={status === "query"}
              aria-label={`${spokenText(t)}, token ${i + 1}: ${STATUS_WORDS[status]}`}
              title={`token ${i + 1}: ${visibleText(t)} (id ${t.id}) · ${STATUS_WORDS[status]}`}
              className={`cursor-pointer rounded px-0.5 outline-none focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-1 dark:focus-visible:ring-offset-slate-900 ${STATUS_CLASS[status]}`}
            >
              <TokenGlyphs token={t} />
            </button>
          </li>
        );
      })}
    </ol>
  );
}

function Key({ items, label }: { items: { className: string; label: string }[]; label: string }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400" aria-label={label}>
      {items.map((item) => (
        <li key={item.label} className="my-0 flex items-center gap-1">
          <span aria-hidden className={`rounded px-1 font-mono ${item.className}`}>
            ab
          </span>
          {item.label}
        </li>
      ))}
    </ul>
  );
}
