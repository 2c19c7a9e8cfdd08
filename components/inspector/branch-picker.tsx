"use client";

import { useId, useState } from "react";
import type { CandidateRow } from "@/lib/inspector/pipeline";
import { formatProb } from "@/lib/inspector/format";
import { visibleText } from "@/lib/inspector/token-display";
import { BranchIcon } from "./token";
import { Button } from "@/components/ui/button";

export interface BranchPickerProps {
  stepIndex: number;
  rows: readonly CandidateRow[];
  onBranch: (stepIndex: number, tokenId: number) => void;
  /** A generation is running: the button waits. */
  busy?: boolean;
}

/**
 * "What if": pick another recorded candidate for this step and continue from there. The
 * inspector only calls back; the host (tutor, playground) runs the branch.
 */
export function BranchPicker({ stepIndex, rows, onBranch, busy = false }: BranchPickerProps) {
  const options = rows.filter((r) => !r.chosen);
  const [choice, setChoice] = useState<number | null>(null);
  const selectId = useId();
  const selected = options.find((r) => r.id === choice) ?? options[0];
  if (!selected) return null;
  return (
    <form
      className="flex flex-col gap-2 sm:flex-row sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        onBranch(stepIndex, selected.id);
      }}
    >
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <label htmlFor={selectId} className="text-sm font-medium">
          Continue step {stepIndex + 1} with
        </label>
        <select
          id={selectId}
          value={selected.id}
          onChange={(e) => setChoice(Number(e.target.value))}
          className="w-full min-w-0 rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none dark:border-slate-700 dark:bg-slate-900"
        >
          {options.map((r) => (
            <option key={r.id} value={r.id}>
              {`#${r.rank + 1}  ${visibleText(r.candidate)}  (id ${r.id}, ${formatProb(r.probModel)}${r.kept ? "" : ", filtered"})`}
            </option>
          ))}
        </select>
      </div>
      <Button
        type="submit"
        disabled={busy}
        variant="primary"
        className="gap-1.5"
      >
        <BranchIcon className="size-4" /> Branch from here
      </Button>
    </form>
  );
}
