"use client";

import { useId, type ReactNode } from "react";

/**
 * A labelled range input with its value beside it (and announced as `shown`): the sliders of the
 * lesson demos. `testId` names the input's value output (`${testId}-value`) for the tests.
 */
export function DemoSlider({
  label,
  min,
  max,
  step = 1,
  value,
  disabled,
  onChange,
  shown,
  testId,
}: {
  label: ReactNode;
  min: number;
  max: number;
  step?: number;
  value: number;
  disabled: boolean;
  onChange: (value: number) => void;
  /** The value as the learner reads it ("12 tokens", "0.35 rad"). */
  shown: string;
  testId: string;
}) {
  const id = useId();
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
      <label htmlFor={id} className="min-w-[7.5rem]">
        {label}
      </label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(Number(e.target.value))}
        aria-valuetext={shown}
        className="w-40 accent-brand-600 disabled:opacity-50"
      />
      <output htmlFor={id} className="inline-block min-w-[4ch] font-semibold tabular-nums" data-testid={`${testId}-value`}>
        {shown}
      </output>
    </div>
  );
}
