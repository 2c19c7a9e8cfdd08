"use client";

import { useMemo, useState } from "react";
import { GlyphKey } from "@/components/inspector/token";
import { useUrlState } from "@/components/playground/use-url-state";
import { booleanField, stringListField, textField, type Spec } from "@/lib/playground/url-state";
import { COMPARE_TOKENIZER_IDS, MAX_TOKENIZE_CHARS, TOKENIZERS, type CompareTokenizerId, type TokenizerInfo } from "@/lib/tokenizers/catalog";
import type { ChatTemplateResult } from "./api";
import { CountChart } from "./count-chart";
import { TokenPieces } from "./token-pieces";
import { shownOutcome, useTokenize, type TokenizeState } from "./use-tokenize";
import { useHydrated } from "@/components/ui/use-hydrated";

export const DEFAULT_TEXT = "Tokenizers split text into pieces: naïve café, 1234567, 🤖 and こんにちは世界.";

interface LabState {
  text: string;
  tok: string[];
  chat: boolean;
}

const SPEC: Spec<LabState> = {
  text: textField(DEFAULT_TEXT, MAX_TOKENIZE_CHARS),
  tok: stringListField(COMPARE_TOKENIZER_IDS, { max: COMPARE_TOKENIZER_IDS.length, maxLength: 32 }),
  chat: booleanField(false),
};

/** The URL of this lab showing `text` (for "open in the playground" links). */
export function tokenizersLabHref(text: string, tokenizers?: readonly CompareTokenizerId[]): string {
  const params = new URLSearchParams({ text: text.slice(0, MAX_TOKENIZE_CHARS) });
  if (tokenizers) params.set("tok", tokenizers.join(","));
  return `/playground/tokenizers?${params}`;
}

/** /playground/tokenizers: one text through every tokenizer of the catalog, side by side. */
export function TokenizersLab() {
  const [state, update] = useUrlState(SPEC);
  // The box is local state (typing stays instant); the URL follows it.
  const [draft, setDraft] = useState(state.text);
  const hydrated = useHydrated();
  const selected = useMemo(() => COMPARE_TOKENIZER_IDS.filter((id) => state.tok.includes(id)), [state.tok]);
  const states = useTokenize(draft, selected, { chatTemplate: state.chat });
  const chart = selected.flatMap((id) => {
    const o = shownOutcome(states[id]);
    return o?.ok ? [{ name: info(id).name, count: o.count }] : [];
  });

  const toggle = (id: CompareTokenizerId, on: boolean) => {
    const next = on ? [...selected, id] : selected.filter((t) => t !== id);
    update({ tok: COMPARE_TOKENIZER_IDS.filter((t) => next.includes(t)) });
  };

  return (
    <div className="space-y-6">
      <section aria-labelledby="tok-input" className="space-y-2">
        <label id="tok-input" htmlFor="tok-text" className="text-sm font-medium">
          Text
        </label>
        <textarea
          id="tok-text"
          value={draft}
          readOnly={!hydrated}
          maxLength={MAX_TOKENIZE_CHARS}
          rows={4}
          aria-describedby="tok-text-note"
          onChange={(e) => {
            const text = e.target.value.slice(0, MAX_TOKENIZE_CHARS);
            setDraft(text);
            update({ text });
          }}
          className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 dark:border-slate-700 dark:bg-slate-900"
        />
        <p id="tok-text-note" className="text-xs text-slate-500 dark:text-slate-400">
          {[...draft].length.toLocaleString("en")} characters · at most {MAX_TOKENIZE_CHARS.toLocaleString("en")} (longer text is cut). The text is kept in the page&apos;s address, so you
          can share it.
        </p>
      </section>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Tokenizers</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-2">
          {TOKENIZERS.map((t) => (
            <label key={t.id} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={selected.includes(t.id)} onChange={(e) => toggle(t.id, e.target.checked)} className="size-4 accent-brand-600" />
              {t.name}
            </label>
          ))}
        </div>
        <label className="flex items-center gap-1.5 text-sm">
          <input type="checkbox" checked={state.chat} onChange={(e) => update({ chat: e.target.checked })} className="size-4 accent-brand-600" />
          Show each chat template&apos;s special tokens (for a short demo conversation)
        </label>
      </fieldset>

      <GlyphKey />

      {selected.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
          Pick at least one tokenizer above.
        </p>
      ) : draft === "" ? (
        <p className="rounded-xl border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
          Type or paste some text to see how each tokenizer cuts it.
        </p>
      ) : null}

      {selected.length > 0 && chart.length > 0 && <CountChart data={chart} />}

      {selected.length > 0 && (
        <ul className="grid grid-cols-1 gap-4" aria-label="Tokenizer results">
          {selected.map((id) => (
            <li key={id}>
              <TokenizerCard info={info(id)} state={states[id]} showChat={state.chat} />
            </li>
          ))}
        </ul>
      )}

      <Licences />
    </div>
  );
}

function info(id: CompareTokenizerId): TokenizerInfo {
  return TOKENIZERS.find((t) => t.id === id)!;
}

export function TokenizerCard({ info, state, showChat, compact = false }: { info: TokenizerInfo; state: TokenizeState | undefined; showChat?: boolean; compact?: boolean }) {
  const outcome = shownOutcome(state);
  const loading = !state || state.status === "loading";
  return (
    <article
      aria-label={info.name}
      aria-busy={loading}
      data-tokenizer={info.id}
      className="rounded-xl border border-slate-200 p-3 sm:p-4 dark:border-slate-800"
    >
      <header className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <h3 className="font-semibold">
          {info.name} <span className="text-xs font-normal text-slate-500 dark:text-slate-400">{info.vendor} · {info.vocabSize.toLocaleString("en")} tokens</span>
        </h3>
        <p className="text-sm tabular-nums" aria-live="polite">
          {outcome?.ok ? (
            <>
              <span data-testid="token-count" className="font-semibold">
                {outcome.count.toLocaleString("en")}
              </span>{" "}
              tokens
              {outcome.charsPerToken !== null && <span className="text-slate-500 dark:text-slate-400"> · {outcome.charsPerToken.toFixed(2)} chars/token</span>}
            </>
          ) : null}
          {loading && <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">{outcome ? "updating…" : info.id === "gemma3" ? "loading (33 MB vocabulary)…" : "loading…"}</span>}
        </p>
      </header>
      {state?.status === "error" && (
        <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">
          Could not tokenize: {state.error}
        </p>
      )}
      {outcome && !outcome.ok && (
        <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">
          {outcome.error}
        </p>
      )}
      {outcome?.ok && (
        <div className={`mt-2 ${loading ? "opacity-60" : ""}`}>
          <TokenPieces tokens={outcome.tokens} label={`${info.name} tokens`} max={compact ? 400 : 2_000} />
        </div>
      )}
      {!compact && <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">{info.note}</p>}
      {showChat && outcome?.ok && <ChatTemplate name={info.name} result={outcome.chatTemplate ?? null} />}
    </article>
  );
}

function ChatTemplate({ name, result }: { name: string; result: ChatTemplateResult | null }) {
  if (!result) return <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">{name} has no chat template: it was never trained as a chat model.</p>;
  return (
    <details className="mt-3 rounded-lg bg-slate-50 p-2 dark:bg-slate-900" open>
      <summary className="cursor-pointer text-sm font-medium">
        Chat template: {result.special.length} special tokens, {result.overhead} tokens added to the messages
      </summary>
      <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
        The conversation {result.messages.map((m) => `${m.role}: “${m.content}”`).join(" · ")} as the model reads it.
      </p>
      <div className="mt-2">
        <TokenPieces tokens={result.tokens} label={`${name} chat template tokens`} />
      </div>
    </details>
  );
}

function Licences() {
  return (
    <details className="rounded-xl border border-slate-200 p-3 text-sm dark:border-slate-800">
      <summary className="cursor-pointer font-medium">Where these tokenizers come from</summary>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full text-left text-xs">
          <thead className="text-slate-500 dark:text-slate-400">
            <tr>
              <th className="py-1 pr-3">Tokenizer</th>
              <th className="py-1 pr-3">Source</th>
              <th className="py-1 pr-3">Package licence</th>
              <th className="py-1">Tokenizer data licence</th>
            </tr>
          </thead>
          <tbody>
            {TOKENIZERS.map((t) => (
              <tr key={t.id} className="border-t border-slate-100 align-top dark:border-slate-800">
                <td className="py-1 pr-3 font-medium">{t.name}</td>
                <td className="py-1 pr-3">{t.source}</td>
                <td className="py-1 pr-3">{t.packageLicense}</td>
                <td className="py-1">{t.dataLicense}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

