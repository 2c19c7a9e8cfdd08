import { trainingCurve, type TrainingCurve } from "@/lib/course/training-log";
import { readCourseLmJson } from "@/lib/embeddings/server";
import { DemoError, DemoFrame } from "./demo-frame";
import { LazyTrainingCurveCharts as TrainingCurveCharts } from "./client-demos";
import type { DemoProps } from "./types";

const TITLE = "course-lm's training curve";
const nf = new Intl.NumberFormat("en-US");

function duration(s: number): string {
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${Math.round(s - m * 60)} s` : `${s.toFixed(0)} s`;
}

/** `<Demo kind="training-curve" />`: the real run, read from training-log.json at request time. */
export async function TrainingCurveDemo({ kind }: DemoProps) {
  let curve: TrainingCurve;
  try {
    curve = trainingCurve(await readCourseLmJson("training-log.json"));
  } catch (e) {
    return (
      <DemoFrame kind={kind} title={TITLE}>
        <DemoError>course-lm&apos;s training log could not be read: {(e as Error).message.slice(0, 300)}</DemoError>
      </DemoFrame>
    );
  }
  const f = curve.final;
  const stats: [string, string, string][] = [
    ["Final training loss", f.trainLoss.toFixed(3), "final-train-loss"],
    ["Final validation loss", f.valLoss.toFixed(3), "final-val-loss"],
    ["Validation perplexity (e^loss)", f.valPerplexity.toFixed(1), "final-val-ppl"],
    ["Training perplexity", f.trainPerplexity.toFixed(1), "final-train-ppl"],
    ["Tokens seen", `${nf.format(f.tokensSeen)}${f.epochs ? ` (${f.epochs.toFixed(1)} passes over ${nf.format(curve.trainTokens)})` : ""}`, "final-tokens"],
    ["Wall time", duration(f.wallTimeS), "final-time"],
    ["Speed", `${nf.format(f.tokensPerS)} tokens/s`, "final-speed"],
  ];
  return (
    <DemoFrame kind={kind} title={TITLE}>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        The real run that produced the model behind this site: {nf.format(curve.parameters)} parameters, {nf.format(curve.totalSteps)} optimizer steps,
        read from its training log. Loss is cross-entropy in nats per token.
      </p>
      <TrainingCurveCharts curve={curve} />
      <dl className="mt-4 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        {stats.map(([label, value, id]) => (
          <div key={id} className="flex justify-between gap-3 border-b border-slate-100 py-1 dark:border-slate-800">
            <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
            <dd className="font-medium tabular-nums" data-testid={id}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </DemoFrame>
  );
}
