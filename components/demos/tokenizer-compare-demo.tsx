"use client";

import Link from "next/link";
import { useState } from "react";
import { TokenizerCard, tokenizersLabHref } from "@/components/playground/tokenizers/tokenizers-lab";
import { shownOutcome, useTokenize } from "@/components/playground/tokenizers/use-tokenize";
import { COMPARE_TOKENIZER_IDS, MAX_TOKENIZE_CHARS, TOKENIZERS } from "@/lib/tokenizers/catalog";
import type { DemoProps } from "./types";
import { DemoTextInput, TokenizerDemoFrame as DemoFrame } from "./tokenizer-demo-frame";

/** `<Demo kind="tokenizer-compare" text="…" />`: the text through every tokenizer, compact, with a link to the full lab. */
export function TokenizerCompareDemo({ kind, text = "" }: DemoProps) {
  const [value, setValue] = useState(text.slice(0, MAX_TOKENIZE_CHARS));
  const states = useTokenize(value, COMPARE_TOKENIZER_IDS);
  const [open, setOpen] = useState(false);
  return (
    <DemoFrame
      kind={kind}
      title="Compare tokenizers"
      footer={
        <Link href={tokenizersLabHref(value)} className="inline-block text-sm font-medium text-brand-700 underline hover:no-underline dark:text-brand-400">
          Open in the playground →
        </Link>
      }
    >
      <DemoTextInput value={value} onChange={setValue} />
      <table className="w-full text-sm" aria-label="Token counts by tokenizer">
        <thead className="text-left text-xs text-slate-500 dark:text-slate-400">
          <tr>
            <th className="py-1">Tokenizer</th>
            <th className="py-1 text-right">Tokens</th>
            <th className="py-1 text-right">Chars / token</th>
          </tr>
        </thead>
        <tbody>
          {TOKENIZERS.map((t) => {
            const o = shownOutcome(states[t.id]);
            return (
              <tr key={t.id} data-tokenizer={t.id} className="border-t border-slate-200/70 dark:border-slate-800">
                <td className="py-1">{t.name}</td>
                <td className="py-1 text-right tabular-nums" data-testid="token-count">
                  {o?.ok ? o.count : states[t.id]?.status === "error" || (o && !o.ok) ? "error" : "…"}
                </td>
                <td className="py-1 text-right tabular-nums">{o?.ok && o.charsPerToken !== null ? o.charsPerToken.toFixed(2) : ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" aria-expanded={open} onClick={() => setOpen((v) => !v)} className="text-sm font-medium text-brand-700 underline hover:no-underline dark:text-brand-400">
        {open ? "Hide the pieces" : "Show every tokenizer's pieces"}
      </button>
      {open && (
        <ul className="grid grid-cols-1 gap-2">
          {TOKENIZERS.map((t) => (
            <li key={t.id}>
              <TokenizerCard info={t} state={states[t.id]} compact />
            </li>
          ))}
        </ul>
      )}
    </DemoFrame>
  );
}
