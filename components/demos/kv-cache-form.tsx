"use client";

import { useState } from "react";
import { BYTES_PER_VALUE, formatBytes, kvBytesPerToken, kvCacheBytes, type KvPreset, type ValueType } from "@/lib/course/kv-cache";
import { useHydrated } from "@/components/ui/use-hydrated";

type Shape = { layers: number; kvHeads: number; headDim: number; seqLen: number; batch: number; valueType: ValueType };

const FIELDS: { key: Exclude<keyof Shape, "valueType">; label: string; max: number }[] = [
  { key: "layers", label: "Layers", max: 1000 },
  { key: "kvHeads", label: "KV heads", max: 1024 },
  { key: "headDim", label: "Head dim", max: 4096 },
  { key: "seqLen", label: "Sequence length (tokens)", max: 10_000_000 },
  { key: "batch", label: "Batch (sequences)", max: 100_000 },
];

const nf = new Intl.NumberFormat("en-US");

function fromPreset(p: KvPreset, batch = 1): Shape {
  return { ...p.shape, batch, valueType: p.valueType };
}

/** The calculator's inputs and result; the arithmetic is lib/course/kv-cache.ts. */
export function KvCacheForm({ presets }: { presets: KvPreset[] }) {
  const [presetId, setPresetId] = useState(presets[0]?.id ?? "");
  const hydrated = useHydrated();
  const [shape, setShape] = useState<Shape>(() => (presets[0] ? fromPreset(presets[0]) : { layers: 1, kvHeads: 1, headDim: 64, seqLen: 1024, batch: 1, valueType: "fp16" }));
  const preset = presets.find((p) => p.id === presetId);

  const set = (patch: Partial<Shape>) => {
    setShape((s) => ({ ...s, ...patch }));
    setPresetId(""); // edited by hand: no longer exactly a preset
  };
  const bytesPerValue = BYTES_PER_VALUE[shape.valueType];
  const valid = FIELDS.every((f) => Number.isInteger(shape[f.key]) && shape[f.key] >= 0 && shape[f.key] <= f.max);
  const bytes = valid ? kvCacheBytes({ layers: shape.layers, kvHeads: shape.kvHeads, headDim: shape.headDim, seqLen: shape.seqLen, batch: shape.batch, bytesPerValue }) : null;
  const perToken = valid ? kvBytesPerToken({ layers: shape.layers, kvHeads: shape.kvHeads, headDim: shape.headDim, bytesPerValue }) : null;

  return (
    <div className="grid grid-cols-1 gap-4 text-sm">
      <fieldset>
        <legend className="font-medium">Preset</legend>
        <div className="mt-2 flex flex-wrap gap-2">
          {presets.map((p) => (
            <button
              key={p.id}
              type="button"
              aria-pressed={p.id === presetId}
              onClick={() => {
                setShape(fromPreset(p, shape.batch));
                setPresetId(p.id);
              }}
              className="rounded-lg border border-slate-300 px-3 py-1.5 hover:bg-slate-50 aria-pressed:border-brand-500 aria-pressed:bg-brand-50 aria-pressed:text-brand-800 focus-visible:outline-2 focus-visible:outline-brand-500 dark:border-slate-700 dark:hover:bg-slate-900 dark:aria-pressed:bg-slate-800 dark:aria-pressed:text-brand-300"
            >
              {p.label}
            </button>
          ))}
        </div>
        {preset && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{preset.note}</p>}
      </fieldset>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        {FIELDS.map((f) => (
          <label key={f.key} className="flex flex-col gap-1 font-medium">
            {f.label}
            <input
              type="number"
              min={0}
              max={f.max}
              step={1}
              inputMode="numeric"
              readOnly={!hydrated}
              value={Number.isFinite(shape[f.key]) ? shape[f.key] : ""}
              onChange={(e) => set({ [f.key]: e.target.value === "" ? NaN : Number(e.target.value) } as Partial<Shape>)}
              className="rounded-lg border border-slate-300 bg-white px-2 py-1.5 tabular-nums dark:border-slate-700 dark:bg-slate-900"
            />
          </label>
        ))}
        <label className="flex flex-col gap-1 font-medium">
          Bytes per value
          <select value={shape.valueType} onChange={(e) => set({ valueType: e.target.value as ValueType })} className="rounded-lg border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900">
            {(Object.keys(BYTES_PER_VALUE) as ValueType[]).map((t) => (
              <option key={t} value={t}>
                {t} ({BYTES_PER_VALUE[t]} byte{BYTES_PER_VALUE[t] === 1 ? "" : "s"})
              </option>
            ))}
          </select>
        </label>
      </div>
      <output aria-live="polite" className="block rounded-lg bg-slate-50 p-3 dark:bg-slate-900" data-testid="kv-result">
        {bytes === null ? (
          <span className="text-red-700 dark:text-red-400">Every field needs a whole number from 0 up to its limit.</span>
        ) : (
          <>
            <span className="text-2xl font-semibold tabular-nums" data-testid="kv-size">
              {formatBytes(bytes)}
            </span>
            <span className="mt-1 block font-mono text-xs break-words text-slate-700 dark:text-slate-300" data-testid="kv-formula">
              2 (K and V) × {nf.format(shape.layers)} layers × {nf.format(shape.kvHeads)} KV heads × {nf.format(shape.headDim)} head dim ×{" "}
              {nf.format(shape.seqLen)} tokens × {nf.format(shape.batch)} sequences × {bytesPerValue} bytes = {nf.format(bytes)} bytes
            </span>
            {perToken !== null && (
              <span className="mt-1 block text-xs text-slate-600 dark:text-slate-400">
                That is {formatBytes(perToken)} for every token of every sequence; 1 GiB = 2³⁰ bytes.
              </span>
            )}
          </>
        )}
      </output>
    </div>
  );
}
