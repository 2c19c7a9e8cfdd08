"use client";

import Link from "next/link";
import { DEFAULT_MODEL_ID } from "@/lib/llm/registry";
import type { Starter } from "@/lib/tutor/starters";

/** A chat with nothing in it yet: what the tutor does, and starter questions from the lessons. */
export function EmptyChat({ modelId, starters, busy, onAsk }: { modelId: string; starters: Starter[]; busy: boolean; onAsk: (question: string) => void }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 p-6 dark:border-slate-700">
      <h2 className="font-semibold">Ask about anything in the course</h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        The tutor looks up the lesson passages that match your question and gives them to the model, {modelId === DEFAULT_MODEL_ID ? `${DEFAULT_MODEL_ID}, a small model trained on this course` : modelId}. Each reply links its sources and opens in the inspector. If nothing in the lessons matches, it says so instead of guessing.
      </p>
      {starters.length > 0 && (
        <ul className="mt-4 grid gap-2 sm:grid-cols-2" aria-label="Starter questions">
          {starters.map((s) => (
            <li key={s.question} className="flex flex-col rounded-lg border border-slate-200 p-3 dark:border-slate-800">
              <button type="button" onClick={() => onAsk(s.question)} disabled={busy} className="text-left font-medium text-brand-700 hover:underline disabled:opacity-50 dark:text-brand-400">
                {s.question}
              </button>
              <span className="mt-1 text-xs text-slate-500 dark:text-slate-400">
                From the lesson <Link href={s.href} className="underline">{s.lessonTitle}</Link>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
