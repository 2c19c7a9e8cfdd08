import type { ReactNode } from "react";
import type { TokenText } from "@/lib/llm/trace";
import { tokenPieces, type ByteRun, type TokenPiece } from "@/lib/inspector/token-display";

/**
 * A token's text drawn faithfully: whitespace as · → ↵, stray bytes as <0xF0> badges,
 * invisible characters as their code point, special tokens by name. Purely visual: the
 * element that contains it carries the accessible name (spokenText).
 */
export function TokenGlyphs({ token }: { token: TokenText }) {
  const pieces = tokenPieces(token);
  if (pieces.length === 0) return <span className="text-slate-400 dark:text-slate-500">∅</span>;
  return (
    <>
      {pieces.map((piece, i) => (
        <Piece key={i} piece={piece} />
      ))}
    </>
  );
}

function Piece({ piece }: { piece: TokenPiece }) {
  switch (piece.kind) {
    case "text":
      return <span className="whitespace-pre">{piece.text}</span>;
    case "special":
      return <span className="font-semibold text-brand-700 dark:text-brand-400">{piece.text}</span>;
    case "byte":
      return (
        <span className="mx-px rounded-sm bg-amber-100 px-0.5 text-[0.8em] font-semibold text-amber-900 ring-1 ring-amber-400/70 dark:bg-amber-400/15 dark:text-amber-200 dark:ring-amber-400/40">
          {piece.glyph}
        </span>
      );
    case "control":
      return <span className="mx-px rounded-sm px-0.5 text-[0.75em] text-rose-700 ring-1 ring-rose-300 dark:text-rose-300 dark:ring-rose-500/50">{piece.glyph}</span>;
    default:
      // Whitespace: a faint glyph where the character is (faint on any background colour).
      return <span className="opacity-45">{piece.glyph}</span>;
  }
}

/** The key to the glyphs, for the prompt and reply panels. */
export function GlyphKey() {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400" aria-label="How tokens are drawn">
      <li>
        <span className="font-mono text-slate-400 dark:text-slate-500">·</span> space
      </li>
      <li>
        <span className="font-mono text-slate-400 dark:text-slate-500">→</span> tab
      </li>
      <li>
        <span className="font-mono text-slate-400 dark:text-slate-500">↵</span> newline
      </li>
      <li>
        <span className="rounded-sm bg-amber-100 px-0.5 font-mono text-[0.8em] font-semibold text-amber-900 ring-1 ring-amber-400/70 dark:bg-amber-400/15 dark:text-amber-200 dark:ring-amber-400/40">
          &lt;0xF0&gt;
        </span>{" "}
        a byte that is not a whole character
      </li>
      <li>
        <span className="font-mono font-semibold text-brand-700 dark:text-brand-400">&lt;|end|&gt;</span> special token
      </li>
    </ul>
  );
}

/** A small "fork" icon for branches (an SVG: the Unicode fork sign is missing from many fonts). */
export function BranchIcon({ className = "size-3.5" }: { className?: string }) {
  return (
    <svg aria-hidden viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" className={className}>
      <circle cx="4" cy="3" r="1.6" />
      <circle cx="4" cy="13" r="1.6" />
      <circle cx="12" cy="5" r="1.6" />
      <path d="M4 4.6v6.8M12 6.6c0 3-3.5 3-7 4.8" />
    </svg>
  );
}

/**
 * Lays out a list of token chips, wrapping each run of partial-UTF-8 tokens that together
 * make whole characters in a bracket with those characters under it ("🙂 U+1F642").
 */
export function withByteRuns(count: number, runs: readonly ByteRun[], render: (index: number) => ReactNode): ReactNode[] {
  const out: ReactNode[] = [];
  const byStart = new Map(runs.map((r) => [r.start, r]));
  for (let i = 0; i < count; ) {
    const run = byStart.get(i);
    if (!run) {
      out.push(render(i));
      i++;
      continue;
    }
    const items: ReactNode[] = [];
    for (let j = run.start; j < run.end; j++) items.push(render(j));
    out.push(
      <span key={`run-${run.start}`} className="inline-flex w-fit max-w-full flex-col items-stretch" data-byte-run={run.text}>
        <span className="flex flex-wrap gap-1">{items}</span>
        <span
          className="mt-0.5 flex items-center justify-center gap-1 border-x border-b border-amber-400/80 px-1 pb-0.5 font-sans text-[11px] leading-4 text-amber-800 rounded-b dark:border-amber-400/50 dark:text-amber-200"
          title={`These ${run.end - run.start} tokens' bytes together spell ${run.text} (${run.codePoints})`}
        >
          <span className="font-mono text-[13px]">{run.text}</span>
          <span className="text-[10px] text-amber-700/80 dark:text-amber-300/70">{run.codePoints}</span>
        </span>
      </span>,
    );
    i = run.end;
  }
  return out;
}
