"use client";

import { useMemo, useState } from "react";
import { candidateRows, drawLayout, penaltyBreakdown, pipelineStages } from "@/lib/inspector/pipeline";
import { formatCount, formatLogit, formatProb } from "@/lib/inspector/format";
import { spokenText } from "@/lib/inspector/token-display";
import { isGreedy, type TokenText, type Trace } from "@/lib/llm/trace";
import { describeRun } from "@/lib/playground/lab-engine";
import { liveStep, MAX_CHOSEN, nextTokenRequest, nextTokenSpec, restShare, type NextTokenState } from "@/lib/playground/next-token";
import { CandidateChart } from "@/components/inspector/candidate-chart";
import { CandidateTable } from "@/components/inspector/candidate-table";
import { SamplingPipeline } from "@/components/inspector/sampling-pipeline";
import { TokenGlyphs } from "@/components/inspector/token";
import { labInputClass, ModelBar } from "../model-bar";
import { useLabEngine } from "../use-lab-engine";
import { useLiveRun } from "../use-live-run";
import { useUrlState } from "../use-url-state";
import { SettingsPanel } from "./settings-panel";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Button } from "@/components/ui/button";

/**
 * The next-token lab: a prompt, the model's distribution for the next token (top candidates
 * with logits and probabilities before and after sampling), every sampler setting live, the
 * pipeline stage by stage, and Step / pick / Undo to write text one token at a time.
 */
export function NextTokenLab() {
  const [state, update] = useUrlState(nextTokenSpec);
  const engine = useLabEngine({ backend: state.backend, model: state.model });
  const request = useMemo(() => (state.prompt.length > 0 ? nextTokenRequest(state) : null), [state]);
  const live = useLiveRun(engine, request);
  const [stepping, setStepping] = useState(false);
  const hydrated = useHydrated();
  const [stepError, setStepError] = useState<string | null>(null);
  // Token texts from the last trace (its steps and candidates), so a token just picked or
  // stepped reads as text while the run for the new state is on its way.
  const texts = useMemo(() => {
    const map = new Map<number, TokenText>();
    for (const s of live.trace?.steps ?? []) {
      for (const c of s.candidates) map.set(c.id, c);
      map.set(s.tokenId, s);
    }
    return map;
  }, [live.trace]);

  const fresh = live.trace !== null && live.traceKey === live.key;
  const trace = live.trace;
  const step = trace ? liveStep(trace.steps, state.chosen.length) : null;
  // A trace for other chosen tokens (e.g. during Undo) must not be shown as this one's distribution.
  const matches = trace !== null && trace.steps.length >= state.chosen.length && state.chosen.every((id, i) => trace.steps[i]?.tokenId === id);
  const ended = fresh && matches && step === null;
  const shownStep = matches ? step : null;

  const append = (id: number) => update({ chosen: [...state.chosen, id] });
  const onStep = async () => {
    setStepError(null);
    setStepping(true);
    try {
      const t = fresh ? live.trace! : await live.runNow();
      const next = liveStep(t.steps, state.chosen.length);
      if (next) append(next.tokenId);
    } catch (error) {
      setStepError((error as Error).message);
    } finally {
      setStepping(false);
    }
  };
  const full = state.chosen.length >= MAX_CHOSEN;

  return (
    <div className="grid grid-cols-1 gap-6">
      <ModelBar engine={engine} onChange={(t) => update({ backend: t.backend, model: t.model })} />

      <section aria-labelledby="nt-text" className="rounded-2xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
        <h2 id="nt-text" className="text-lg font-semibold">
          Text
        </h2>
        <label className="mt-3 flex flex-col gap-1.5 text-sm font-medium">
          Prompt
          <textarea
            className={`${labInputClass} min-h-16 font-mono`}
            value={state.prompt}
            readOnly={!hydrated}
            maxLength={2000}
            onChange={(e) => update({ prompt: e.target.value, chosen: [] })}
          />
        </label>
        <div className="mt-3 rounded-lg bg-slate-50 p-3 font-mono text-sm leading-7 dark:bg-slate-900" aria-label="Prompt and chosen tokens" data-testid="nt-text">
          <span className="whitespace-pre-wrap text-slate-700 dark:text-slate-300">{state.prompt}</span>
          {state.chosen.map((id, i) => {
            const t = (matches ? trace?.steps[i] : undefined) ?? texts.get(id);
            return (
              <span
                key={i}
                data-testid="nt-chosen"
                data-token-id={id}
                className="mx-px rounded bg-brand-100 px-0.5 text-brand-950 ring-1 ring-brand-300 dark:bg-brand-500/20 dark:text-brand-50 dark:ring-brand-500/40"
                title={`token id ${id}`}
              >
                {t ? (
                  <>
                    <span className="sr-only">{spokenText(t)}</span>
                    <span aria-hidden>
                      <TokenGlyphs token={t} />
                    </span>
                  </>
                ) : (
                  `#${id}`
                )}
              </span>
            );
          })}
          <span aria-hidden className="ml-0.5 inline-block h-4 w-px translate-y-0.5 animate-pulse bg-slate-500" />
        </div>
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <Button type="button" onClick={onStep} disabled={stepping || ended || full || !request} variant="primary">
            {stepping ? "Sampling…" : "Step"}
          </Button>
          <Button
            type="button"
            onClick={() => update({ chosen: state.chosen.slice(0, -1) })}
            disabled={state.chosen.length === 0}
            variant="secondary"
          >
            Undo
          </Button>
          <Button
            type="button"
            onClick={() => update({ chosen: [] })}
            disabled={state.chosen.length === 0}
            variant="secondary"
          >
            Clear
          </Button>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Step samples one token with the settings below (seed {state.seed}, draw {state.chosen.length + 1}); or click a candidate to pick it.
            {state.chosen.length > 0 && ` ${state.chosen.length} token${state.chosen.length === 1 ? "" : "s"} chosen.`}
          </p>
        </div>
        {ended && (
          <p className="mt-2 text-sm text-amber-800 dark:text-amber-200">The text has ended here (an end token, or the context window is full). Undo to go back.</p>
        )}
        {full && <p className="mt-2 text-sm text-amber-800 dark:text-amber-200">That is as many tokens as one lab text can hold ({MAX_CHOSEN}).</p>}
        {state.prompt.length === 0 && <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">Type a prompt to see what the model expects next.</p>}
        {(live.error || stepError) && (
          <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">
            {stepError ?? live.error}
          </p>
        )}
      </section>

      <SettingsPanel state={state} update={update} />

      {trace && shownStep ? (
        <Distribution trace={trace} stepIndex={shownStep.index} state={state} onPick={append} stale={!fresh || live.running} update={update} />
      ) : (
        !ended &&
        request && (
          <p className="rounded-2xl border border-dashed border-slate-300 p-6 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400" aria-live="polite">
            {live.running || engine.browser.phase === "loading" ? "Running the model…" : live.error ? "No distribution (see the error above)." : "Waiting for the model…"}
          </p>
        )
      )}
    </div>
  );
}

function Distribution({
  trace,
  stepIndex,
  state,
  onPick,
  stale,
  update,
}: {
  trace: Trace;
  stepIndex: number;
  state: NextTokenState;
  onPick: (id: number) => void;
  stale: boolean;
  update: (patch: Partial<NextTokenState>) => void;
}) {
  const step = trace.steps[stepIndex];
  const rows = useMemo(() => candidateRows(step), [step]);
  const stages = useMemo(() => pipelineStages(trace, stepIndex), [trace, stepIndex]);
  const penalties = useMemo(() => penaltyBreakdown(trace, stepIndex), [trace, stepIndex]);
  const draw = useMemo(() => drawLayout(step, trace.settings), [step, trace.settings]);
  const shown = Number(state.show);
  const charted = rows.slice(0, shown);
  const rest = restShare(rows, shown, trace.vocabSize);
  const greedy = isGreedy(trace.settings);
  const [table, setTable] = useState(false);

  return (
    <div className="grid grid-cols-1 gap-6" aria-busy={stale} data-testid="nt-distribution" data-trace-backend={trace.model.backend}>
      <section aria-labelledby="nt-dist" className="rounded-2xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-2">
          <h2 id="nt-dist" className="text-lg font-semibold">
            Next-token distribution
          </h2>
          <p className="text-xs text-slate-600 dark:text-slate-400">top {charted.length} by logit; probability in %</p>
          <label className="ml-auto flex items-center gap-2 text-sm">
            Show
            <select className={labInputClass} value={state.show} onChange={(e) => update({ show: e.target.value as NextTokenState["show"] })}>
              <option value="10">top 10</option>
              <option value="20">top 20</option>
              <option value="50">top 50</option>
            </select>
          </label>
        </div>
        <div className={"mt-4 transition-opacity " + (stale ? "opacity-60" : "")}>
          <CandidateChart rows={charted} greedy={greedy} />
        </div>
        <p className="mt-2 text-sm text-slate-700 dark:text-slate-300" data-testid="nt-rest">
          The other {formatCount(rest.count)} tokens share {formatProb(rest.model)} of the model&apos;s probability (T = 1) and{" "}
          {formatProb(rest.final)} of the distribution sampled from.
        </p>

        <h3 className="mt-5 text-sm font-semibold">Pick the next token yourself</h3>
        <ul className="mt-2 flex flex-wrap gap-1.5" aria-label="Candidates: pick one to append it">
          {charted.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                onClick={() => onPick(r.id)}
                data-testid="nt-candidate"
                data-token-id={r.id}
                data-prob={r.probFinal}
                aria-label={`Pick ${spokenText(r.candidate)}: logit ${formatLogit(r.logit)}, ${formatProb(r.probModel)} at T = 1, ${formatProb(r.probFinal)} after sampling`}
                className={
                  "inline-flex items-baseline gap-1.5 rounded-md border px-2 py-1 text-sm hover:border-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500 " +
                  (r.kept ? "border-slate-300 dark:border-slate-700" : "border-dashed border-slate-300 text-slate-500 dark:border-slate-700")
                }
              >
                <span className="font-mono whitespace-pre">
                  <TokenGlyphs token={r.candidate} />
                </span>
                <span className="text-xs tabular-nums text-slate-600 dark:text-slate-400">{formatProb(r.probFinal)}</span>
              </button>
            </li>
          ))}
        </ul>
        <Button
          type="button"
          aria-expanded={table}
          onClick={() => setTable((v) => !v)}
          variant="secondary"
          size="xs"
          className="mt-4"
        >
          {table ? "Hide" : "Show"} the table of all {rows.length} candidates (logits)
        </Button>
        {table && (
          <div className="mt-3">
            <CandidateTable rows={rows} caption={`Top ${rows.length} next-token candidates`} />
          </div>
        )}
        <p className="mt-4 text-xs text-slate-500 dark:text-slate-400" data-testid="nt-ran-on">
          {describeRun(trace)} · {formatCount(trace.vocabSize)}-token vocabulary
        </p>
      </section>

      <section aria-labelledby="nt-pipe" className="rounded-2xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
        <h2 id="nt-pipe" className="text-lg font-semibold">
          Sampling pipeline for this step
        </h2>
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">in the order the sampler applies it; tokens left after each stage</p>
        <div className="mt-4">
          <SamplingPipeline stages={stages} penalties={penalties} draw={draw} vocabSize={trace.vocabSize} />
        </div>
      </section>
    </div>
  );
}
