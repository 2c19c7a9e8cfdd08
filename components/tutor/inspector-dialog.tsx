"use client";

import { useLayoutEffect, useRef } from "react";
import { Inspector } from "@/components/inspector";
import type { InspectorGrounding } from "@/lib/inspector/grounding";
import { fetchInternals } from "@/lib/inspector/internals";
import { hasInternals } from "@/lib/llm/registry";
import type { GenerationSettings, Trace } from "@/lib/llm/trace";
import { Button } from "@/components/ui/button";

interface Props {
  trace: Trace;
  branchPoint?: number;
  busy: boolean;
  onClose: () => void;
  onReplay: (settings: GenerationSettings) => void;
  onBranch: (stepIndex: number, tokenId: number) => void;
  /** The reply's copied spans, marked on its tokens. */
  grounding?: InspectorGrounding;
}

/**
 * The inspector for one reply, in a modal dialog (native <dialog>: focus stays inside, Esc
 * closes it). Replay and Branch start a new reply to the same question — a sibling — and
 * close the dialog so the new reply can be watched as it streams.
 */
export function InspectorDialog({ trace, branchPoint, busy, onClose, onReplay, onBranch, grounding }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  // A layout effect, so the dialog is closed (leaving the top layer and releasing its Esc
  // handling) before React removes it from the page; an open modal that is just removed can
  // leave the browser's close watcher catching the next Esc, which should stop a reply.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-label="Inspect this reply"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className="m-0 h-dvh max-h-none w-full max-w-none overflow-y-auto bg-white p-0 backdrop:bg-slate-950/60 sm:m-auto sm:h-[calc(100dvh-2rem)] sm:w-[min(72rem,calc(100vw-2rem))] sm:rounded-2xl dark:bg-slate-950"
    >
      <div className="sticky top-0 z-10 flex items-center justify-between gap-3 border-b border-slate-200 bg-white/95 px-4 py-2 backdrop-blur dark:border-slate-800 dark:bg-slate-950/95">
        <p className="text-sm text-slate-600 dark:text-slate-400">Everything the model saw and did for this reply. Replay or branch it to get another reply to the same question.</p>
        <Button type="button" onClick={onClose} variant="secondary" size="sm" className="shrink-0">
          Close
        </Button>
      </div>
      <div className="p-3 sm:p-5">
        <Inspector
          trace={trace}
          branchPoint={branchPoint}
          busy={busy}
          onReplay={onReplay}
          onBranch={onBranch}
          grounding={grounding}
          title="Inspector"
          loadInternals={hasInternals(trace.model.id) ? () => fetchInternals(trace) : undefined}
        />
      </div>
    </dialog>
  );
}
