"use client";

import { useEffect, useId, useMemo, useRef, useState } from "react";
import {
  attentionByPassage,
  attentionRow,
  fetchTracked,
  lensGrid,
  passageSpans,
  tokenFates,
  tokenizeForModel,
  topAttended,
  visibleTokens,
  type IndexOrMean,
  type TokenFate,
} from "@/lib/inspector/internals";
import { agreement, runElsewhere, type Agreement } from "@/lib/inspector/agreement";
import type { Trace } from "@/lib/llm/trace";
import { visibleText } from "@/lib/inspector/token-display";

type View = "attention" | "lens" | "token" | "agreement";

interface Props {
  /** The reply as recorded (what the rest of the inspector shows). */
  trace: Trace;
  /** Recomputes the reply with internals (the host's business: the server replays it). */
  loadInternals: () => Promise<Trace>;
  /** The inspector's selected step (shared with the reply tokens). */
  selected: number | null;
  onSelect: (stepIndex: number) => void;
}

/** Background for a weight in [0, 1] relative to the row's largest: the brand colour, more opaque for more. */
const heat = (weight: number, max: number) => `hsl(243 75% 59% / ${max > 0 ? Math.min(1, weight / max) * 0.85 : 0})`;
const percent = (x: number) => `${(x * 100).toFixed(x >= 0.1 ? 0 : 1)} %`;

/**
 * One on-request computation (recompute with internals, track a token, run elsewhere): its state,
 * its result or error, and `run`. Everything is forgotten when `of` (the inspected reply) changes,
 * and a run started for an older reply never lands on a newer one.
 */
function useOnRequest<T>(of: unknown) {
  const [state, setState] = useState<"idle" | "loading" | "error">("idle");
  const [error, setError] = useState("");
  const [result, setResult] = useState<T | null>(null);
  // A new reply: start over (adjusting state while rendering, as React recommends over an effect).
  const [shownFor, setShownFor] = useState(of);
  if (shownFor !== of) {
    setShownFor(of);
    setState("idle");
    setResult(null);
  }
  const current = useRef(of);
  useEffect(() => {
    current.current = of;
  }, [of]);
  const run = async (work: () => Promise<T>) => {
    const startedFor = of;
    setState("loading");
    try {
      const value = await work();
      if (current.current !== startedFor) return;
      setResult(value);
      setState("idle");
    } catch (e) {
      if (current.current !== startedFor) return;
      setError(e instanceof Error ? e.message : String(e));
      setState("error");
    }
  };
  return { state, error, result, run };
}

/**
 * "Inside the model": the selected reply token's attention over everything before it (per layer
 * and head, or averaged; which retrieved passage it read most), the logit lens (each layer's best
 * guess at every step), and any token's probability and rank at every step. Each on request: the
 * reply is recomputed on the server with internals recorded, or with the token tracked.
 */
export function InsideModel({ trace, loadInternals, selected, onSelect }: Props) {
  const internals = useOnRequest<Trace>(trace);
  const { state, error, result: inside } = internals;
  const [view, setView] = useState<View>("attention");
  const [layer, setLayer] = useState<IndexOrMean>("mean");
  const [head, setHead] = useState<IndexOrMean>("mean");
  const base = useId();
  const load = () => internals.run(loadInternals);

  const loader = (
    <div className="space-y-2">
      <p className="text-slate-600 dark:text-slate-400">
        See which earlier tokens each reply token attended to, layer by layer and head by head, and what each layer would have predicted on its own (the logit lens). The reply is recomputed on the server with these recorded.
      </p>
      <button
        type="button"
        onClick={load}
        disabled={state === "loading"}
        className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {state === "loading" ? "Recomputing the reply…" : "Look inside the model"}
      </button>
      {state === "loading" && <p role="status" className="text-slate-600 dark:text-slate-400">Replaying {trace.steps.length} tokens with attention recorded…</p>}
      {state === "error" && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          Could not look inside: {error}
        </p>
      )}
    </div>
  );
  const recorded = inside ? inside.steps.filter((s) => s.attention).length : 0;
  const views: { id: View; label: string }[] = [
    { id: "attention", label: "Attention" },
    { id: "lens", label: "Logit lens" },
    { id: "token", label: "Any token" },
    { id: "agreement", label: "Agreement" },
  ];
  return (
    <div className="space-y-3 text-sm" data-testid="inside-model">
      <div role="tablist" aria-label="Inside the model" className="flex flex-wrap gap-1">
        {views.map((v, i) => (
          <button
            key={v.id}
            type="button"
            role="tab"
            id={`${base}-${v.id}-tab`}
            aria-selected={view === v.id}
            aria-controls={`${base}-${v.id}`}
            tabIndex={view === v.id ? 0 : -1}
            onClick={() => setView(v.id)}
            onKeyDown={(e) => {
              if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
                const next = views[(i + (e.key === "ArrowRight" ? 1 : views.length - 1)) % views.length]!.id;
                setView(next);
                document.getElementById(`${base}-${next}-tab`)?.focus();
              }
            }}
            className={
              "rounded-md px-3 py-1 font-medium " +
              (view === v.id ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800")
            }
          >
            {v.label}
          </button>
        ))}
      </div>
      {inside && recorded < inside.steps.length && (view === "attention" || view === "lens") && (
        <p className="text-xs text-slate-500 dark:text-slate-400">Internals are recorded for the first {recorded} tokens of a reply (a size cap).</p>
      )}
      <div role="tabpanel" id={`${base}-${view}`} aria-labelledby={`${base}-${view}-tab`}>
        {view === "token" ? (
          <AnyTokenView trace={trace} />
        ) : view === "agreement" ? (
          <AgreementView trace={trace} />
        ) : !inside ? (
          loader
        ) : view === "attention" ? (
          <AttentionView trace={inside} selected={selected} layer={layer} head={head} onLayer={setLayer} onHead={setHead} />
        ) : (
          <LensView trace={inside} selected={selected} onSelect={onSelect} />
        )}
      </div>
    </div>
  );
}

/**
 * Any token: its probability and rank at every step of the reply, before and after the sampling
 * stages — recomputed by replaying the reply with the token tracked, not read from storage.
 */
function AnyTokenView({ trace }: { trace: Trace }) {
  const [text, setText] = useState("");
  const lookup = useOnRequest<{ token: { id: number; text: string }; pieces: number; fates: TokenFate[] }>(trace);
  const { state, error: message, result } = lookup;
  const inputId = useId();

  const look = (e: React.FormEvent) => {
    e.preventDefault();
    if (!text) return;
    void lookup.run(async () => {
      const pieces = await tokenizeForModel(text);
      if (pieces.length === 0) throw new Error("that text makes no tokens");
      const token = pieces[0]!;
      const replayed = await fetchTracked(trace, token.id);
      return { token, pieces: pieces.length, fates: tokenFates(replayed, token.id) };
    });
  };

  return (
    <div className="space-y-3">
      <form onSubmit={look} className="flex flex-wrap items-end gap-2">
        <label htmlFor={inputId} className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-600 dark:text-slate-400">A token or word (start with a space for a word mid-sentence)</span>
          <input
            id={inputId}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder=" temperature"
            maxLength={64}
            className="w-56 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono dark:border-slate-700 dark:bg-slate-900"
          />
        </label>
        <button type="submit" disabled={state === "loading" || !text} className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {state === "loading" ? "Recomputing…" : "Show its probability"}
        </button>
      </form>
      {state === "error" && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          Could not look it up: {message}
        </p>
      )}
      {result && (
        <div className="space-y-2" data-testid="any-token">
          <p>
            <code>{visibleText(result.token)}</code> is token {result.token.id}
            {result.pieces > 1 && ` — the first of the ${result.pieces} tokens this text makes; a model writes a word one token at a time, so its first token is the one that can come next`}
            . At each step of the reply:
          </p>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-xs">
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="col" className="py-1 pr-2">Step</th>
                  <th scope="col" className="py-1 pr-2">Token chosen</th>
                  <th scope="col" className="py-1 pr-2 text-right">P (model)</th>
                  <th scope="col" className="py-1 pr-2 text-right">Rank</th>
                  <th scope="col" className="py-1 pr-2 text-right">P after temperature</th>
                  <th scope="col" className="py-1 pr-2 text-right">P sampled from</th>
                  <th scope="col" className="py-1">Removed by</th>
                </tr>
              </thead>
              <tbody>
                {result.fates.map((f) => (
                  <tr key={f.step} className="border-b border-slate-100 dark:border-slate-900">
                    <td className="py-1 pr-2">{f.step + 1}</td>
                    <td className="py-1 pr-2 font-mono">{visibleText(f.chosen)}</td>
                    <td className="py-1 pr-2 text-right tabular-nums">{formatProb(f.probModel)}</td>
                    <td className="py-1 pr-2 text-right tabular-nums">{f.rank + 1}</td>
                    <td className="py-1 pr-2 text-right tabular-nums">{formatProb(f.probAtTemperature)}</td>
                    <td className="py-1 pr-2 text-right tabular-nums">{formatProb(f.probFinal)}</td>
                    <td className="py-1">{f.removedBy ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}

/** Where a backend runs, in words. */
const where = (backend: string) => (backend === "node" ? "the server (Node, CPU)" : backend === "webgpu" ? "your browser (WebGPU)" : "your browser (WebAssembly)");

/**
 * Agreement: the same reply run on the other backend (this page's worker for a server reply, the
 * server for a page's), compared step by step: same top-1 token? largest |Δlogit|?
 */
function AgreementView({ trace }: { trace: Trace }) {
  const [progress, setProgress] = useState<number | null>(null);
  const comparison = useOnRequest<{ other: Trace; agreement: Agreement }>(trace);
  const { state, error: message, result } = comparison;
  const elsewhere = trace.model.backend === "node" ? "your browser" : "the server";

  const run = () =>
    comparison.run(async () => {
      const other = await runElsewhere(trace, { onProgress: (e) => setProgress(e.total > 0 ? e.loaded / e.total : null) });
      return { other, agreement: agreement(trace, other) };
    });

  return (
    <div className="space-y-3">
      <p className="text-slate-600 dark:text-slate-400">
        This reply was computed on {where(trace.model.backend)}. Run the very same computation — its prompt tokens, its tokens forced, its settings — on {elsewhere} and compare the model&apos;s numbers step by step: different hardware and libraries add up floating-point numbers in different orders, so the logits differ a little, but the top token should not.
      </p>
      <button type="button" onClick={run} disabled={state === "loading"} className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
        {state === "loading" ? "Running…" : `Run it on ${elsewhere}`}
      </button>
      {state === "loading" && (
        <p role="status" className="text-slate-600 dark:text-slate-400">
          {progress !== null && progress < 1 ? `Loading the model in this page: ${Math.round(progress * 100)} %` : `Recomputing ${trace.steps.length} tokens…`}
        </p>
      )}
      {state === "error" && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          Could not run it there: {message}
        </p>
      )}
      {result && (
        <div className="space-y-2" data-testid="agreement">
          <p>
            On {where(result.other.model.backend)} the top token agrees at <strong>{result.agreement.agreeing} of {result.agreement.steps.length}</strong> steps; the largest difference in a logit is{" "}
            <strong>{result.agreement.maxLogitDiff.toExponential(1)}</strong>.
          </p>
          <div className="max-h-64 overflow-auto">
            <table className="w-full text-left text-xs">
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="col" className="py-1 pr-2">Step</th>
                  <th scope="col" className="py-1 pr-2">Token</th>
                  <th scope="col" className="py-1 pr-2">Same top token</th>
                  <th scope="col" className="py-1 text-right">Largest |Δlogit|</th>
                </tr>
              </thead>
              <tbody>
                {result.agreement.steps.map((s) => (
                  <tr key={s.step} className="border-b border-slate-100 dark:border-slate-900">
                    <td className="py-1 pr-2">{s.step + 1}</td>
                    <td className="py-1 pr-2 font-mono">{visibleText(trace.steps[s.step]!)}</td>
                    <td className={"py-1 pr-2 " + (s.agree ? "" : "font-semibold text-red-700 dark:text-red-400")}>{s.agree ? "yes" : "no"}</td>
                    <td className="py-1 text-right tabular-nums">{s.maxLogitDiff === null ? "—" : s.maxLogitDiff.toExponential(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}

/** A probability as a percentage, tiny ones in scientific notation (they are the point of "any token"). */
const formatProb = (p: number) => (p === 0 ? "0" : p >= 0.001 ? `${(p * 100).toFixed(p >= 0.1 ? 1 : 2)} %` : p.toExponential(1));

export function AttentionView({ trace, selected, layer, head, onLayer, onHead }: { trace: Trace; selected: number | null; layer: IndexOrMean; head: IndexOrMean; onLayer: (l: IndexOrMean) => void; onHead: (h: IndexOrMean) => void }) {
  const step = selected === null ? undefined : trace.steps[selected];
  const layers = step?.attention?.length ?? 0;
  const heads = step?.attention?.[0]?.length ?? 0;
  const row = useMemo(() => (step ? attentionRow(step, layer, head) : []), [step, layer, head]);
  const tokens = selected === null ? [] : visibleTokens(trace, selected);
  const passages = useMemo(() => attentionByPassage(row, passageSpans(trace.prompt.tokens)), [row, trace.prompt.tokens]);
  if (selected === null || !step) return <p className="text-slate-600 dark:text-slate-400">Select a reply token to see its attention.</p>;
  if (!step.attention) return <p className="text-slate-600 dark:text-slate-400">This token is past the size cap: no attention was recorded for it.</p>;
  const max = Math.max(...row);
  const top = topAttended(row, 5);
  const mostRead = [...passages].sort((a, b) => b.share - a.share)[0];
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <IndexPicker label="Layer" count={layers} value={layer} onChange={onLayer} />
        <IndexPicker label="Head" count={heads} value={head} onChange={onHead} />
      </div>
      <p data-testid="attention-summary">
        Producing <strong>{visibleText(step)}</strong> (token {selected + 1}), the model attended most to{" "}
        {top.map((t, i) => (
          <span key={t.position}>
            {i > 0 && ", "}
            <code>{visibleText(tokens[t.position] ?? { text: "" })}</code> ({percent(t.weight)})
          </span>
        ))}
        .
      </p>
      {mostRead && mostRead.share > 0 && (
        <p data-testid="attention-passage">
          Of the retrieved passages it read <strong>{mostRead.span.label}</strong> most: {percent(mostRead.share)} of its attention
          {passages.length > 1 && ` (${passages.map((p) => percent(p.share)).join(" · ")} across the ${passages.length} passages)`}.
        </p>
      )}
      <div className="max-h-72 overflow-y-auto rounded-lg border border-slate-200 p-2 leading-7 dark:border-slate-800" aria-label="Attention over the tokens before it" role="group">
        {tokens.map((t, j) => (
          <span
            key={j}
            data-weight={row[j]}
            title={`${visibleText(t)}: ${percent(row[j] ?? 0)}`}
            style={{ background: heat(row[j] ?? 0, max) }}
            className={"mx-px whitespace-pre-wrap rounded px-0.5 font-mono text-xs " + ((row[j] ?? 0) / max > 0.5 ? "text-white" : "")}
          >
            {visibleText(t)}
          </span>
        ))}
      </div>
    </div>
  );
}

/** One of `count` layers or heads (numbered from 1 for the learner), or their average. */
function IndexPicker({ label, count, value, onChange }: { label: "Layer" | "Head"; count: number; value: IndexOrMean; onChange: (v: IndexOrMean) => void }) {
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</span>
      <select
        value={String(value)}
        onChange={(e) => onChange(e.target.value === "mean" ? "mean" : Number(e.target.value))}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
      >
        <option value="mean">
          Average of {count} {label.toLowerCase()}s
        </option>
        {Array.from({ length: count }, (_, i) => (
          <option key={i} value={i}>
            {label} {i + 1}
          </option>
        ))}
      </select>
    </label>
  );
}

function LensView({ trace, selected, onSelect }: { trace: Trace; selected: number | null; onSelect: (i: number) => void }) {
  const grid = useMemo(() => lensGrid(trace.steps), [trace.steps]);
  if (grid.length === 0) return <p className="text-slate-600 dark:text-slate-400">No logit lens was recorded.</p>;
  return (
    <div className="space-y-2">
      <p className="text-slate-600 dark:text-slate-400">
        Each row is what the model would predict if it stopped after that layer (its state through the final norm and output layer): the top token and its probability. The last row is the model&apos;s real prediction.
      </p>
      <div className="overflow-x-auto">
        <table className="border-separate border-spacing-0.5 text-xs" data-testid="logit-lens">
          <caption className="sr-only">Logit lens: layers by reply tokens</caption>
          <thead>
            <tr>
              <th scope="col" className="px-1 text-left font-medium">Layer</th>
              {trace.steps.map((s, i) => (
                <th key={i} scope="col" className={"px-1 font-mono font-normal " + (i === selected ? "text-brand-700 underline dark:text-brand-400" : "")}>
                  <button type="button" onClick={() => onSelect(i)} aria-label={`Select reply token ${i + 1}`}>
                    {visibleText(s)}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.map((cells, layer) => (
              <tr key={layer}>
                <th scope="row" className="whitespace-nowrap px-1 text-left font-medium">
                  {layer + 1}
                  {layer === grid.length - 1 ? " (output)" : ""}
                </th>
                {cells.map((cell, i) => (
                  <td
                    key={i}
                    title={cell ? `${visibleText(cell)}: ${percent(cell.prob)}` : "not recorded"}
                    style={{ background: cell ? heat(cell.prob, 1) : undefined }}
                    className={"min-w-14 rounded px-1 py-0.5 text-center font-mono " + (cell && cell.prob > 0.5 ? "text-white " : "") + (i === selected ? "outline outline-2 outline-brand-500" : "")}
                  >
                    {cell ? (
                      <>
                        <span className="block">{visibleText(cell)}</span>
                        <span className="block opacity-80">{percent(cell.prob)}</span>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
