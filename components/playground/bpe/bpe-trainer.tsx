"use client";

import { useEffect, useRef, useState } from "react";
import { GlyphKey, TokenGlyphs } from "@/components/inspector/token";
import { fetchTokenize } from "@/components/playground/tokenizers/api";
import { TokenPieces } from "@/components/playground/tokenizers/token-pieces";
import { describeToken } from "@/lib/tokenizers/bytes";
import { BpeClient, type TrainSummary } from "@/lib/tokenizers/bpe/client";
import { MAX_LAB_TEXT, MAX_LAB_VOCAB, MIN_LAB_VOCAB } from "@/lib/tokenizers/bpe/lab";
import type { MergeStep } from "@/lib/tokenizers/bpe/train";
import type { TokenPiece } from "@/lib/tokenizers/pieces";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Button } from "@/components/ui/button";

export interface Preset {
  label: string;
  text: string;
}

/** A byte-level token string as a learner reads it (bytes.ts; "Ġsun" → " sun"). */
function readable(token: string) {
  const d = describeToken(token);
  return d.partial ? { text: d.text, bytes: Array.from(d.bytes) } : { text: d.text };
}

function TokenChip({ token }: { token: string }) {
  return (
    <code className="rounded bg-slate-100 px-1 font-mono dark:bg-slate-800">
      <TokenGlyphs token={readable(token)} />
    </code>
  );
}

type Phase = { kind: "idle" } | { kind: "training"; learned: number; target: number } | { kind: "trained"; summary: TrainSummary } | { kind: "error"; error: string };

/**
 * Train a byte-level BPE on a text in a Web Worker (lib/tokenizers/bpe/worker.ts), watch
 * the merges arrive, replay them one by one on a test text, and compare the result with
 * course-lm's tokenizer. Used by the /playground/bpe lab and, compact, by lesson demos.
 */
export function BpeTrainer({
  text,
  vocabSize,
  testText,
  onChange,
  presets = [],
  compact = false,
  autoTrain = false,
}: {
  text: string;
  vocabSize: number;
  testText?: string;
  onChange?: (patch: { text?: string; vocab?: number; test?: string }) => void;
  presets?: readonly Preset[];
  compact?: boolean;
  autoTrain?: boolean;
}) {
  const [corpus, setCorpus] = useState(text);
  const hydrated = useHydrated();
  const [vocab, setVocab] = useState(vocabSize);
  const [test, setTest] = useState(testText ?? "");
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [merges, setMerges] = useState<MergeStep[]>([]);
  const [replay, setReplay] = useState(0);
  const [replayed, setReplayed] = useState<{ tokens: TokenPiece[]; merges: number } | null>(null);
  const [full, setFull] = useState<{ text: string; count: number } | null>(null);
  const [courseLm, setCourseLm] = useState<{ text: string; count: number } | { text: string; error: string } | null>(null);
  const client = useRef<BpeClient | null>(null);
  const autoStarted = useRef(false);
  const testInput = test === "" ? corpus : test;

  useEffect(() => () => client.current?.dispose(), []);

  const train = async () => {
    client.current ??= new BpeClient();
    setMerges([]);
    setReplayed(null);
    setFull(null);
    setPhase({ kind: "training", learned: 0, target: vocab - 256 });
    try {
      const summary = await client.current.train(corpus, vocab, (batch, learned, target) => {
        setMerges((m) => [...m, ...batch]);
        setPhase({ kind: "training", learned, target });
      });
      setPhase({ kind: "trained", summary });
      setReplay(summary.merges);
    } catch (error) {
      setPhase({ kind: "error", error: error instanceof Error ? error.message : String(error) });
    }
  };

  // A lesson demo trains on its own text as soon as it is shown (small texts: milliseconds).
  useEffect(() => {
    if (!autoTrain || autoStarted.current) return;
    autoStarted.current = true;
    const start = setTimeout(() => void train(), 0);
    return () => clearTimeout(start);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, with the initial props
  }, [autoTrain]);

  const trained = phase.kind === "trained";

  // Replay: the test text with the first `replay` merges; and the full tokenizer's count.
  useEffect(() => {
    if (!trained || !client.current) return;
    let live = true;
    const c = client.current;
    const timer = setTimeout(() => {
      void c
        .encode(testInput, replay)
        .then((tokens) => live && setReplayed({ tokens, merges: replay }))
        .catch(() => {});
      void c
        .encode(testInput)
        .then((tokens) => live && setFull({ text: testInput, count: tokens.length }))
        .catch(() => {});
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [trained, testInput, replay, merges.length]);

  // course-lm's count for the same test text (the real, 2,048-token tokenizer on the server).
  useEffect(() => {
    if (!trained) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetchTokenize("course-lm", testInput, { signal: controller.signal })
        .then((o) => setCourseLm(o.ok ? { text: testInput, count: o.count } : { text: testInput, error: o.error }))
        .catch((error: unknown) => !controller.signal.aborted && setCourseLm({ text: testInput, error: error instanceof Error ? error.message : String(error) }));
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [trained, testInput]);

  const current = replay > 0 ? merges[replay - 1] : undefined;
  const pct = phase.kind === "training" && phase.target > 0 ? Math.round((100 * phase.learned) / phase.target) : trained ? 100 : 0;

  return (
    <div className="space-y-4" data-bpe-trainer>
      {presets.length > 0 && (
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-medium">Samples:</span>
          {presets.map((p) => (
            <button
              key={p.label}
              type="button"
              onClick={() => {
                setCorpus(p.text.slice(0, MAX_LAB_TEXT));
                onChange?.({ text: p.text.slice(0, MAX_LAB_TEXT) });
              }}
              className="rounded-full border border-slate-300 px-3 py-1 hover:border-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500 dark:border-slate-700"
            >
              {p.label}
            </button>
          ))}
        </div>
      )}
      <div className="space-y-1">
        <label htmlFor={compact ? undefined : "bpe-text"} className="text-sm font-medium">
          Training text
          <textarea
            id={compact ? undefined : "bpe-text"}
            value={corpus}
            readOnly={!hydrated}
            maxLength={MAX_LAB_TEXT}
            rows={compact ? 2 : 5}
            onChange={(e) => {
              setCorpus(e.target.value);
              onChange?.({ text: e.target.value });
            }}
            className="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-sm font-normal shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 dark:border-slate-700 dark:bg-slate-900"
          />
        </label>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {[...corpus].length.toLocaleString("en")} characters · at most {MAX_LAB_TEXT.toLocaleString("en")}
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm font-medium">
          Vocabulary size
          <input
            type="number"
            min={MIN_LAB_VOCAB}
            max={MAX_LAB_VOCAB}
            step={1}
            value={vocab}
            onChange={(e) => {
              const v = Math.round(Number(e.target.value));
              if (!Number.isFinite(v)) return;
              setVocab(v);
              if (v >= MIN_LAB_VOCAB && v <= MAX_LAB_VOCAB) onChange?.({ vocab: v });
            }}
            className="mt-1 block w-28 rounded-lg border border-slate-300 bg-white px-2 py-1.5 font-normal tabular-nums dark:border-slate-700 dark:bg-slate-900"
          />
        </label>
        <Button
          type="button"
          onClick={() => void train()}
          disabled={phase.kind === "training" || corpus.trim() === "" || vocab < MIN_LAB_VOCAB || vocab > MAX_LAB_VOCAB}
          variant="primary"
        >
          {phase.kind === "training" ? "Training…" : trained ? "Train again" : "Train"}
        </Button>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          256 byte tokens + {Math.max(0, vocab - 256).toLocaleString("en")} merges (between {MIN_LAB_VOCAB} and {MAX_LAB_VOCAB.toLocaleString("en")} in all)
        </p>
      </div>

      {(phase.kind === "training" || trained) && (
        <div>
          <progress className="h-2 w-full accent-brand-600" max={100} value={pct} aria-label="Training progress" />
          <p className="text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
            {phase.kind === "training"
              ? `Learning merges: ${phase.learned} of ${phase.target}`
              : trained
                ? `Learned ${phase.summary.merges} merges from ${phase.summary.words.toLocaleString("en")} words (${phase.summary.uniqueWords.toLocaleString("en")} distinct) in ${Math.max(1, Math.round(phase.summary.ms))} ms.${
                    phase.summary.stoppedEarly ? " Stopped early: no pair occurs twice any more, so the text is too short to fill this vocabulary." : ""
                  }`
                : null}
          </p>
        </div>
      )}
      {phase.kind === "error" && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          Training failed: {phase.error}
        </p>
      )}

      {merges.length > 0 && (
        <div className={`overflow-auto rounded-xl border border-slate-200 dark:border-slate-800 ${compact ? "max-h-48" : "max-h-80"}`}>
          <table className="w-full text-sm" aria-label="Merges, in the order learned">
            <thead className="sticky top-0 bg-slate-50 text-left text-xs uppercase tracking-wider text-slate-500 dark:bg-slate-900 dark:text-slate-400">
              <tr>
                <th className="px-2 py-1">#</th>
                <th className="px-2 py-1">Pair → new token</th>
                <th className="px-2 py-1 text-right">Id</th>
                <th className="px-2 py-1 text-right">Count</th>
              </tr>
            </thead>
            <tbody>
              {merges.map((m) => (
                <tr key={m.rank} data-merge={m.rank + 1} className={`border-t border-slate-100 dark:border-slate-800 ${trained && m.rank < replay ? "" : "opacity-50"} ${m.rank + 1 === replay ? "bg-brand-50 dark:bg-brand-500/15" : ""}`}>
                  <td className="px-2 py-0.5 tabular-nums text-slate-500">{m.rank + 1}</td>
                  <td className="px-2 py-0.5">
                    <TokenChip token={m.left} /> + <TokenChip token={m.right} /> → <TokenChip token={m.merged} />
                  </td>
                  <td className="px-2 py-0.5 text-right font-mono tabular-nums">{m.id}</td>
                  <td className="px-2 py-0.5 text-right tabular-nums">{m.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {trained && (
        <section className="space-y-3 rounded-xl border border-slate-200 p-3 dark:border-slate-800" aria-label="Tokenize with the result">
          <label className="block text-sm font-medium">
            Test text <span className="font-normal text-slate-500 dark:text-slate-400">(empty: the training text)</span>
            <input
              type="text"
              value={test}
              readOnly={!hydrated}
              maxLength={MAX_LAB_TEXT}
              onChange={(e) => {
                setTest(e.target.value);
                onChange?.({ test: e.target.value });
              }}
              className="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 font-mono font-normal dark:border-slate-700 dark:bg-slate-900"
            />
          </label>
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-sm font-medium" id="replay-label">
              Replay merges
            </span>
            <button type="button" aria-label="One merge back" onClick={() => setReplay((r) => Math.max(0, r - 1))} className="rounded border border-slate-300 px-2 dark:border-slate-700">
              −
            </button>
            <input
              type="range"
              min={0}
              max={merges.length}
              value={replay}
              aria-labelledby="replay-label"
              aria-valuetext={`${replay} of ${merges.length} merges`}
              onChange={(e) => setReplay(Number(e.target.value))}
              className="min-w-32 flex-1 accent-brand-600"
            />
            <button type="button" aria-label="One merge forward" onClick={() => setReplay((r) => Math.min(merges.length, r + 1))} className="rounded border border-slate-300 px-2 dark:border-slate-700">
              +
            </button>
            <span className="text-sm tabular-nums">
              {replay} / {merges.length}
            </span>
          </div>
          {current && (
            <p className="text-sm">
              Merge #{replay}: <TokenChip token={current.left} /> + <TokenChip token={current.right} /> → <TokenChip token={current.merged} /> (seen {current.count} times)
            </p>
          )}
          {replayed && (
            <div>
              <p className="mb-1 text-sm">
                After {replayed.merges} merges: <strong data-testid="replay-count">{replayed.tokens.length}</strong> tokens
              </p>
              <TokenPieces tokens={replayed.tokens} label="Test text, tokenized with the merges so far" max={compact ? 300 : 2_000} />
            </div>
          )}
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-sm" aria-label="Token counts for the test text">
            <dt>Your tokenizer ({vocab.toLocaleString("en")}):</dt>
            <dd data-testid="bpe-count" className="tabular-nums">
              {full?.text === testInput ? `${full.count} tokens` : "…"}
            </dd>
            <dt>course-lm (2,048):</dt>
            <dd data-testid="course-lm-count" className="tabular-nums">
              {courseLm?.text !== testInput ? "…" : "error" in courseLm ? courseLm.error : `${courseLm.count} tokens`}
            </dd>
          </dl>
          {!compact && (
            <p className="text-xs text-slate-500 dark:text-slate-400">
              A tokenizer trained on this very text fits it snugly; course-lm&apos;s was trained on the whole course, so it knows more words but none of this text&apos;s quirks. Try a test
              text in another language to see both fall back to bytes.
            </p>
          )}
          <GlyphKey />
        </section>
      )}
    </div>
  );
}
