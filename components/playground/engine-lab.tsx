"use client";

/**
 * The browser engine lab: load a model into the page's own worker (WebGPU or WASM), watch
 * the files arrive, generate, stop, and read the trace token by token. It is also the
 * page the e2e tests and `npm run bench:browser` drive (through the test hook, which calls
 * the same handlers as the buttons).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import {
  BrowserEngineError,
  sharedBrowserEngine,
  type BackendChoice,
  type GenerateRequest,
  type LoadOptions,
  type LoadProgressEvent,
  type ReadyInfo,
} from "@/lib/llm/browser/client";
import { installEngineTestHook } from "@/lib/llm/browser/test-hook";
import { MAX_NEW_TOKENS, type Trace, type TraceStep } from "@/lib/llm/trace";
import { TokenTable } from "./token-table";
import { Button } from "@/components/ui/button";
import { formatRate, liveTokenRate } from "@/lib/inspector/format";

type Phase = "idle" | "loading" | "ready" | "generating";

const BACKENDS: { value: BackendChoice; label: string }[] = [
  { value: "auto", label: "Auto (the faster, measured)" },
  { value: "webgpu", label: "WebGPU" },
  { value: "wasm", label: "WASM (CPU)" },
];

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function describeBackend(info: ReadyInfo): string {
  if (info.backend === "webgpu") {
    const a = info.adapter;
    const adapter = a ? [a.vendor, a.architecture].filter(Boolean).join(" ") : "";
    return `WebGPU${adapter ? ` (${adapter})` : ""}`;
  }
  return `WASM, ${info.threads} thread${info.threads === 1 ? "" : "s"}`;
}

const inputClass =
  "rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 dark:border-slate-700 dark:bg-slate-900";

export function EngineLab() {
  const engine = sharedBrowserEngine();
  const [phase, setPhase] = useState<Phase>(() => (engine.info ? "ready" : "idle"));
  const [info, setInfo] = useState<ReadyInfo | null>(() => engine.info);
  const [progress, setProgress] = useState<LoadProgressEvent | null>(null);
  const [error, setError] = useState<string | null>(null);

  const [backend, setBackend] = useState<BackendChoice>("auto");
  const [dtype, setDtype] = useState<"fp32" | "q8">("fp32");
  const [threads, setThreads] = useState<"auto" | "1" | "2" | "4">("auto");

  const [prompt, setPrompt] = useState("What is a token?");
  const [chat, setChat] = useState(true);
  const [greedy, setGreedy] = useState(true);
  const [temperature, setTemperature] = useState(0.7);
  const [seed, setSeed] = useState(0);
  const [maxNewTokens, setMaxNewTokens] = useState(48);

  const [steps, setSteps] = useState<TraceStep[]>([]);
  /** When the first and the latest step of the running reply arrived (for the live tokens/s). */
  const [stepTimes, setStepTimes] = useState<{ first: number; last: number } | null>(null);
  const [trace, setTrace] = useState<Trace | null>(null);
  const abortRef = useRef<AbortController | null>(null);

  const doLoad = useCallback(
    async (modelId: string, options: LoadOptions): Promise<ReadyInfo> => {
      setPhase("loading");
      setError(null);
      setProgress(null);
      try {
        const ready = await engine.load(modelId, { ...options, onProgress: setProgress });
        setInfo(ready);
        setPhase("ready");
        return ready;
      } catch (e) {
        setInfo(null);
        setPhase("idle");
        setError((e as Error).message);
        throw e;
      }
    },
    [engine],
  );

  const doGenerate = useCallback(
    async (request: GenerateRequest): Promise<Trace> => {
      abortRef.current?.abort();
      const controller = new AbortController();
      abortRef.current = controller;
      setPhase("generating");
      setError(null);
      setSteps([]);
      setStepTimes(null);
      setTrace(null);
      try {
        const result = await engine.run(request, {
          signal: controller.signal,
          onStep: (step) => {
            const now = performance.now();
            setSteps((s) => [...s, step]);
            setStepTimes((t) => ({ first: t?.first ?? now, last: now }));
          },
        });
        setTrace(result);
        setSteps(result.steps);
        return result;
      } catch (e) {
        setError(e instanceof BrowserEngineError ? `${e.name}: ${e.message}` : (e as Error).message);
        throw e;
      } finally {
        if (abortRef.current === controller) abortRef.current = null;
        setPhase(engine.info ? "ready" : "idle");
      }
    },
    [engine],
  );

  const stop = useCallback(() => abortRef.current?.abort(), []);

  useEffect(
    () =>
      installEngineTestHook({
        load: ({ modelId = "course-lm", ...options } = {}) => doLoad(modelId, options),
        generate: doGenerate,
        stop,
        info: () => engine.info,
      }),
    [doLoad, doGenerate, stop, engine],
  );

  const onLoad = () =>
    doLoad("course-lm", { backend, dtype, threads: threads === "auto" ? undefined : Number(threads) }).catch(() => {});
  const onGenerate = () =>
    doGenerate({
      ...(chat ? { messages: [{ role: "user", content: prompt }] } : { prompt }),
      settings: { greedy, temperature, seed, maxNewTokens },
    }).catch(() => {});

  const busy = phase === "loading" || phase === "generating";
  const fraction = progress && progress.total > 0 ? progress.loaded / progress.total : 0;
  const streamed = trace ? trace.reply.text : steps.filter((s) => !s.special).map((s) => s.text).join("");

  return (
    <div className="grid grid-cols-1 gap-6">
      <section aria-labelledby="engine-model" className="rounded-2xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
        <h2 id="engine-model" className="text-lg font-semibold">
          Model
        </h2>
        <div className="mt-4 flex flex-wrap items-end gap-4">
          <label className="flex flex-col gap-1.5 text-sm font-medium">
            Backend
            <select className={inputClass} value={backend} onChange={(e) => setBackend(e.target.value as BackendChoice)} disabled={busy}>
              {BACKENDS.map((b) => (
                <option key={b.value} value={b.value}>
                  {b.label}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1.5 text-sm font-medium">
            Weights
            <select className={inputClass} value={dtype} onChange={(e) => setDtype(e.target.value as "fp32" | "q8")} disabled={busy}>
              <option value="fp32">fp32 (exact)</option>
              <option value="q8">int8 (smaller, approximate)</option>
            </select>
          </label>
          <label className="flex flex-col gap-1.5 text-sm font-medium">
            WASM threads
            <select className={inputClass} value={threads} onChange={(e) => setThreads(e.target.value as typeof threads)} disabled={busy}>
              <option value="auto">Auto</option>
              <option value="1">1</option>
              <option value="2">2</option>
              <option value="4">4</option>
            </select>
          </label>
          <Button type="button" onClick={onLoad} disabled={busy} variant="primary">
            {info ? "Reload course-lm" : "Load course-lm"}
          </Button>
        </div>

        {phase === "loading" && (
          <div className="mt-4">
            <progress className="h-2 w-full accent-brand-600" aria-label="Loading the model" value={fraction} max={1} />
            <p className="mt-1 text-sm tabular-nums text-slate-600 dark:text-slate-400">
              {progress ? `${progress.file}: ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}` : "Starting the worker…"}
            </p>
          </div>
        )}
        {info && phase !== "loading" && (
          <p className="mt-4 text-sm" data-testid="engine-status" data-backend={info.backend}>
            Ready: <strong>{info.modelId}</strong> ({info.dtype}) on <strong>{describeBackend(info)}</strong> · loaded in{" "}
            {(info.loadMs / 1000).toFixed(1)} s{info.fromCache ? " from the browser cache" : ""}
            {info.warmUpMs !== undefined && ` (warmed up in ${(info.warmUpMs / 1000).toFixed(1)} s)`} ·{" "}
            {info.crossOriginIsolated ? "cross-origin isolated" : "not cross-origin isolated (WASM runs on one thread)"}
            {info.fallbackReason && <span className="block text-slate-600 dark:text-slate-400">Not on WebGPU: {info.fallbackReason}</span>}
            {info.dtypeReason && <span className="block text-slate-600 dark:text-slate-400">Weights: {info.dtypeReason}</span>}
            {info.backendProbe && (
              <span className="block text-slate-600 dark:text-slate-400" data-testid="backend-probe">
                Auto measured both backends on this model: WASM {formatRate(info.backendProbe.wasmTokensPerSecond)}, WebGPU{" "}
                {formatRate(info.backendProbe.webgpuTokensPerSecond)} — kept the faster, {info.backendProbe.picked === "wasm" ? "WASM" : "WebGPU"}.
              </span>
            )}
          </p>
        )}
      </section>

      <section aria-labelledby="engine-generate" className="rounded-2xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
        <h2 id="engine-generate" className="text-lg font-semibold">
          Generate
        </h2>
        <label className="mt-4 flex flex-col gap-1.5 text-sm font-medium">
          Prompt
          <textarea className={`${inputClass} min-h-20 font-mono`} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        </label>
        <div className="mt-4 flex flex-wrap items-end gap-4">
          <label className="flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" checked={chat} onChange={(e) => setChat(e.target.checked)} />
            As a chat message (chat template)
          </label>
          <label className="flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" checked={greedy} onChange={(e) => setGreedy(e.target.checked)} />
            Greedy
          </label>
          <label className="flex flex-col gap-1.5 text-sm font-medium">
            Temperature
            <input className={`${inputClass} w-24`} type="number" min={0} max={2} step={0.1} value={temperature} disabled={greedy} onChange={(e) => setTemperature(Number(e.target.value))} />
          </label>
          <label className="flex flex-col gap-1.5 text-sm font-medium">
            Seed
            <input className={`${inputClass} w-28`} type="number" min={0} step={1} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
          </label>
          <label className="flex flex-col gap-1.5 text-sm font-medium">
            Max new tokens
            <input className={`${inputClass} w-24`} type="number" min={1} max={MAX_NEW_TOKENS} step={1} value={maxNewTokens} onChange={(e) => setMaxNewTokens(Number(e.target.value))} />
          </label>
          <Button type="button" onClick={onGenerate} disabled={phase !== "ready"} variant="primary">
            Generate
          </Button>
          <Button type="button" onClick={stop} disabled={phase !== "generating"} variant="secondary">
            Stop
          </Button>
        </div>
        {phase === "idle" && !error && <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Load the model first.</p>}
        {error && (
          <p role="alert" className="mt-3 text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}

        <h3 className="mt-6 text-sm font-semibold">Reply</h3>
        <output aria-live="polite" aria-label="Reply" className="mt-2 block max-h-64 min-h-12 overflow-auto whitespace-pre-wrap rounded-lg bg-slate-50 p-3 font-mono text-sm dark:bg-slate-900">
          {streamed}
        </output>
        {!trace && phase === "generating" && steps.length > 0 && stepTimes && (
          <p className="mt-2 text-sm tabular-nums text-slate-600 dark:text-slate-400" data-testid="live-rate">
            {steps.length} tokens · {formatRate(liveTokenRate(steps.length, stepTimes.first, stepTimes.last))}
          </p>
        )}
        {trace && (
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400" data-testid="trace-summary">
            {trace.steps.length} tokens · finished: {trace.finishReason} · ran on {trace.model.backend} ({trace.model.dtype}) · prefill{" "}
            {trace.timings.prefillMs.toFixed(0)} ms ·{" "}
            {trace.timings.tokensPerSecond === null ? "—" : `${trace.timings.tokensPerSecond.toFixed(1)} tokens/s`}
          </p>
        )}
      </section>

      {steps.length > 0 && <TokenTable steps={steps} caption="Reply tokens" />}
    </div>
  );
}
