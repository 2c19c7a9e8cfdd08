"use client";

import { useId } from "react";
import type { LabBackend, LabTarget } from "@/lib/playground/lab-engine";
import { modelFacts } from "@/lib/llm/model-facts";
import type { ModelInfo } from "@/lib/llm/model-info";
import type { LabEngine } from "./use-lab-engine";

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const labInputClass =
  "rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 dark:border-slate-700 dark:bg-slate-900";

/**
 * The bar on every model lab: which model (GET /api/models; course-lm first, models that need
 * the network marked so) and where it runs — on the server, or in this page's worker with a
 * progress bar while the files load.
 */
export function ModelBar({ engine, onChange }: { engine: LabEngine; onChange: (target: LabTarget) => void }) {
  const { target, models, modelsError, browser } = engine;
  const modelId = useId();
  const backendName = useId();
  const loadingHere = target.backend === "browser" && browser.phase === "loading" && browser.modelId === target.model;
  const fraction = browser.progress && browser.progress.total > 0 ? browser.progress.loaded / browser.progress.total : undefined;
  const selected = models?.find((m) => m.id === target.model);
  const facts = selected ? modelFacts(selected) : null;
  // Until GET /api/models answers: the chosen model alone.
  const list: Pick<ModelInfo, "id" | "label" | "needsNetwork" | "availableOffline" | "default" | "description" | "parameters">[] = models ?? [
    { id: target.model, label: target.model, needsNetwork: false, availableOffline: true, default: true, description: "" },
  ];

  return (
    <section aria-label="Model and backend" className="rounded-2xl border border-slate-200 bg-slate-50/60 p-3 sm:p-4 dark:border-slate-800 dark:bg-slate-900/40">
      <div className="flex flex-wrap items-end gap-x-6 gap-y-3">
        <div className="flex w-full min-w-0 flex-col gap-1 sm:w-auto">
          <label htmlFor={modelId} className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
            Model
          </label>
          <select id={modelId} className={`${labInputClass} w-full max-w-full sm:w-auto`} value={target.model} onChange={(e) => onChange({ ...target, model: e.target.value })}>
            {list.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
                {m.parameters ? ` (${m.parameters})` : ""}
                {m.needsNetwork && !m.availableOffline ? " — needs network" : ""}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">Runs</legend>
          <div className="inline-flex rounded-lg border border-slate-300 bg-white p-0.5 dark:border-slate-700 dark:bg-slate-900">
            {(
              [
                ["server", "On the server"],
                ["browser", "In my browser"],
              ] as [LabBackend, string][]
            ).map(([value, label]) => (
              <label
                key={value}
                className={
                  "cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500 " +
                  (target.backend === value ? "bg-brand-600 text-white dark:bg-brand-500" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800")
                }
              >
                <input
                  type="radio"
                  className="sr-only"
                  name={backendName}
                  value={value}
                  checked={target.backend === value}
                  onChange={() => onChange({ ...target, backend: value })}
                />
                {label}
              </label>
            ))}
          </div>
        </fieldset>
        <p className="min-w-0 flex-1 text-xs text-slate-600 dark:text-slate-400" data-testid="model-bar-status">
          {target.backend === "server"
            ? "The app's server runs the model (Node, onnxruntime)."
            : browser.phase === "ready" && browser.info?.modelId === target.model
              ? `Loaded in this page: ${browser.info.modelId} on ${browser.info.backend === "webgpu" ? "WebGPU" : `WebAssembly, ${browser.info.threads} thread${browser.info.threads === 1 ? "" : "s"}`}${browser.info.fromCache ? " (from the browser cache)" : ""}.`
              : browser.phase === "error"
                ? null
                : "Loading the model into a worker in this page…"}
        </p>
      </div>
      {facts && (
        <div className="mt-2 text-xs text-slate-600 dark:text-slate-400" data-testid="model-facts">
          <p>{facts.facts}</p>
          {facts.cache && <p className="mt-0.5">{facts.cache}</p>}
        </div>
      )}
      {modelsError && <p className="mt-2 text-xs text-amber-700 dark:text-amber-300">Could not list the models ({modelsError}); course-lm still works.</p>}
      {loadingHere && (
        <div className="mt-3">
          <progress className="h-2 w-full accent-brand-600" aria-label="Loading the model in your browser" value={fraction} max={1} />
          <div className="mt-1 flex items-center justify-between gap-3">
            <p className="text-xs tabular-nums text-slate-600 dark:text-slate-400" data-testid="model-load-progress">
              {browser.progress
                ? `${browser.progress.file}: ${formatBytes(browser.progress.loaded)} of ${formatBytes(browser.progress.total)}${fraction !== undefined ? ` (${Math.floor(fraction * 100)} %)` : ""}`
                : "Starting the worker…"}
            </p>
            <button type="button" onClick={engine.cancelBrowserLoad} className="text-xs font-medium underline">
              Cancel
            </button>
          </div>
        </div>
      )}
      {target.backend === "browser" && browser.phase === "error" && (
        <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">
          The model could not load in this browser: {browser.error}{" "}
          <button type="button" onClick={engine.retryBrowser} className="underline">
            Try again
          </button>{" "}
          or run it on the server.
        </p>
      )}
    </section>
  );
}
