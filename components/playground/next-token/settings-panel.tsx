"use client";

import { useId } from "react";
import type { NextTokenState } from "@/lib/playground/next-token";
import { Button } from "@/components/ui/button";

interface SliderSpec {
  key: "temperature" | "topK" | "topP" | "minP" | "repetitionPenalty" | "presencePenalty" | "frequencyPenalty" | "copyBoost";
  label: string;
  min: number;
  max: number;
  step: number;
  /** What the value means, e.g. "off" at the neutral value. */
  describe: (v: number) => string;
}

export const SLIDERS: readonly SliderSpec[] = [
  { key: "temperature", label: "Temperature", min: 0, max: 2, step: 0.05, describe: (v) => (v === 0 ? "0 = greedy (argmax)" : v < 1 ? "sharper" : v > 1 ? "flatter" : "the model's own") },
  { key: "topK", label: "Top-k", min: 0, max: 200, step: 1, describe: (v) => (v === 0 ? "off" : `keep ${v} most likely`) },
  { key: "topP", label: "Top-p", min: 0.05, max: 1, step: 0.05, describe: (v) => (v >= 1 ? "off" : `keep ${Math.round(v * 100)}% of the mass`) },
  { key: "minP", label: "Min-p", min: 0, max: 0.95, step: 0.05, describe: (v) => (v === 0 ? "off" : `≥ ${v} × the top token`) },
  { key: "repetitionPenalty", label: "Repetition penalty", min: 1, max: 2, step: 0.05, describe: (v) => (v === 1 ? "off" : `÷ ${v} on seen tokens`) },
  { key: "presencePenalty", label: "Presence penalty", min: -2, max: 2, step: 0.1, describe: (v) => (v === 0 ? "off" : `${v > 0 ? "−" : "+"}${Math.abs(v)} once generated`) },
  { key: "frequencyPenalty", label: "Frequency penalty", min: -2, max: 2, step: 0.1, describe: (v) => (v === 0 ? "off" : `${v > 0 ? "−" : "+"}${Math.abs(v)} per repeat`) },
  { key: "copyBoost", label: "Copy boost", min: 0, max: 10, step: 0.5, describe: (v) => (v === 0 ? "off" : `+${v} to continue a quote of the prompt`) },
];

const round = (v: number, step: number) => Number((Math.round(v / step) * step).toFixed(4));

/** One setting: a slider and a number box bound to the same value (the box for exact values). */
export function SettingSlider({ spec, value, onChange }: { spec: SliderSpec; value: number; onChange: (v: number) => void }) {
  const id = useId();
  const clamp = (v: number) => Math.min(spec.max, Math.max(spec.min, v));
  return (
    <div className="grid grid-cols-1 gap-1" data-setting={spec.key}>
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-sm font-medium">
          {spec.label}
        </label>
        <span className="text-xs text-slate-500 dark:text-slate-400">{spec.describe(value)}</span>
      </div>
      <div className="flex items-center gap-2">
        <input
          id={id}
          type="range"
          min={spec.min}
          max={spec.max}
          step={spec.step}
          value={clamp(value)}
          onChange={(e) => onChange(round(Number(e.target.value), spec.step))}
          className="min-w-0 flex-1 accent-brand-600"
        />
        <input
          type="number"
          aria-label={`${spec.label} (exact value)`}
          min={spec.min}
          max={spec.key === "topK" ? undefined : spec.max}
          step={spec.step}
          value={value}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (e.target.value !== "" && Number.isFinite(v)) onChange(spec.key === "topK" ? Math.max(0, Math.round(v)) : clamp(v));
          }}
          className="w-20 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm tabular-nums dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
    </div>
  );
}

/** The sampler's settings: each re-runs the model (debounced) and the charts follow. */
export function SettingsPanel({ state, update }: { state: NextTokenState; update: (patch: Partial<NextTokenState>) => void }) {
  const seedId = useId();
  const neutral =
    state.temperature === 1 && state.topK === 0 && state.topP === 1 && state.minP === 0 && state.repetitionPenalty === 1 && state.presencePenalty === 0 && state.frequencyPenalty === 0 && state.copyBoost === 0 && !state.quote;
  return (
    <section aria-labelledby="nt-settings" className="rounded-2xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
      <div className="flex flex-wrap items-baseline gap-3">
        <h2 id="nt-settings" className="text-lg font-semibold">
          Sampling settings
        </h2>
        <p className="text-xs text-slate-600 dark:text-slate-400">move one and the distribution below updates</p>
        <Button
          type="button"
          disabled={neutral}
          onClick={() => update({ temperature: 1, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1, presencePenalty: 0, frequencyPenalty: 0, copyBoost: 0, quote: false })}
          variant="secondary"
          size="xs"
          className="ml-auto"
        >
          Reset to the model&apos;s own distribution
        </Button>
      </div>
      <div className="mt-4 grid grid-cols-1 gap-x-8 gap-y-4 sm:grid-cols-2 lg:grid-cols-3">
        {SLIDERS.map((spec) => (
          <SettingSlider key={spec.key} spec={spec} value={state[spec.key]} onChange={(v) => update({ [spec.key]: v })} />
        ))}
        <div className="grid grid-cols-1 gap-1" data-setting="quote">
          <label className="inline-flex cursor-pointer items-center gap-2 text-sm font-medium">
            <input type="checkbox" checked={state.quote} onChange={(e) => update({ quote: e.target.checked })} className="size-4 accent-brand-600" />
            Quote only
          </label>
          <span className="text-xs text-slate-500 dark:text-slate-400">
            {state.quote ? "only tokens that continue a whole sentence of the prompt" : "off: any token may come next"}
          </span>
        </div>
        <div className="grid grid-cols-1 gap-1">
          <label htmlFor={seedId} className="text-sm font-medium">
            Seed
          </label>
          <input
            id={seedId}
            type="number"
            min={0}
            step={1}
            value={state.seed}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff) update({ seed: v });
            }}
            className="w-32 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm tabular-nums dark:border-slate-700 dark:bg-slate-900"
          />
          <span className="text-xs text-slate-500 dark:text-slate-400">the same seed draws the same numbers</span>
        </div>
      </div>
    </section>
  );
}
