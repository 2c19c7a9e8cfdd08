"use client";

import { TokenGlyphs } from "@/components/inspector/token";
import { useRovingFocus } from "@/components/inspector/use-roving-focus";
import { spokenText } from "@/lib/inspector/token-display";
import type { TokenPiece } from "./api";

/** Alternating token colours (light and dark mode), so neighbouring tokens stay apart. */
const COLOURS = [
  "bg-sky-100 dark:bg-sky-900/60",
  "bg-amber-100 dark:bg-amber-900/50",
  "bg-emerald-100 dark:bg-emerald-900/50",
  "bg-rose-100 dark:bg-rose-900/50",
  "bg-violet-100 dark:bg-violet-900/50",
];

/**
 * A text's tokens as coloured chips: whitespace visible (· → ↵, the inspector's glyphs),
 * stray bytes as <0xNN> badges, special tokens by name. Each chip's id shows on hover and on
 * keyboard focus (one tab stop; arrow keys move between tokens).
 */
export function TokenPieces({ tokens, label, max = 2_000 }: { tokens: readonly TokenPiece[]; label: string; max?: number }) {
  const shown = tokens.length > max ? tokens.slice(0, max) : tokens;
  const roving = useRovingFocus(shown.length);
  if (tokens.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">No tokens.</p>;
  return (
    <div>
      <ol role="list" aria-label={label} onKeyDown={roving.onKeyDown} className="flex flex-wrap gap-x-0.5 gap-y-1 font-mono text-sm leading-6">
        {shown.map((t, i) => (
          <li
            key={i}
            {...roving.itemProps(i)}
            data-token-id={t.id}
            aria-label={`${spokenText(t)}, id ${t.id}`}
            title={`id ${t.id}${t.bytes ? ` · bytes ${t.bytes.map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ")}` : ""}`}
            className={`group relative rounded px-0.5 outline-none focus-visible:ring-2 focus-visible:ring-brand-500 ${t.special ? "bg-slate-200 dark:bg-slate-700" : COLOURS[i % COLOURS.length]}`}
          >
            <TokenGlyphs token={t} />
            <span
              aria-hidden
              className="pointer-events-none absolute -top-6 left-0 z-10 hidden whitespace-nowrap rounded bg-slate-900 px-1.5 text-xs leading-5 text-white group-hover:block group-focus:block dark:bg-slate-100 dark:text-slate-900"
            >
              {t.id}
            </span>
          </li>
        ))}
      </ol>
      {tokens.length > max && (
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
          Showing the first {max.toLocaleString("en")} of {tokens.length.toLocaleString("en")} tokens.
        </p>
      )}
    </div>
  );
}
