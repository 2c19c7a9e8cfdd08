"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { AttemptResponse, ErrorResponse } from "@/lib/course/api-types";
import type { Answer } from "@/lib/course/grading";
import { newIdempotencyKey } from "@/lib/course/idempotency-key";
import { parseNumberInput } from "@/lib/course/number-input";
import type { PublicQuestion, PublicQuiz } from "@/lib/course/public-quiz";
import { QuizResultView } from "./quiz-result";
import { Button } from "@/components/ui/button";

/** What the learner has entered so far: option ids, or the raw text of a number. */
type Draft = Record<string, string | string[]>;

interface QuizProps {
  quiz: PublicQuiz;
  signedIn: boolean;
  /** Questions of this quiz in the learner's review queue, due now. */
  reviewDue: string[];
  signInHref: string;
  next: { href: string; title: string } | null;
}

/**
 * The end-of-lesson quiz. It holds no answer key: it posts the answers and shows what the
 * server graded. Each attempt gets one idempotency key, re-sent on a retry, so a double
 * click or a flaky connection never stores the attempt twice.
 */
export function Quiz({ quiz, signedIn, reviewDue, signInHref, next }: QuizProps) {
  const router = useRouter();
  const [draft, setDraft] = useState<Draft>({});
  const [inputErrors, setInputErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<"answering" | "submitting" | "done">("answering");
  const [response, setResponse] = useState<AttemptResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const attemptKey = useRef<string | null>(null);
  const startedAt = useRef<number | null>(null);
  const inFlight = useRef(false);
  const resultHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (status === "done") resultHeading.current?.focus();
  }, [status]);

  function update(questionId: string, value: string | string[]) {
    startedAt.current ??= Date.now();
    setDraft((d) => ({ ...d, [questionId]: value }));
    setInputErrors((errors) => {
      if (!(questionId in errors)) return errors;
      const rest = { ...errors };
      delete rest[questionId];
      return rest;
    });
  }

  /** The draft as API answers; numbers that can't be read are reported per question. */
  function collectAnswers(): { answers: Record<string, Answer>; errors: Record<string, string> } {
    const answers: Record<string, Answer> = {};
    const errors: Record<string, string> = {};
    for (const question of quiz.questions) {
      const value = draft[question.id];
      if (value === undefined || value.length === 0) continue;
      if (question.type === "numeric" || question.type === "tokenizer") {
        const number = parseNumberInput(String(value));
        if (number === null) errors[question.id] = "Enter a number, such as 42 or 0.75.";
        else answers[question.id] = number;
      } else answers[question.id] = value;
    }
    return { answers, errors };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (inFlight.current) return;
    const { answers, errors } = collectAnswers();
    setInputErrors(errors);
    if (Object.keys(errors).length > 0) {
      document.getElementById(`answer-${Object.keys(errors)[0]}`)?.focus();
      return;
    }
    inFlight.current = true;
    attemptKey.current ??= newIdempotencyKey(); // kept until the attempt is stored: retries reuse it
    setStatus("submitting");
    setError(null);
    try {
      const res = await fetch(`/api/quiz/${quiz.lesson}/attempts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          idempotencyKey: attemptKey.current,
          answers,
          durationMs: startedAt.current ? Date.now() - startedAt.current : undefined,
        }),
      });
      const body = (await res.json().catch(() => null)) as AttemptResponse | ErrorResponse | null;
      if (!res.ok || !body || "error" in body) {
        setError(body && "error" in body ? body.error : `The server answered ${res.status}. Please try again.`);
        setStatus("answering");
        return;
      }
      setResponse(body);
      setStatus("done");
      if (body.saved) router.refresh(); // the lesson's state and the header reflect the attempt
    } catch {
      setError("Could not reach the server. Check your connection and submit again — your answers are still here.");
      setStatus("answering");
    } finally {
      inFlight.current = false;
    }
  }

  function tryAgain() {
    attemptKey.current = null;
    startedAt.current = null;
    setDraft({});
    setResponse(null);
    setError(null);
    setStatus("answering");
    document.getElementById("quiz")?.scrollIntoView({ block: "start" });
  }

  if (status === "done" && response) {
    return (
      <QuizResultView
        response={response}
        signInHref={signInHref}
        next={next}
        onTryAgain={tryAgain}
        headingRef={resultHeading}
      />
    );
  }

  const answeredCount = quiz.questions.filter((q) => (draft[q.id]?.length ?? 0) > 0).length;
  const unanswered = quiz.questions.length - answeredCount;

  return (
    <form onSubmit={submit} noValidate aria-describedby="quiz-intro">
      <p id="quiz-intro" className="text-sm text-slate-600 dark:text-slate-400">
        {quiz.questions.length} questions. Your answers are checked on the server and every option is explained afterwards.
      </p>
      <ol className="mt-6 flex flex-col gap-6">
        {quiz.questions.map((question, index) => (
          <li key={question.id}>
            <QuestionField
              question={question}
              index={index}
              value={draft[question.id]}
              error={inputErrors[question.id]}
              due={reviewDue.includes(question.id)}
              disabled={status === "submitting"}
              onChange={(value) => update(question.id, value)}
            />
          </li>
        ))}
      </ol>

      {!signedIn && (
        <p className="mt-6 rounded-lg bg-slate-100 px-4 py-3 text-sm dark:bg-slate-900">
          You are not signed in: you will see your result, but it won&apos;t be saved.{" "}
          <Link href={signInHref} className="font-medium text-brand-600 underline dark:text-brand-400">
            Sign in to save your progress
          </Link>
          .
        </p>
      )}
      {error && (
        <p role="alert" className="mt-4 rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950/40 dark:text-red-300">
          {error}
        </p>
      )}
      <div className="mt-6 flex flex-wrap items-center gap-4">
        <Button
          type="submit"
          disabled={status === "submitting"}
          variant="primary"
          size="lg"
        >
          {status === "submitting" ? "Checking…" : "Check my answers"}
        </Button>
        <span className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
          {unanswered === 0 ? "All questions answered." : `${unanswered} unanswered — unanswered questions count as wrong.`}
        </span>
      </div>
    </form>
  );
}

interface QuestionFieldProps {
  question: PublicQuestion;
  index: number;
  value: string | string[] | undefined;
  error: string | undefined;
  due: boolean;
  disabled: boolean;
  onChange(value: string | string[]): void;
}

function QuestionField({ question, index, value, error, due, disabled, onChange }: QuestionFieldProps) {
  const hintId = `hint-${question.id}`;
  return (
    <fieldset
      id={`question-${question.id}`}
      disabled={disabled}
      className="scroll-mt-20 rounded-xl border border-slate-200 p-4 target:ring-2 target:ring-brand-500 sm:p-5 dark:border-slate-800"
      aria-describedby={hintId}
    >
      <legend className="float-left w-full font-medium">
        <span className="mr-2 text-slate-500 tabular-nums dark:text-slate-400">{index + 1}.</span>
        {question.prompt}
      </legend>
      <div className="clear-both" />
      <p id={hintId} className="mt-1 flex flex-wrap gap-2 text-sm text-slate-500 dark:text-slate-400">
        {question.type === "single" && "Choose one."}
        {question.type === "multiple" && "Select all that apply."}
        {question.type === "numeric" && "Enter a number."}
        {question.type === "tokenizer" && `Enter a number: the count the real ${question.tokenizerName} tokenizer gives.`}
        {due && (
          <span className="rounded-full bg-amber-100 px-2 text-xs font-medium leading-5 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
            Due for review
          </span>
        )}
      </p>

      {(question.type === "single" || question.type === "multiple") && (
        <div className="mt-3 flex flex-col gap-2">
          {question.options.map((option) => {
            const selected = question.type === "single" ? value === option.id : Array.isArray(value) && value.includes(option.id);
            return (
              <label
                key={option.id}
                className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 px-3 py-2.5 hover:bg-slate-50 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500 dark:border-slate-800 dark:hover:bg-slate-900 dark:has-[:checked]:bg-slate-900"
              >
                <input
                  type={question.type === "single" ? "radio" : "checkbox"}
                  name={`q-${question.id}`}
                  value={option.id}
                  checked={selected}
                  onChange={(e) => {
                    if (question.type === "single") onChange(option.id);
                    else {
                      const current = Array.isArray(value) ? value : [];
                      onChange(e.target.checked ? [...current, option.id] : current.filter((id) => id !== option.id));
                    }
                  }}
                  className="mt-1 h-4 w-4 shrink-0 accent-brand-600"
                />
                <span className="min-w-0 break-words">{option.text}</span>
              </label>
            );
          })}
        </div>
      )}

      {(question.type === "numeric" || question.type === "tokenizer") && (
        <div className="mt-3">
          <label htmlFor={`answer-${question.id}`} className="sr-only">
            Your answer
          </label>
          <div className="flex items-center gap-2">
            <input
              id={`answer-${question.id}`}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              value={typeof value === "string" ? value : ""}
              onChange={(e) => onChange(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `error-${question.id}` : undefined}
              placeholder="Your answer"
              className="w-40 rounded-lg border border-slate-300 bg-white px-3 py-2 text-base tabular-nums shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 aria-[invalid]:border-red-500 dark:border-slate-700 dark:bg-slate-900"
            />
            {question.unit && <span className="text-sm text-slate-600 dark:text-slate-400">{question.unit}</span>}
          </div>
          {error && (
            <p id={`error-${question.id}`} role="alert" className="mt-1 text-sm text-red-600 dark:text-red-400">
              {error}
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
}
