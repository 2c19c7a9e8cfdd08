"use client";

import { useId, useState, type FormEvent } from "react";
import type { Challenge, FieldResult } from "@/lib/course/challenges";
import { parseNumberInput } from "@/lib/course/number-input";
import { Button } from "@/components/ui/button";

interface CheckResponse {
  correct: boolean;
  fields: FieldResult[];
  method: string;
}

/** Shows a computed value as a learner would type it (integers plainly, decimals to two places at most). */
function shown(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

/**
 * An inspector challenge in a lesson: the task, a link to the lab to do it in, one input per
 * number to report, and the server's check (POST /api/challenges/[id]) against the value
 * course-lm really gives. A wrong answer says which number is off; the computed values are
 * shown once the answer is right, or when the learner asks for them.
 */
export function ChallengeCard({ challenge }: { challenge: Challenge }) {
  const id = useId();
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [inputErrors, setInputErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<"idle" | "checking">("idle");
  const [result, setResult] = useState<CheckResponse | null>(null);
  const [revealed, setRevealed] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function check(event: FormEvent) {
    event.preventDefault();
    if (status === "checking") return;
    const answers: Record<string, number> = {};
    const errors: Record<string, string> = {};
    for (const field of challenge.fields) {
      const value = parseNumberInput(draft[field.name] ?? "");
      if (value === null) errors[field.name] = "Enter a number.";
      else if (field.kind === "integer" && !Number.isInteger(value)) errors[field.name] = "Enter a whole number.";
      else answers[field.name] = value;
    }
    setInputErrors(errors);
    if (Object.keys(errors).length > 0) return;

    setStatus("checking");
    setError(null);
    try {
      const response = await fetch(`/api/challenges/${encodeURIComponent(challenge.id)}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ answers }),
      });
      const body = (await response.json().catch(() => null)) as (CheckResponse & { error?: string }) | null;
      if (!response.ok || !body) {
        setError(body?.error ?? `The check failed (HTTP ${response.status}). Try again in a moment.`);
        return;
      }
      setResult(body);
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
    } finally {
      setStatus("idle");
    }
  }

  const showValues = result !== null && (result.correct || revealed);
  return (
    <section
      aria-labelledby={`${id}-title`}
      data-challenge={challenge.id}
      className="my-8 rounded-xl border border-amber-300 bg-amber-50/70 p-4 dark:border-amber-500/40 dark:bg-slate-900"
    >
      <p className="text-xs font-semibold uppercase tracking-wider text-amber-800 dark:text-amber-300">Inspector challenge</p>
      <h3 id={`${id}-title`} className="mt-1 text-lg font-semibold text-slate-900 dark:text-slate-100">
        {challenge.title}
      </h3>
      <p className="mt-2 text-slate-800 dark:text-slate-200">{challenge.task}</p>
      <p className="mt-3">
        <a href={challenge.lab.href} target="_blank" rel="noopener" className="font-medium text-brand-700 underline dark:text-brand-400">
          {challenge.lab.label} <span aria-hidden="true">↗</span>
        </a>
      </p>

      <form onSubmit={check} noValidate className="mt-4 grid gap-3">
        {challenge.fields.map((field) => {
          const inputId = `${id}-${field.name}`;
          const outcome = result?.fields.find((f) => f.name === field.name);
          return (
            <div key={field.name} className="grid gap-1">
              <label htmlFor={inputId} className="text-sm font-medium text-slate-800 dark:text-slate-200">
                {field.label}
              </label>
              <div className="flex flex-wrap items-center gap-2">
                <input
                  id={inputId}
                  inputMode="decimal"
                  autoComplete="off"
                  value={draft[field.name] ?? ""}
                  onChange={(event) => {
                    setDraft((d) => ({ ...d, [field.name]: event.target.value }));
                    setResult(null);
                    setRevealed(false);
                  }}
                  aria-invalid={inputErrors[field.name] || outcome?.correct === false ? true : undefined}
                  aria-describedby={inputErrors[field.name] ? `${inputId}-error` : undefined}
                  className="w-32 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-slate-900 dark:border-slate-600 dark:bg-slate-950 dark:text-slate-100"
                />
                {field.unit && <span className="text-sm text-slate-600 dark:text-slate-400">{field.unit}</span>}
                {outcome && (
                  <span className={outcome.correct ? "text-sm font-medium text-emerald-700 dark:text-emerald-400" : "text-sm font-medium text-red-700 dark:text-red-400"}>
                    {outcome.correct ? "✓ right" : "✗ not quite"}
                    {showValues && ` — course-lm gives ${shown(outcome.expected)}`}
                  </span>
                )}
              </div>
              {inputErrors[field.name] && (
                <p id={`${inputId}-error`} className="text-sm text-red-700 dark:text-red-400">
                  {inputErrors[field.name]}
                </p>
              )}
            </div>
          );
        })}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={status === "checking"}>
            {status === "checking" ? "Checking…" : "Check"}
          </Button>
          {result && !result.correct && !revealed && (
            <Button variant="secondary" onClick={() => setRevealed(true)}>
              Show the answer
            </Button>
          )}
        </div>
      </form>

      <div aria-live="polite">
        {error && <p className="mt-3 text-sm text-red-700 dark:text-red-400">{error}</p>}
        {result && (
          <p className="mt-3 text-sm font-medium text-slate-900 dark:text-slate-100">
            {result.correct ? "Correct — that is what course-lm gives." : "Not yet: check the lab's settings against the task and read the number again."}
          </p>
        )}
        {showValues && <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{result.method}</p>}
      </div>
    </section>
  );
}
