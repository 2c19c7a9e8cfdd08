"use client";

import { useId, useState } from "react";
import type { GenerationSettings } from "@/lib/llm/trace";
import { randomSeed } from "@/lib/llm/prng";
import {
  changedSettings,
  FIELD_SPECS,
  formToSettings,
  NUMBER_FIELDS,
  settingsToForm,
  type NumberField,
  type ReplayFormErrors,
  type ReplayFormValues,
} from "@/lib/inspector/replay-form";
import { Button } from "@/components/ui/button";

export interface ReplayFormProps {
  /** The trace's settings: the form starts from them. */
  settings: GenerationSettings;
  /** Called with validated settings; the host regenerates the reply. */
  onReplay: (settings: GenerationSettings) => void;
  /** A generation is running: the button waits. */
  busy?: boolean;
}

const GROUPS: { title: string; fields: NumberField[] }[] = [
  { title: "Temperature and filters", fields: ["temperature", "topK", "topP", "minP"] },
  { title: "Penalties", fields: ["repetitionPenalty", "presencePenalty", "frequencyPenalty"] },
  { title: "Copy from the prompt", fields: ["copyBoost"] },
  { title: "Run", fields: ["seed", "maxNewTokens"] },
];

/**
 * Replay the reply with other settings. Validated with the settings schema the API uses;
 * errors appear under their fields. With the trace's own settings and seed, the replay
 * reproduces the reply exactly.
 */
export function ReplayForm({ settings, onReplay, busy = false }: ReplayFormProps) {
  const [values, setValues] = useState<ReplayFormValues>(() => settingsToForm(settings));
  const [errors, setErrors] = useState<ReplayFormErrors>({});
  const [from, setFrom] = useState(settings);
  const base = useId();
  if (from !== settings) {
    // A new trace: start again from its settings.
    setFrom(settings);
    setValues(settingsToForm(settings));
    setErrors({});
  }

  const parsed = formToSettings(values);
  const changed = parsed.ok ? changedSettings(settings, parsed.settings) : null;
  const set = (field: keyof ReplayFormValues, value: string | boolean) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (errors[field as NumberField]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  return (
    <form
      noValidate
      aria-label="Replay with other settings"
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        const r = formToSettings(values);
        if (!r.ok) {
          setErrors(r.errors);
          const first = NUMBER_FIELDS.find((f) => r.errors[f]);
          if (first) document.getElementById(`${base}-${first}`)?.focus();
          return;
        }
        setErrors({});
        onReplay(r.settings);
      }}
    >
      <label className="inline-flex cursor-pointer items-center gap-2 text-sm font-medium">
        <input type="checkbox" checked={values.greedy} onChange={(e) => set("greedy", e.target.checked)} className="size-4 accent-brand-600" />
        Greedy (always take the most likely token; ignores temperature and filters)
      </label>
      <label className="flex cursor-pointer items-center gap-2 text-sm font-medium">
        <input type="checkbox" checked={values.quote} onChange={(e) => set("quote", e.target.checked)} className="size-4 accent-brand-600" />
        Quote only (the reply may only be whole sentences of the prompt&apos;s passages, chosen by the model)
      </label>
      {GROUPS.map((group) => (
        <fieldset key={group.title} className="space-y-3">
          <legend className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{group.title}</legend>
          <div className="grid grid-cols-2 gap-3 @2xl:grid-cols-4">
            {group.fields.map((f) => {
              const spec = FIELD_SPECS[f];
              const id = `${base}-${f}`;
              const error = errors[f];
              const disabled = values.greedy && ["temperature", "topK", "topP", "minP"].includes(f);
              return (
                <div key={f} className="flex flex-col gap-1">
                  <label htmlFor={id} className="text-sm font-medium">
                    {spec.label}
                  </label>
                  <div className="flex gap-1">
                    <input
                      id={id}
                      name={f}
                      inputMode={spec.int ? "numeric" : "decimal"}
                      autoComplete="off"
                      value={values[f]}
                      disabled={disabled}
                      onChange={(e) => set(f, e.target.value)}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `${id}-error` : `${id}-hint`}
                      className="w-full min-w-0 rounded-lg border border-slate-300 bg-white px-3 py-1.5 font-mono text-sm tabular-nums shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 disabled:opacity-50 aria-[invalid]:border-red-500 dark:border-slate-700 dark:bg-slate-900"
                    />
                    {f === "seed" && (
                      <Button
                        type="button"
                        onClick={() => set("seed", String(randomSeed()))}
                        variant="secondary"
                        size="xs"
                        className="shrink-0"
                        title="Pick a random seed"
                      >
                        Random
                      </Button>
                    )}
                  </div>
                  {error ? (
                    <p id={`${id}-error`} role="alert" className="text-xs text-red-600 dark:text-red-400">
                      {error}
                    </p>
                  ) : (
                    <p id={`${id}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
                      {spec.hint}
                    </p>
                  )}
                </div>
              );
            })}
          </div>
        </fieldset>
      ))}
      {errors.form && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {errors.form}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <Button
          type="submit"
          disabled={busy}
          variant="primary"
        >
          {busy ? "Generating…" : "Replay"}
        </Button>
        <Button
          type="button"
          onClick={() => {
            setValues(settingsToForm(settings));
            setErrors({});
          }}
          variant="secondary"
        >
          Reset to this reply&apos;s settings
        </Button>
        <p className="text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
          {changed === null
            ? "Fix the highlighted fields to replay."
            : changed.length === 0
              ? "Same settings and seed: the replay reproduces this reply exactly."
              : `Changed: ${changed.map((f) => (f === "greedy" ? "greedy" : f === "quote" ? "quote only" : FIELD_SPECS[f].label.toLowerCase())).join(", ")}.`}
        </p>
      </div>
    </form>
  );
}
