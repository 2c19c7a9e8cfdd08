import type { Metadata } from "next";
import Link from "next/link";
import { LessonStateBadge, ProgressBar, formatPercent } from "@/components/course/lesson-state";
import { ScoreChart } from "@/components/course/score-chart";
import { EmptyState, PageTitle } from "@/components/ui/empty-state";
import { requireUser } from "@/lib/auth";
import { getProgressDashboard } from "@/lib/course/dashboard";
import { lessonHref } from "@/lib/course/levels";

export const metadata: Metadata = { title: "Progress" };

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const formatDate = (iso: string) => `${dateFormat.format(new Date(iso))} UTC`;

export default async function ProgressPage() {
  const user = await requireUser("/progress");
  const dashboard = await getProgressDashboard(user.id);
  const { completion, scores, conceptsMastered, review, lessons } = dashboard;
  const started = lessons.filter((l) => l.state !== "not-started");

  return (
    <>
      <PageTitle title="Your progress" lead={`Signed in as ${user.email}.`} />

      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="completion" className="rounded-2xl border border-slate-200 p-5 lg:col-span-1 dark:border-slate-800">
          <h2 id="completion" className="font-semibold">
            Level 1 — Foundations
          </h2>
          <p className="mt-2 text-3xl font-bold tabular-nums" data-testid="completion-count">
            {completion.completed}/{completion.total}
          </p>
          <div className="mt-3">
            <ProgressBar value={completion.completed} max={completion.total} label="Lessons completed" />
          </div>
          {completion.completed === completion.total && (
            <p className="mt-3 font-medium text-emerald-700 dark:text-emerald-400">✓ Level 1 complete</p>
          )}
        </section>

        <section aria-labelledby="scores" className="rounded-2xl border border-slate-200 p-5 lg:col-span-2 dark:border-slate-800">
          <h2 id="scores" className="font-semibold">
            Quiz scores over time
          </h2>
          {scores.length === 0 ? (
            <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Take a quiz at the end of any lesson and your scores will be charted here.</p>
          ) : (
            <>
              <div className="mt-3">
                <ScoreChart scores={scores} />
              </div>
              <details className="mt-2 text-sm">
                <summary className="cursor-pointer text-slate-600 dark:text-slate-400">Show the scores as a table</summary>
                <div className="mt-2 overflow-x-auto">
                  <table className="w-full text-left">
                    <thead>
                      <tr className="border-b border-slate-200 dark:border-slate-800">
                        <th className="py-1 pr-3 font-medium">When</th>
                        <th className="py-1 pr-3 font-medium">Lesson</th>
                        <th className="py-1 font-medium">Score</th>
                      </tr>
                    </thead>
                    <tbody>
                      {[...scores].reverse().map((s) => (
                        <tr key={s.attemptId} className="border-b border-slate-100 dark:border-slate-900">
                          <td className="py-1 pr-3 whitespace-nowrap">{formatDate(s.at)}</td>
                          <td className="py-1 pr-3">
                            {s.lessonNumber}. {s.lessonTitle}
                          </td>
                          <td className="py-1 tabular-nums">{formatPercent(s.score)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </>
          )}
        </section>
      </div>

      <section aria-labelledby="review" className="mt-8">
        <h2 id="review" className="text-xl font-bold tracking-tight">
          Review queue
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Questions you missed come back after 1 day, then 3, then 7. Answer one right when it is due and it moves up; miss it and it starts again.
        </p>
        <div className="mt-4">
          {review.due.length === 0 ? (
            <EmptyState title="Nothing to review right now">
              {review.nextDueAt
                ? `${review.upcomingCount} question${review.upcomingCount === 1 ? "" : "s"} will be due for review, the next on ${formatDate(review.nextDueAt)}.`
                : "Questions you miss in a quiz will show up here when it is time to try them again."}
            </EmptyState>
          ) : (
            <ul className="flex flex-col gap-2" data-testid="review-due">
              {review.due.map((item) => (
                <li key={`${item.lessonSlug}/${item.questionId}`} className="flex flex-col gap-2 rounded-xl border border-slate-200 p-4 sm:flex-row sm:items-center dark:border-slate-800">
                  <div className="min-w-0 flex-1">
                    <p className="text-xs text-slate-500 dark:text-slate-400">{item.lessonTitle}</p>
                    <p className="font-medium">{item.prompt}</p>
                  </div>
                  <Link href={item.href} className="shrink-0 rounded-lg bg-brand-600 px-3 py-1.5 text-center text-sm font-medium text-white hover:bg-brand-700">
                    Retake
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>

      <section aria-labelledby="concepts" className="mt-8">
        <h2 id="concepts" className="text-xl font-bold tracking-tight">
          Concepts mastered
        </h2>
        {conceptsMastered.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">Complete a lesson (read it and score 80% or more in its quiz) to master its concepts.</p>
        ) : (
          <ul className="mt-3 flex flex-wrap gap-2" data-testid="concepts-mastered">
            {conceptsMastered.map((concept) => (
              <li key={concept} className="rounded-full bg-emerald-50 px-3 py-1 text-sm text-emerald-900 ring-1 ring-emerald-200 dark:bg-emerald-950/40 dark:text-emerald-200 dark:ring-emerald-800">
                {concept}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="lessons" className="mt-8">
        <h2 id="lessons" className="text-xl font-bold tracking-tight">
          Lessons
        </h2>
        {started.length === 0 ? (
          <div className="mt-4">
            <EmptyState title="Nothing here yet" action={{ href: "/learn", label: "Start the first lesson" }}>
              Read a lesson or take its quiz and it will show up here.
            </EmptyState>
          </div>
        ) : (
          <ul className="mt-4 flex flex-col divide-y divide-slate-200 rounded-xl border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
            {started.map((lesson) => (
              <li key={lesson.slug} data-lesson={lesson.slug} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3">
                <Link href={lessonHref(lesson.slug)} className="min-w-0 flex-1 font-medium hover:underline">
                  {lesson.number}. {lesson.title}
                </Link>
                <span className="text-sm tabular-nums text-slate-600 dark:text-slate-400">
                  {lesson.bestScore === null ? "no quiz yet" : `best ${formatPercent(lesson.bestScore)}`} · {lesson.attempts} attempt{lesson.attempts === 1 ? "" : "s"}
                </span>
                <LessonStateBadge state={lesson.state} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
