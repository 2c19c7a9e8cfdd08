"use client";

import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { beamScore, beamSearch, type Beam, type BeamStepResult, type NextLogprobs } from "@/lib/llm/beam";
import type { Trace } from "@/lib/llm/trace";
import { formatLogit, formatProb, formatProbShort } from "@/lib/inspector/format";
import { beamRequest, greedyRequest, greedyTokens, MAX_BEAM_STEPS, MAX_BEAM_WIDTH, parseBeamWidth, traceNextTokens, type BeamToken } from "@/lib/playground/beam-search";
import { nextTokenHref } from "@/lib/playground/next-token";
import type { DemoProps } from "./types";
import { ModelDemoFrame, Tok } from "./model-demo-frame";
import { useDemoEngine } from "./use-demo-engine";
import { Button } from "@/components/ui/button";

const WIDTHS = Array.from({ length: MAX_BEAM_WIDTH }, (_, i) => i + 1);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** What the demo shows for one (prompt, width, normalisation, steps): the search so far and greedy's path. */
interface View {
  key: string;
  history: BeamStepResult<BeamToken>[];
  greedy: Beam<BeamToken> | null;
}

/**
 * Beam search on the real course-lm, one step at a time: the B beams kept (their tokens,
 * each token's probability, the beam's total log-probability), every candidate of the last
 * step marked kept or pruned, and greedy decoding's path of the same length beside them.
 * The bookkeeping is lib/llm/beam.ts; each beam's next-token distribution is one decode
 * request with the beam's tokens forced (lib/playground/beam-search.ts), cached, so changing
 * B or the scoring replays the search without asking the model again for what it already said.
 */
export function BeamSearchDemo({ prompt: initialPrompt = "The weather today is", width: initialWidth }: DemoProps) {
  const engine = useDemoEngine();
  const { run } = engine;
  const [prompt, setPrompt] = useState(initialPrompt);
  const [draft, setDraft] = useState(initialPrompt);
  const [width, setWidth] = useState(() => parseBeamWidth(initialWidth));
  const [normalized, setNormalized] = useState(false);
  const [steps, setSteps] = useState(0);
  const [view, setView] = useState<View | null>(null);
  const [failure, setFailure] = useState<{ key: string; message: string } | null>(null);
  const [model, setModel] = useState<Trace["model"] | null>(null);
  const cache = useRef(new Map<string, Promise<BeamToken[]>>());
  const ids = useId();

  /** The model's top next tokens after the prompt and `tokens`: one request per distinct prefix. */
  const next = useCallback<NextLogprobs<BeamToken>>(
    (tokens) => {
      const key = `${prompt}\u0000${tokens.join(",")}`;
      let answer = cache.current.get(key);
      if (!answer) {
        answer = run(beamRequest(prompt, tokens, MAX_BEAM_WIDTH)).then((trace) => {
          setModel((m) => m ?? trace.model);
          return traceNextTokens(trace, tokens.length, MAX_BEAM_WIDTH);
        });
        answer.catch(() => cache.current.delete(key));
        cache.current.set(key, answer);
      }
      return answer;
    },
    [prompt, run],
  );

  const key = JSON.stringify([prompt, width, normalized, steps]);
  useEffect(() => {
    let live = true;
    (async () => {
      if (steps === 0) {
        // Nothing to show yet, but ask for the first distribution now: the first Step is then instant.
        await next([], MAX_BEAM_WIDTH);
        return { key, history: [], greedy: null };
      }
      const [history, greedyTrace] = await Promise.all([beamSearch(next, steps, { width, lengthNormalized: normalized }), run(greedyRequest(prompt, steps))]);
      const tokens = greedyTokens(greedyTrace);
      let logprob = 0;
      for (const t of tokens) logprob += t.logprob;
      return { key, history, greedy: { tokens, logprob, done: greedyTrace.finishReason !== "length" } };
    })().then(
      (v) => live && setView(v),
      (e: Error) => live && setFailure({ key, message: e.message }),
    );
    return () => {
      live = false;
    };
  }, [key, next, run, prompt, steps, width, normalized]);

  const failed = failure?.key === key ? failure.message : null;
  const busy = view?.key !== key && !failed;
  const last = view?.history.at(-1) ?? null;
  const beams = last?.beams ?? [];
  const best = beams[0] ?? null;
  const finished = last?.finished ?? false;
  const greedy = view?.greedy ?? null;
  const canStep = !finished && steps < MAX_BEAM_STEPS;

  const step = () => {
    if (!busy && canStep) setSteps((s) => s + 1);
  };
  const submitPrompt = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.trim() || draft === prompt) return;
    setPrompt(draft);
    setSteps(0);
  };

  return (
    <ModelDemoFrame
      kind="beam-search"
      title="Beam search stepper"
      trace={model ? { model } : null}
      running={busy}
      error={failed}
      href={nextTokenHref({ prompt, temperature: 0, chosen: best ? best.tokens.map((t) => t.id) : [] })}
    >
      <form onSubmit={submitPrompt} className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm font-medium" htmlFor={`${ids}-prompt`}>
          Prompt
          <input
            id={`${ids}-prompt`}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            maxLength={500}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-sm font-normal shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 dark:border-slate-700 dark:bg-slate-900"
          />
        </label>
        <Button type="submit" variant="secondary" size="sm" className="h-10" disabled={!draft.trim() || draft === prompt}>
          Use this prompt
        </Button>
      </form>

      <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        <fieldset className="flex items-center gap-2">
          <legend className="sr-only">Beam width B</legend>
          <span aria-hidden className="whitespace-nowrap font-medium">
            Beam width
          </span>
          <div className="inline-flex rounded-md border border-slate-300 p-0.5 dark:border-slate-700">
            {WIDTHS.map((w) => (
              <label
                key={w}
                className={
                  "relative cursor-pointer whitespace-nowrap rounded px-2 py-1 font-medium tabular-nums has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500 " +
                  (width === w ? "bg-brand-600 text-white dark:bg-brand-500" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800")
                }
              >
                {/* The input covers its label, invisible: a tap anywhere on "B = 3" is a tap on the radio itself. */}
                <input
                  type="radio"
                  name={`${ids}-width`}
                  className="absolute inset-0 m-0 h-full w-full cursor-pointer appearance-none opacity-0"
                  checked={width === w}
                  onChange={() => setWidth(w)}
                  aria-label={`B = ${w}`}
                />
                <span aria-hidden>B = {w}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <label className="inline-flex items-center gap-2">
          <input type="checkbox" checked={normalized} onChange={(e) => setNormalized(e.target.checked)} className="h-4 w-4 accent-brand-600" />
          Length-normalised score
        </label>
      </div>

      <div className="mt-3 flex flex-wrap items-center gap-2">
        <Button type="button" variant="primary" onClick={step} disabled={!canStep} aria-disabled={busy || undefined} aria-busy={busy || undefined}>
          Step: expand every beam
        </Button>
        <Button type="button" variant="secondary" onClick={() => setSteps(0)} disabled={steps === 0}>
          Reset
        </Button>
        <span className="text-xs text-slate-500 dark:text-slate-400" role="status" data-testid="beam-status">
          {view === null
            ? "Asking the model…"
            : steps === 0
              ? "Press Step to expand the prompt into its B likeliest first tokens."
              : finished
                ? `Step ${view.history.length}: every beam has ended.`
                : `Step ${view.history.length}: ${plural(last?.candidates.length ?? 0, "candidate")}, ${beams.length} kept.`}
          {busy && view !== null && " Asking the model…"}
        </span>
      </div>

      {view !== null && last && (
        <div className={"mt-4 space-y-4 " + (busy ? "opacity-60" : "")}>
          <section aria-labelledby={`${ids}-beams`}>
            <h3 id={`${ids}-beams`} className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
              The {beams.length} beam{beams.length === 1 ? "" : "s"} kept, best first
            </h3>
            <ol className="space-y-2" aria-label="Beams, best first">
              {beams.map((b, i) => (
                <BeamRow key={i} label={`#${i + 1}`} prompt={prompt} beam={b} normalized={normalized} testId="beam-row" tone={i === 0 ? "best" : "plain"} />
              ))}
            </ol>
          </section>

          {greedy && (
            <section aria-labelledby={`${ids}-greedy`}>
              <h3 id={`${ids}-greedy`} className="mb-1 text-xs font-semibold uppercase tracking-wide text-amber-700 dark:text-amber-400">
                Greedy decoding, same number of steps
              </h3>
              <ul aria-label="Greedy path">
                <BeamRow label="greedy" prompt={prompt} beam={greedy} normalized={normalized} testId="greedy-path" tone="greedy" />
              </ul>
              {best && <Comparison best={best} greedy={greedy} normalized={normalized} />}
            </section>
          )}

          <section aria-labelledby={`${ids}-candidates`}>
            <h3 id={`${ids}-candidates`} className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
              Step {view.history.length}: the candidates considered
            </h3>
            <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">
              Each live beam proposes its {width === 1 ? "likeliest next token" : `${width} likeliest next tokens`}; every extension is scored by its{" "}
              {normalized ? "mean log-probability per token" : "summed log-probability"} and the best {width} survive. Ties go to the lower token id.
            </p>
            <ol className="space-y-1" aria-label={`Candidates at step ${view.history.length}, best first`}>
              {last.candidates.map((c, i) => {
                const kept = c.keptRank !== null;
                return (
                  <li
                    key={i}
                    data-testid="beam-candidate"
                    data-kept={kept}
                    data-parent={c.parent}
                    className={
                      "flex flex-wrap items-center gap-x-2 gap-y-1 rounded-md px-2 py-1 text-sm " +
                      (kept ? "bg-emerald-50 dark:bg-emerald-500/10" : "bg-slate-50 text-slate-500 dark:bg-slate-800/60 dark:text-slate-400")
                    }
                  >
                    <span
                      className={
                        "w-16 shrink-0 rounded px-1.5 text-center text-xs font-semibold " +
                        (kept ? "bg-emerald-600 text-white dark:bg-emerald-500 dark:text-slate-950" : "bg-slate-200 text-slate-600 dark:bg-slate-700 dark:text-slate-300")
                      }
                    >
                      {kept ? `kept #${c.keptRank! + 1}` : "pruned"}
                    </span>
                    <PrefixTokens tokens={c.token ? c.beam.tokens.slice(0, -1) : c.beam.tokens} />
                    {c.token ? (
                      <>
                        <span aria-hidden>+</span>
                        <Tok token={c.token.token} className={kept ? "font-semibold" : ""} />
                        <span className="text-xs tabular-nums">p = {formatProbShort(Math.exp(c.token.logprob))}</span>
                      </>
                    ) : (
                      <span className="text-xs italic">ended: carried over unchanged</span>
                    )}
                    <span className="ml-auto text-xs tabular-nums">
                      {normalized ? "mean log P" : "log P"} {formatLogit(c.score)}
                    </span>
                  </li>
                );
              })}
            </ol>
          </section>
        </div>
      )}
    </ModelDemoFrame>
  );
}

/** The beam a candidate extends, short: its last few tokens ("the prompt" for the first step). */
function PrefixTokens({ tokens }: { tokens: readonly BeamToken[] }) {
  const shown = tokens.slice(-3);
  return (
    <span className="inline-flex min-w-0 flex-wrap items-center gap-0.5 text-xs">
      {tokens.length === 0 ? (
        <span className="italic">the prompt</span>
      ) : (
        <>
          {tokens.length > shown.length && (
            <>
              <span aria-hidden>…</span>
              <span className="sr-only">{tokens.length - shown.length} earlier tokens, then</span>
            </>
          )}
          {shown.map((t, i) => (
            <Tok key={i} token={t.token} className="opacity-80" />
          ))}
        </>
      )}
    </span>
  );
}

/** One beam as a row: the prompt (faded), its tokens each with its probability, and its score. */
function BeamRow({
  label,
  prompt,
  beam,
  normalized,
  testId,
  tone,
}: {
  label: string;
  prompt: string;
  beam: Beam<BeamToken>;
  normalized: boolean;
  testId: string;
  tone: "best" | "plain" | "greedy";
}) {
  const border =
    tone === "greedy"
      ? "border-amber-400 bg-amber-50/60 dark:border-amber-500/60 dark:bg-amber-500/10"
      : tone === "best"
        ? "border-brand-400 bg-brand-50/60 dark:border-brand-500/60 dark:bg-brand-500/10"
        : "border-slate-200 dark:border-slate-700";
  return (
    <li
      data-testid={testId}
      data-logprob={beam.logprob}
      data-token-ids={beam.tokens.map((t) => t.id).join(",")}
      className={`flex flex-col gap-2 rounded-lg border p-2 sm:flex-row sm:items-start ${border}`}
    >
      <span className="w-14 shrink-0 text-xs font-semibold text-slate-700 dark:text-slate-300">{label}</span>
      <span className="flex min-w-0 flex-1 flex-wrap items-start gap-1 font-mono text-sm">
        <span className="max-w-full truncate self-center text-slate-500 dark:text-slate-400">{prompt}</span>
        {beam.tokens.map((t, i) => (
          <span key={i} className="inline-flex flex-col items-center">
            <Tok token={t.token} className={tone === "greedy" ? "bg-amber-100 dark:bg-amber-500/20" : "bg-brand-100 dark:bg-brand-500/20"} />
            <span className="font-sans text-[11px] tabular-nums text-slate-500 dark:text-slate-400">{formatProbShort(Math.exp(t.logprob))}</span>
          </span>
        ))}
        {beam.done && <span className="self-center font-sans text-xs italic text-slate-500 dark:text-slate-400">(ended)</span>}
      </span>
      <span className="shrink-0 text-left text-xs tabular-nums sm:w-32 sm:text-right">
        <span className="block font-semibold">log P {formatLogit(beam.logprob)}</span>
        <span className="block text-slate-500 dark:text-slate-400">P = {formatProb(Math.exp(beam.logprob))}</span>
        {normalized && <span className="block text-slate-500 dark:text-slate-400">mean {formatLogit(beamScore(beam, true))}</span>}
      </span>
    </li>
  );
}

/** The best beam against greedy's path: the same, more probable (and by how much), or not. */
function Comparison({ best, greedy, normalized }: { best: Beam<BeamToken>; greedy: Beam<BeamToken>; normalized: boolean }) {
  const same = best.tokens.length === greedy.tokens.length && best.tokens.every((t, i) => t.id === greedy.tokens[i].id);
  const gap = best.logprob - greedy.logprob;
  return (
    <p className="mt-2 text-sm text-slate-700 dark:text-slate-300" data-testid="beam-vs-greedy">
      {same
        ? "Beam #1 is the greedy path: so far the best token at each step also made the best sequence."
        : gap > 0
          ? `Beam #1 is ${Math.exp(gap) >= 10 ? Math.round(Math.exp(gap)) : Math.exp(gap).toFixed(1)}× as probable as the greedy path (log P ${formatLogit(best.logprob)} vs ${formatLogit(greedy.logprob)}): a runner-up token early on led somewhere better.`
          : normalized
            ? `The greedy path has the higher total (log P ${formatLogit(greedy.logprob)} vs ${formatLogit(best.logprob)}): with length normalisation beam #1 is the best by mean log P per token, not by total.`
            : `Here the greedy path scores higher (log P ${formatLogit(greedy.logprob)} vs ${formatLogit(best.logprob)}): beam search keeps only B paths, and it pruned the one greedy follows.`}
    </p>
  );
}
