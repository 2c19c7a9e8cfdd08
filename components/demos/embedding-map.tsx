import Link from "next/link";
import { LazyScatterPlot as ScatterPlot } from "./client-demos";
import type { DemoProps } from "./types";
import { serverEmbeddings } from "@/lib/embeddings/server";
import { displayText } from "@/lib/embeddings/vocab";
import { parseWordList, wordMap } from "@/lib/embeddings/word-map";
import { DemoError, DemoFrame } from "./demo-frame";

const TITLE = "Embedding map";
const pct = (r: number) => `${(r * 100).toFixed(0)}%`;

/**
 * `<Demo kind="embedding-map" tokens="king,queen,…" />`: the words' course-lm token vectors
 * on a 2-D map and their cosine similarities, computed on the server from the shipped matrix.
 */
export async function EmbeddingMapDemo({ kind, tokens = "" }: DemoProps) {
  const words = parseWordList(tokens);
  let map;
  let vocabSize = 0;
  try {
    const { matrix, vocab, encode } = await serverEmbeddings();
    map = wordMap(matrix, vocab, encode, words);
    vocabSize = matrix.rows;
  } catch (e) {
    return (
      <DemoFrame kind={kind} title={TITLE}>
        <DemoError>course-lm&apos;s embeddings could not be read: {(e as Error).message}</DemoError>
      </DemoFrame>
    );
  }
  if (map.words.length === 0) {
    return (
      <DemoFrame kind={kind} title={TITLE}>
        <p className="text-sm text-slate-600 dark:text-slate-400">No words to show.</p>
      </DemoFrame>
    );
  }
  const split = map.words.filter((w) => !w.whole);
  const show = (text: string) => displayText(text);
  const first = map.words[0];
  const cell = (v: number) => {
    // Shade by similarity so the table reads at a glance; the number is always printed.
    const alpha = Math.max(0, Math.min(1, v)) * 0.5;
    return { backgroundColor: `rgb(16 185 129 / ${alpha.toFixed(2)})` };
  };

  return (
    <DemoFrame kind={kind} title={TITLE}>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        course-lm&apos;s own token vectors for these words (each a row of its embedding matrix), projected to 2-D by PCA over just these vectors: the picture keeps{" "}
        {pct(map.explainedVarianceRatio[0] + map.explainedVarianceRatio[1])} of their spread. The table gives the exact cosine similarities.
      </p>
      {split.length > 0 && (
        <p className="mt-2 text-sm text-amber-800 dark:text-amber-300" data-testid="split-words">
          Not single tokens in course-lm&apos;s {vocabSize.toLocaleString("en-US")}-token vocabulary:{" "}
          {split.map((w, i) => (
            <span key={w.word}>
              {i > 0 && "; "}
              <strong>{w.word}</strong> = {w.pieceTexts.map((p) => <code key={p} className="mx-0.5 rounded bg-slate-100 px-1 dark:bg-slate-800">{show(p)}</code>)}
            </span>
          ))}
          . For these the map uses the first token only, marked with *, which stands for the word&apos;s start, not the word.
        </p>
      )}
      <div className="mt-3 max-w-xl">
        <ScatterPlot
          height={320}
          points={map.words.map((w) => ({ id: w.id, x: w.x, y: w.y, role: "word", label: `${w.word}${w.whole ? "" : "*"}` }))}
          xLabel={`PC1 (${pct(map.explainedVarianceRatio[0])} of these vectors' variance)`}
          yLabel={`PC2 (${pct(map.explainedVarianceRatio[1])})`}
          ariaLabel={`Scatter plot of the course-lm embeddings of ${map.words.map((w) => w.word).join(", ")}, projected to two dimensions. The table below gives their pairwise cosine similarities.`}
        />
      </div>
      <div className="mt-4 overflow-x-auto" tabIndex={0} role="region" aria-label="Cosine similarity table">
        <table className="text-xs tabular-nums" data-testid="cosine-table">
          <caption className="mb-1 text-left text-xs font-semibold text-slate-600 dark:text-slate-400">Cosine similarity between the tokens (1 = same direction, 0 = unrelated)</caption>
          <thead>
            <tr>
              <th scope="col" className="p-1" />
              {map.words.map((w) => (
                <th key={w.word} scope="col" className="p-1 font-mono font-medium">
                  {show(w.tokenText)}
                  {w.whole ? "" : "*"}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {map.words.map((w, i) => (
              <tr key={w.word}>
                <th scope="row" className="p-1 text-left font-mono font-medium">
                  {show(w.tokenText)}
                  {w.whole ? "" : "*"}
                </th>
                {map.similarity[i].map((v, j) => (
                  <td key={j} className="p-1 text-right" style={i === j ? undefined : cell(v)}>
                    {v.toFixed(2)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
        course-lm is tiny and learned only from this course, so expect weak, patchy structure — word pairs that appear in similar sentences here end
        up closer, not the neat clusters of models trained on billions of words.{" "}
        <Link href={`/playground/embeddings?q=${encodeURIComponent(show(first.tokenText))}`} className="font-medium text-brand-700 underline dark:text-brand-400">
          Open in the playground
        </Link>{" "}
        to see every token and its nearest neighbours.
      </p>
    </DemoFrame>
  );
}
