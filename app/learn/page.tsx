import type { Metadata } from "next";
import Link from "next/link";
import { LessonStateBadge, ProgressBar, formatPercent } from "@/components/course/lesson-state";
import { PageTitle } from "@/components/ui/empty-state";
import { currentUser } from "@/lib/auth";
import { getLessons } from "@/lib/course/lessons";
import { COURSE_LEVELS, lessonHref } from "@/lib/course/levels";
import { completion, type LessonState } from "@/lib/course/progress";
import { getAllLessonProgress } from "@/lib/course/progress-store";

export const metadata: Metadata = { title: "Learn" };

export default async function LearnPage() {
  const user = await currentUser();
  const lessons = getLessons();
  const progress = user ? await getAllLessonProgress(user.id) : null;
  const stateOf = (slug: string): LessonState => progress?.get(slug)?.state ?? "not-started";
  const done = completion(lessons.map((l) => stateOf(l.slug)));
  const levelComplete = !!user && done.completed === done.total && done.total > 0;
  const resume = progress ? (lessons.find((l) => stateOf(l.slug) === "in-progress") ?? lessons.find((l) => stateOf(l.slug) === "not-started")) : null;
  const [level1, ...later] = COURSE_LEVELS;

  return (
    <>
      <PageTitle title="Learn" lead="Five levels, from what a token is to the maths underneath. Each lesson has a live demo and a quiz." />

      <section aria-labelledby="level-1" className="rounded-2xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <p className="text-sm font-semibold uppercase tracking-wider text-brand-600 dark:text-brand-400">Level 1</p>
            <h2 id="level-1" className="text-2xl font-bold tracking-tight">
              {level1.title}
            </h2>
            <p className="mt-1 text-slate-600 dark:text-slate-400">{level1.summary}</p>
          </div>
          {levelComplete && (
            <p data-testid="level-complete" className="rounded-full bg-emerald-100 px-3 py-1 text-sm font-semibold text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200">
              ✓ Level 1 complete
            </p>
          )}
        </div>

        <div className="mt-5">
          {user ? (
            <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:gap-6">
              <div className="flex-1">
                <ProgressBar value={done.completed} max={done.total} label="Lessons completed" />
              </div>
              {resume && !levelComplete && (
                <Link href={lessonHref(resume.slug)} className="shrink-0 rounded-lg bg-brand-600 px-4 py-2 text-center text-sm font-medium text-white hover:bg-brand-700">
                  {stateOf(resume.slug) === "in-progress" ? "Continue" : "Start"}: {resume.title}
                </Link>
              )}
            </div>
          ) : (
            <p className="rounded-lg bg-slate-100 px-4 py-3 text-sm dark:bg-slate-900">
              Anyone can read the lessons and take the quizzes.{" "}
              <Link href="/signin?callbackUrl=%2Flearn" className="font-medium text-brand-600 underline dark:text-brand-400">
                Sign in
              </Link>{" "}
              or{" "}
              <Link href="/signup" className="font-medium text-brand-600 underline dark:text-brand-400">
                create an account
              </Link>{" "}
              to track your progress.
            </p>
          )}
        </div>

        <ol className="mt-6 grid gap-2 sm:grid-cols-2" aria-label="Level 1 lessons">
          {lessons.map((lesson) => {
            const state = stateOf(lesson.slug);
            const best = progress?.get(lesson.slug)?.bestScore;
            return (
              <li key={lesson.slug} data-lesson={lesson.slug} data-state={user ? state : undefined}>
                <Link
                  href={lessonHref(lesson.slug)}
                  className="group flex h-full gap-3 rounded-xl border border-slate-200 p-3 transition hover:border-brand-400 hover:shadow-sm dark:border-slate-800 dark:hover:border-brand-500"
                >
                  <span
                    aria-hidden
                    className={`grid h-8 w-8 shrink-0 place-items-center rounded-full text-sm font-semibold tabular-nums ${
                      state === "completed"
                        ? "bg-emerald-500 text-white"
                        : "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300"
                    }`}
                  >
                    {state === "completed" ? "✓" : lesson.number}
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                      <span className="font-medium group-hover:text-brand-600 dark:group-hover:text-brand-400">
                        <span className="sr-only">Lesson {lesson.number}: </span>
                        {lesson.title}
                      </span>
                      {user && <LessonStateBadge state={state} />}
                    </span>
                    <span className="mt-1 line-clamp-2 block text-sm text-slate-600 dark:text-slate-400">{lesson.summary}</span>
                    <span className="mt-1 block text-xs text-slate-500 dark:text-slate-400">
                      {lesson.minutes} min
                      {best !== undefined && best !== null && ` · best quiz score ${formatPercent(best)}`}
                    </span>
                  </span>
                </Link>
              </li>
            );
          })}
        </ol>
      </section>

      <section aria-labelledby="coming-next" className="mt-10">
        <h2 id="coming-next" className="text-xl font-bold tracking-tight">
          Coming next
        </h2>
        <ul className="mt-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {later.map((level) => (
            <li key={level.number} className="rounded-xl border border-dashed border-slate-300 p-4 dark:border-slate-700">
              <p className="text-xs font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">Level {level.number} · coming next</p>
              <h3 className="mt-1 font-semibold">{level.title}</h3>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{level.summary}</p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
