"use client";

import { useState } from "react";
import { Inspector } from "@/components/inspector";
import type { GenerationSettings } from "@/lib/llm/trace";
import { visibleText } from "@/lib/inspector/token-display";
import type { GalleryFixture } from "./fixtures";

type Width = "full" | "panel" | "phone";
const WIDTHS: Record<Width, { label: string; className: string }> = {
  full: { label: "Full width", className: "" },
  panel: { label: "Side panel (480 px)", className: "max-w-[480px]" },
  phone: { label: "Phone (343 px)", className: "max-w-[343px]" },
};

/** The inspector with its callbacks echoed on the page, so a reviewer (or a test) can see them fire. */
export function GalleryInspector({ fixture }: { fixture: GalleryFixture }) {
  const [events, setEvents] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [width, setWidth] = useState<Width>("full");
  const { trace } = fixture;
  const log = (line: string) => setEvents((e) => [line, ...e].slice(0, 6));

  const onBranch = (stepIndex: number, tokenId: number) => {
    const candidate = trace.steps[stepIndex]?.candidates.find((c) => c.id === tokenId);
    log(`branch requested: step ${stepIndex} → token ${tokenId}${candidate ? ` (“${visibleText(candidate)}”)` : ""}`);
  };
  const onReplay = (settings: GenerationSettings) => log(`replay requested: ${JSON.stringify(settings)}`);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2 rounded-xl border border-dashed border-slate-300 px-4 py-3 text-sm dark:border-slate-700">
        <fieldset className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <legend className="sr-only">Container width</legend>
          <span className="font-medium">Width</span>
          {(Object.keys(WIDTHS) as Width[]).map((w) => (
            <label key={w} className="inline-flex cursor-pointer items-center gap-1.5 text-slate-700 dark:text-slate-300">
              <input type="radio" name="gallery-width" checked={width === w} onChange={() => setWidth(w)} className="accent-brand-600" />
              {WIDTHS[w].label}
            </label>
          ))}
        </fieldset>
        <label className="inline-flex cursor-pointer items-center gap-1.5 text-slate-700 dark:text-slate-300">
          <input type="checkbox" checked={busy} onChange={(e) => setBusy(e.target.checked)} className="accent-brand-600" />
          Generation running (busy)
        </label>
      </div>
      <div role="status" aria-label="Inspector callbacks" className="min-h-10 rounded-xl bg-slate-900 px-4 py-2.5 font-mono text-xs text-slate-100 dark:bg-slate-800">
        {events.length === 0 ? (
          <span className="text-slate-400">Callbacks appear here: pick a step, then “Branch from here”, or submit the replay form.</span>
        ) : (
          <ul className="space-y-0.5">
            {events.map((e, i) => (
              <li key={events.length - i} className={"break-all " + (i === 0 ? "text-white" : "text-slate-400")}>
                {e}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className={WIDTHS[width].className}>
        <Inspector trace={trace} branchPoint={fixture.branchPoint} onBranch={onBranch} onReplay={onReplay} busy={busy} />
      </div>
    </div>
  );
}
