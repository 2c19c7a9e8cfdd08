import { isGreedy, type FinishReason, type Trace } from "@/lib/llm/trace";
import { formatCount, formatMs, formatRate } from "@/lib/inspector/format";

export const FINISH_REASONS: Record<FinishReason, { label: string; explain: string }> = {
  eos: { label: "end token", explain: "the model produced its end-of-reply token" },
  length: { label: "length limit", explain: "max new tokens reached" },
  stop: { label: "stop string", explain: "a stop string appeared in the reply" },
  aborted: { label: "stopped", explain: "generation was cancelled" },
  context: { label: "context full", explain: "the model's context window is full" },
};

const BACKENDS: Record<Trace["model"]["backend"], string> = {
  node: "server (Node, onnxruntime)",
  webgpu: "browser (WebGPU)",
  wasm: "browser (WASM)",
};

/** One-line summary of the sampling settings: "T 0.9 · top-k 40 · top-p 0.9 · min-p 0.02 · rep 1.3 · seed 4". */
export function settingsSummary(s: Trace["settings"]): string[] {
  if (isGreedy(s)) {
    const parts = ["greedy"];
    if (s.repetitionPenalty !== 1) parts.push(`repetition ${s.repetitionPenalty}`);
    if (s.presencePenalty !== 0) parts.push(`presence ${s.presencePenalty}`);
    if (s.frequencyPenalty !== 0) parts.push(`frequency ${s.frequencyPenalty}`);
    if (s.copyBoost > 0) parts.push(`copy +${s.copyBoost}`);
    if (s.quote) parts.push("quote only");
    parts.push(`max ${s.maxNewTokens}`);
    return parts;
  }
  const parts = [`T ${s.temperature}`, s.topK === 0 ? "top-k off" : `top-k ${formatCount(s.topK)}`, s.topP >= 1 ? "top-p off" : `top-p ${s.topP}`];
  if (s.minP > 0) parts.push(`min-p ${s.minP}`);
  if (s.repetitionPenalty !== 1) parts.push(`repetition ${s.repetitionPenalty}`);
  if (s.presencePenalty !== 0) parts.push(`presence ${s.presencePenalty}`);
  if (s.frequencyPenalty !== 0) parts.push(`frequency ${s.frequencyPenalty}`);
  if (s.copyBoost > 0) parts.push(`copy +${s.copyBoost}`);
  if (s.quote) parts.push("quote only");
  parts.push(`seed ${s.seed}`, `max ${s.maxNewTokens}`);
  return parts;
}

/** The trace's provenance: model, settings, timings and why the reply ended. */
export function TraceMeta({ trace }: { trace: Trace }) {
  const { model, timings } = trace;
  const finish = FINISH_REASONS[trace.finishReason];
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm @xl:grid-cols-2 @4xl:grid-cols-4">
      <Item label="Model">
        <span className="font-semibold">{model.id}</span>{" "}
        <span className="text-slate-500 dark:text-slate-400">
          · {model.dtype} · {BACKENDS[model.backend]}
        </span>
        <span className="block truncate font-mono text-xs text-slate-500 dark:text-slate-400" title={model.revision}>
          revision {model.revision}
        </span>
      </Item>
      <Item label="Settings">
        <span className="flex flex-wrap gap-1">
          {settingsSummary(trace.settings).map((p) => (
            <span key={p} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
              {p}
            </span>
          ))}
        </span>
      </Item>
      <Item label="Timings">
        <span className="tabular-nums">
          prefill {formatMs(timings.prefillMs)} · first token {formatMs(timings.ttftMs)}
        </span>
        <span className="block text-xs text-slate-500 tabular-nums dark:text-slate-400">
          {formatRate(timings.tokensPerSecond)} · total {formatMs(timings.totalMs)}
        </span>
      </Item>
      <Item label="Finished">
        <span className="font-semibold">{finish.label}</span>
        {trace.stopString !== undefined && <span className="font-mono text-xs"> “{trace.stopString}”</span>}
        <span className="block text-xs text-slate-500 dark:text-slate-400">
          {finish.explain} · {formatCount(trace.steps.length)} tokens · vocabulary {formatCount(trace.vocabSize)}
        </span>
      </Item>
    </dl>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="mt-0.5">{children}</dd>
    </div>
  );
}
