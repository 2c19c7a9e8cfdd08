"use client";

/**
 * The embeddings lab: course-lm's token embedding matrix, fetched with a progress bar,
 * projected to 2-D by PCA in a Web Worker, searchable (nearest neighbours by cosine) and
 * open to "a − b + c" arithmetic. Search and arithmetic state live in the URL.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { useUrlState } from "@/components/playground/use-url-state";
import { EMBEDDINGS_LAB_SPEC } from "@/lib/embeddings/lab-state";
import { fetchCourseEmbeddings, type CourseEmbeddings, type Progress } from "@/lib/embeddings/load";
import { analogy, cosine, nearestNeighbours, neighbourRank, row, rowNorms, type Neighbour } from "@/lib/embeddings/matrix";
import { pcaInWorker, type PcaProjection } from "@/lib/embeddings/pca-client";
import { commonWordTokens, displayText, lookupToken } from "@/lib/embeddings/vocab";
import { ScatterPlot, type PlotPoint } from "./scatter-plot";
import { TokenInput } from "./token-input";

const K = 10;
const LABELLED = 30;

type Load =
  | { phase: "loading"; progress: Progress | null }
  | { phase: "ready"; data: CourseEmbeddings }
  | { phase: "error"; message: string };

function formatMB(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

/** Facts about the training run (from training-log.json, read by the page on the server). */
export interface TrainingFacts {
  parameters: number;
  trainTokens: number;
  epochs: number | null;
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export function EmbeddingsLab({ facts }: { facts: TrainingFacts | null }) {
  const [state, setState] = useUrlState(EMBEDDINGS_LAB_SPEC);
  const [load, setLoad] = useState<Load>({ phase: "loading", progress: null });
  const [pca, setPca] = useState<PcaProjection | null>(null);
  const [pcaError, setPcaError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchCourseEmbeddings((progress) => setLoad({ phase: "loading", progress }), controller.signal)
      .then((data) => {
        setLoad({ phase: "ready", data });
        return pcaInWorker(data.matrix, 1, controller.signal).then(setPca, (e: Error) => {
          if (!controller.signal.aborted) setPcaError(e.message);
        });
      })
      .catch((e: Error) => {
        if (!controller.signal.aborted) setLoad({ phase: "error", message: e.message });
      });
    return () => controller.abort();
  }, [attempt]);

  const data = load.phase === "ready" ? load.data : null;
  const norms = useMemo(() => (data ? rowNorms(data.matrix) : null), [data]);
  // Special tokens' rows are never used as words (and ids past the vocabulary are padding).
  const candidates = useMemo(() => (data ? data.vocab.entries.filter((e) => !e.special).map((e) => e.id) : []), [data]);

  const query = data ? lookupToken(data.vocab, state.q) : null;
  const neighbours = useMemo<Neighbour[]>(
    () => (data && norms && query ? nearestNeighbours(data.matrix, row(data.matrix, query.id), { k: K, exclude: [query.id], norms, candidates }) : []),
    [data, norms, query, candidates],
  );

  const terms = data ? ([state.a, state.b, state.c] as const).map((t) => lookupToken(data.vocab, t)) : [null, null, null];
  const [ta, tb, tc] = terms;
  const target = data ? lookupToken(data.vocab, state.expect) : null;
  const arithmetic = useMemo(() => {
    if (!data || !norms || !ta || !tb || !tc) return null;
    const result = analogy(data.matrix, { a: ta.id, b: tb.id, c: tc.id }, { k: K, norms, candidates });
    const exclude = [ta.id, tb.id, tc.id];
    const expected = target && !exclude.includes(target.id) ? neighbourRank(data.matrix, result.vector, target.id, { exclude, norms, candidates }) : null;
    // How close the terms themselves already were: with a small model, c's own neighbours often win.
    const nearC = cosine(result.vector, row(data.matrix, tc.id));
    return { ...result, expected, nearC };
  }, [data, norms, candidates, ta, tb, tc, target]);

  const label = useCallback((id: number) => (data ? displayText(data.vocab.entries[id].text) : String(id)), [data]);

  const plot = useMemo(() => {
    if (!data || !pca) return null;
    const roles = new Map<number, PlotPoint>();
    const add = (id: number, role: PlotPoint["role"], withLabel = true) => {
      if (roles.has(id) && role === "label") return;
      roles.set(id, { id, x: pca.points[2 * id], y: pca.points[2 * id + 1], role, label: withLabel ? label(id) : undefined });
    };
    for (const id of commonWordTokens(data.vocab, LABELLED)) add(id, "label");
    for (const n of neighbours) add(n.id, "neighbour");
    if (arithmetic) {
      for (const t of [ta, tb, tc]) if (t) add(t.id, "term");
      if (arithmetic.neighbours[0]) add(arithmetic.neighbours[0].id, "result");
    }
    if (query) add(query.id, "query");
    const highlighted = new Set(roles.keys());
    const background: number[] = [];
    for (const id of candidates) if (!highlighted.has(id)) background.push(pca.points[2 * id], pca.points[2 * id + 1]);
    return { points: [...roles.values()], background };
  }, [data, pca, neighbours, arithmetic, ta, tb, tc, query, label, candidates]);

  return (
    <div className="grid grid-cols-1 gap-6">
      <section aria-labelledby="emb-model" className="rounded-2xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
        <h2 id="emb-model" className="text-lg font-semibold">
          Model: course-lm
        </h2>
        <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
          These are the rows of course-lm&apos;s token embedding matrix — the first thing the model does with a token id is look up its row
          {data && (
            <>
              {" "}
              (<span data-testid="emb-shape">{data.matrix.rows.toLocaleString("en-US")} tokens × {data.matrix.dim} numbers</span>, shape read from its config.json)
            </>
          )}
          . course-lm ties this matrix to its output layer, so the same vectors also score every candidate next token. Other models in the
          registry keep their embeddings inside their ONNX weights; only course-lm&apos;s matrix ships as a file, so this lab shows course-lm only.
        </p>
        {load.phase === "loading" && (
          <div className="mt-4">
            <progress
              className="h-2 w-full accent-brand-600"
              aria-label="Downloading the embedding matrix"
              value={load.progress && load.progress.total > 0 ? load.progress.loaded / load.progress.total : undefined}
              max={1}
            />
            <p className="mt-1 text-sm tabular-nums text-slate-600 dark:text-slate-400">
              {load.progress
                ? `embeddings.bin: ${formatMB(load.progress.loaded)}${load.progress.total ? ` of ${formatMB(load.progress.total)}` : ""}`
                : "Fetching the vocabulary and config…"}
            </p>
          </div>
        )}
        {load.phase === "error" && (
          <div role="alert" className="mt-4 text-sm text-red-700 dark:text-red-400">
            Could not load the embeddings: {load.message}{" "}
            <button type="button" className="underline" onClick={() => {
                setLoad({ phase: "loading", progress: null });
                setPca(null);
                setPcaError(null);
                setAttempt((n) => n + 1);
              }}>
              Try again
            </button>
          </div>
        )}
      </section>

      <section aria-labelledby="emb-map" className="rounded-2xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
        <h2 id="emb-map" className="text-lg font-semibold">
          The map (PCA to 2-D)
        </h2>
        <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
          Each dot is one token, placed by the two directions along which the {data ? data.matrix.dim : ""}-dimensional vectors vary most (principal
          component analysis, computed here in a background worker). Labelled: the searched token <Swatch className="bg-brand-600" />, its nearest
          neighbours <Swatch className="bg-emerald-600" />, the arithmetic terms <Swatch className="bg-amber-600" /> and its top result{" "}
          <Swatch className="bg-rose-600" />, plus the {LABELLED} earliest-merged word tokens (BPE merges frequent pairs first, so these are common
          words or word starts).
        </p>
        {pca && (
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300" data-testid="emb-variance">
            The two axes keep {pct(pca.explainedVarianceRatio[0] + pca.explainedVarianceRatio[1])} of the variance (PC1{" "}
            {pct(pca.explainedVarianceRatio[0])}, PC2 {pct(pca.explainedVarianceRatio[1])}): the rest of the structure is in directions this
            picture flattens, so two dots close here can be far apart in the real space. Trust the cosine numbers below over the picture.
          </p>
        )}
        <div className="mt-4">
          {plot && pca ? (
            <ScatterPlot
              background={plot.background}
              points={plot.points}
              xLabel={`PC1 (${pct(pca.explainedVarianceRatio[0])} of variance; unitless coordinate)`}
              yLabel={`PC2 (${pct(pca.explainedVarianceRatio[1])} of variance)`}
              ariaLabel={`Scatter plot of ${candidates.length} course-lm token embeddings projected to two dimensions${query ? `; the searched token ${label(query.id)} and its neighbours are highlighted` : ""}. The lists below give the same tokens with their similarities.`}
            />
          ) : pcaError ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              The projection failed: {pcaError}
            </p>
          ) : (
            <div className="grid grid-cols-1 h-64 place-items-center rounded-lg bg-slate-50 text-sm text-slate-600 dark:bg-slate-900 dark:text-slate-400" data-testid="emb-plot-pending">
              {load.phase === "ready" ? "Projecting to 2-D in a worker…" : load.phase === "error" ? "No data to plot." : "Waiting for the matrix…"}
            </div>
          )}
        </div>
      </section>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <section aria-labelledby="emb-search" className="min-w-0 rounded-2xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
          <h2 id="emb-search" className="text-lg font-semibold">
            Nearest neighbours
          </h2>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            Type a token. A leading space is part of a token: <span className="font-mono">·king</span> (a space, then &quot;king&quot;, as in the
            middle of a sentence) and <span className="font-mono">king</span> are different tokens with different vectors.
          </p>
          <TokenInput label="Token" name="token" value={state.q} onChange={(q) => setState({ q })} vocab={data?.vocab ?? null} className="mt-4" />
          {data && state.q.trim() === "" && <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Type a token to see its neighbours.</p>}
          {query && (
            <NeighbourList
              caption={`The ${K} tokens most similar to ${label(query.id)} by cosine`}
              neighbours={neighbours}
              label={label}
              onPick={(id) => setState({ q: label(id) })}
              testId="neighbours"
            />
          )}
        </section>

        <section aria-labelledby="emb-arith" className="min-w-0 rounded-2xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
          <h2 id="emb-arith" className="text-lg font-semibold">
            Vector arithmetic: a − b + c
          </h2>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            Each vector is scaled to length 1, then a − b + c is compared with every token by cosine (a, b and c themselves are left out).
          </p>
          <div className="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-3">
            <TokenInput label="a" name="term-a" value={state.a} onChange={(a) => setState({ a })} vocab={data?.vocab ?? null} />
            <TokenInput label="− b" name="term-b" value={state.b} onChange={(b) => setState({ b })} vocab={data?.vocab ?? null} />
            <TokenInput label="+ c" name="term-c" value={state.c} onChange={(c) => setState({ c })} vocab={data?.vocab ?? null} />
          </div>
          <TokenInput label="The token you expect (optional)" name="expect" value={state.expect} onChange={(expect) => setState({ expect })} vocab={data?.vocab ?? null} className="mt-3" />
          {data && (!ta || !tb || !tc) && <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Fill a, b and c with tokens from the vocabulary.</p>}
          {arithmetic && (
            <>
              {arithmetic.expected && (
                <p className="mt-3 text-sm" data-testid="analogy-expected">
                  <span className="font-mono">{label(arithmetic.expected.id)}</span> ranks <strong>#{arithmetic.expected.rank}</strong> of{" "}
                  {arithmetic.expected.of.toLocaleString("en-US")} (cosine {arithmetic.expected.similarity.toFixed(3)}).
                </p>
              )}
              <NeighbourList
                caption={`Tokens nearest to ${label(ta!.id)} − ${label(tb!.id)} + ${label(tc!.id)}`}
                neighbours={arithmetic.neighbours}
                label={label}
                onPick={(id) => setState({ q: label(id) })}
                testId="analogy-results"
              />
            </>
          )}
        </section>
      </div>

      <section aria-labelledby="emb-honest" className="rounded-2xl border border-amber-300/70 bg-amber-50/60 p-4 text-sm sm:p-6 dark:border-amber-500/40 dark:bg-slate-900">
        <h2 id="emb-honest" className="text-lg font-semibold">
          What a model this small can and cannot show
        </h2>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          {facts ? (
            <>
              course-lm has <span data-testid="emb-params">{compact.format(facts.parameters)}</span> parameters and was trained on{" "}
              {compact.format(facts.trainTokens)} tokens of text (this course){facts.epochs ? `, read about ${Math.round(facts.epochs)} times over` : ""}.
            </>
          ) : (
            <>course-lm is a tiny model trained only on this course&apos;s text.</>
          )}{" "}
          Famous
          results like <em>king − man + woman ≈ queen</em> come from models trained on billions of words; here that arithmetic mostly does{" "}
          <strong>not</strong> work — the numbers above are the real ones, and you will see the expected token ranked far down or the result near
          arbitrary tokens. What does show: tokens the course uses in the same contexts end up close together (try <span className="font-mono">·model</span>,{" "}
          <span className="font-mono">·the</span> or <span className="font-mono">·token</span>), plural and singular forms often neighbour each
          other, and similarities are modest (mostly well below 0.7): 256 dimensions and little data leave most directions barely trained. Rare tokens
          have vectors still close to their random start, so their neighbours are noise.
        </p>
      </section>
    </div>
  );
}

function Swatch({ className }: { className: string }) {
  return <span aria-hidden className={`inline-block size-2.5 rounded-full align-middle ${className}`} />;
}

function NeighbourList({
  caption,
  neighbours,
  label,
  onPick,
  testId,
}: {
  caption: string;
  neighbours: Neighbour[];
  label: (id: number) => string;
  onPick: (id: number) => void;
  testId: string;
}) {
  return (
    <table className="mt-4 w-full text-sm" data-testid={testId}>
      <caption className="mb-2 text-left text-xs font-semibold text-slate-600 dark:text-slate-400">{caption}</caption>
      <thead>
        <tr className="text-left text-xs text-slate-500 dark:text-slate-400">
          <th scope="col" className="w-8 py-1 font-medium">
            #
          </th>
          <th scope="col" className="py-1 font-medium">
            Token
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            Cosine
          </th>
        </tr>
      </thead>
      <tbody>
        {neighbours.map((n, i) => (
          <tr key={n.id} className="border-t border-slate-100 dark:border-slate-800" data-similarity={n.similarity}>
            <td className="py-1 tabular-nums text-slate-500">{i + 1}</td>
            <td className="py-1">
              <button type="button" onClick={() => onPick(n.id)} className="rounded font-mono hover:underline focus-visible:outline-2 focus-visible:outline-brand-500" title="Search this token">
                {label(n.id)}
              </button>{" "}
              <span className="text-xs text-slate-500">id {n.id}</span>
            </td>
            <td className="py-1 text-right">
              <span className="inline-flex items-center gap-2">
                <span aria-hidden className="hidden h-1.5 w-16 overflow-hidden rounded bg-slate-100 sm:inline-block dark:bg-slate-800">
                  <span className="block h-full bg-emerald-500" style={{ width: `${Math.max(0, n.similarity) * 100}%` }} />
                </span>
                <span className="tabular-nums">{n.similarity.toFixed(3)}</span>
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
