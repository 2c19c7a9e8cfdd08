"use client";

import Link from "next/link";
import type { RefObject } from "react";
import type { AttemptResponse } from "@/lib/course/api-types";
import type { QuestionReview, QuestionStatus } from "@/lib/course/grading";
import { PASS_SCORE } from "@/lib/course/progress";
import { formatPercent } from "./lesson-state";
import { Button } from "@/components/ui/button";

interface QuizResultProps {
  response: AttemptResponse;
  signInHref: string;
  next: { href: string; title: string } | null;
  onTryAgain(): void;
  headingRef: RefObject<HTMLHeadingElement | null>;
}

/** The graded quiz: the score, what was saved, and every question with its explanations. */
export function QuizResultView({ response, signInHref, next, onTryAgain, headingRef }: QuizResultProps) {
  const { result } = response;
  return (
    <div data-testid="quiz-result">
      <div
        role="status"
        className={`rounded-xl border p-4 sm:p-5 ${
          result.passed
            ? "border-emerald-400 bg-emerald-50 dark:border-emerald-700 dark:bg-emerald-950/30"
            : "border-amber-400 bg-amber-50 dark:border-amber-700 dark:bg-amber-950/30"
        }`}
      >
        <h3 ref={headingRef} tabIndex={-1} className="text-lg font-semibold outline-none">
          You scored {formatPercent(result.score)} ({result.correctCount} of {result.questionCount} right)
        </h3>
        <p className="mt-1 text-sm">
          {result.passed
            ? "Passed — well done."
            : `You need ${formatPercent(PASS_SCORE)} to pass. Read the explanations below, then try again.`}
        </p>
        {result.uncheckedCount > 0 && (
          <p className="mt-1 text-sm">
            {result.uncheckedCount === 1 ? "One question is" : `${result.uncheckedCount} questions are`} not part of this score: the
            answer is checked once the real tokenizer is loaded.
          </p>
        )}
        <SavedNote response={response} signInHref={signInHref} />
      </div>

      <ol className="mt-6 flex flex-col gap-6">
        {result.questions.map((question, index) => (
          <li key={question.id}>
            <ReviewedQuestion question={question} index={index} />
          </li>
        ))}
      </ol>

      <div className="mt-6 flex flex-wrap items-center gap-3">
        <Button
          type="button"
          onClick={onTryAgain}
          variant="secondary"
          size="lg"
        >
          Try again
        </Button>
        {next && (
          <Link href={next.href} className="rounded-lg bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
            Next: {next.title} →
          </Link>
        )}
      </div>
    </div>
  );
}

function SavedNote({ response, signInHref }: { response: AttemptResponse; signInHref: string }) {
  if (!response.saved) {
    return (
      <p className="mt-2 text-sm">
        This result was not saved.{" "}
        <Link href={signInHref} className="font-medium text-brand-700 underline dark:text-brand-400">
          Sign in to save your progress
        </Link>
        .
      </p>
    );
  }
  const { progress } = response;
  return (
    <p className="mt-2 text-sm" data-testid="quiz-saved">
      Saved to your progress. Best score on this lesson: {formatPercent(progress.bestScore ?? 0)}.{" "}
      {progress.state === "completed"
        ? "Lesson completed."
        : progress.readAt
          ? ""
          : "Mark the lesson as read to complete it."}
    </p>
  );
}

const STATUS: Record<QuestionStatus, { label: string; className: string; icon: string }> = {
  correct: { label: "Correct", icon: "✓", className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200" },
  partial: { label: "Partly right", icon: "◐", className: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200" },
  incorrect: { label: "Incorrect", icon: "✗", className: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200" },
  unanswered: { label: "Not answered", icon: "–", className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200" },
  unchecked: { label: "Not checked yet", icon: "…", className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200" },
};

function formatNumber(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 10 });
}

function ReviewedQuestion({ question, index }: { question: QuestionReview; index: number }) {
  const status = STATUS[question.status];
  return (
    <section
      id={`question-${question.id}`}
      aria-labelledby={`reviewed-${question.id}`}
      data-status={question.status}
      className="scroll-mt-20 rounded-xl border border-slate-200 p-4 sm:p-5 dark:border-slate-800"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h4 id={`reviewed-${question.id}`} className="min-w-0 flex-1 font-medium">
          <span className="mr-2 text-slate-500 tabular-nums dark:text-slate-400">{index + 1}.</span>
          {question.prompt}
        </h4>
        <span className={`shrink-0 rounded-full px-2.5 py-0.5 text-xs font-semibold ${status.className}`}>
          <span aria-hidden>{status.icon} </span>
          {status.label}
          {question.status === "partial" && ` (${formatPercent(question.credit)})`}
        </span>
      </div>

      {(question.type === "single" || question.type === "multiple") && (
        <ul className="mt-3 flex flex-col gap-2">
          {question.options.map((option) => (
            <li
              key={option.id}
              className={`rounded-lg border px-3 py-2.5 ${
                option.correct
                  ? "border-emerald-400 bg-emerald-50/60 dark:border-emerald-700 dark:bg-emerald-950/20"
                  : option.selected
                    ? "border-red-300 bg-red-50/60 dark:border-red-800 dark:bg-red-950/20"
                    : "border-slate-200 dark:border-slate-800"
              }`}
            >
              <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
                <span aria-hidden className="w-4 shrink-0 text-center">
                  {option.correct ? "✓" : option.selected ? "✗" : "·"}
                </span>
                <span className="min-w-0 flex-1 break-words">{option.text}</span>
                {option.selected && <Tag>Your answer</Tag>}
                {option.correct && <Tag>{question.type === "single" ? "Right answer" : "Should be selected"}</Tag>}
              </div>
              <p className="mt-1 pl-6 text-sm text-slate-700 dark:text-slate-300">{option.explanation}</p>
            </li>
          ))}
        </ul>
      )}

      {question.type === "numeric" && (
        <div className="mt-3 text-sm">
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            <dt className="text-slate-500 dark:text-slate-400">Your answer</dt>
            <dd>{question.given === null ? "—" : `${formatNumber(question.given)} ${question.unit}`.trim()}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Right answer</dt>
            <dd>
              {`${formatNumber(question.answer)} ${question.unit}`.trim()}
              {question.tolerance > 0 && (
                <span className="text-slate-500 dark:text-slate-400">
                  {" "}
                  (accepted: {formatNumber(question.answer - question.tolerance)} to {formatNumber(question.answer + question.tolerance)})
                </span>
              )}
            </dd>
          </dl>
          <p className="mt-2 text-slate-700 dark:text-slate-300">{question.explanation}</p>
        </div>
      )}

      {question.type === "tokenizer" && (
        <div className="mt-3 text-sm">
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            <dt className="text-slate-500 dark:text-slate-400">Your answer</dt>
            <dd>{question.given === null ? "—" : `${formatNumber(question.given)} tokens`}</dd>
            <dt className="text-slate-500 dark:text-slate-400">{question.tokenizerName} says</dt>
            <dd>{question.expected === null ? "not available yet" : `${formatNumber(question.expected)} tokens`}</dd>
          </dl>
          {question.note && <p className="mt-2 rounded-md bg-slate-100 px-3 py-2 dark:bg-slate-900">{question.note}</p>}
          <p className="mt-2 text-slate-700 dark:text-slate-300">{question.explanation}</p>
        </div>
      )}
    </section>
  );
}

function Tag({ children }: { children: React.ReactNode }) {
  return (
    <span className="rounded bg-white/70 px-1.5 text-xs font-medium text-slate-700 ring-1 ring-slate-300 dark:bg-slate-900 dark:text-slate-300 dark:ring-slate-700">
      {children}
    </span>
  );
}
