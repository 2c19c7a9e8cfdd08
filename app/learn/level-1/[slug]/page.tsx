import "katex/dist/katex.min.css";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CommonQuestions } from "@/components/course/common-questions";
import { LessonStateBadge } from "@/components/course/lesson-state";
import { MarkReadButton } from "@/components/course/mark-read-button";
import { lessonComponents } from "@/components/course/mdx-components";
import { LazyQuiz } from "@/components/course/lazy-quiz";
import { TableOfContents } from "@/components/course/toc";
import { currentUser } from "@/lib/auth";
import { getDueQuestionIds } from "@/lib/course/dashboard";
import { getFaq } from "@/lib/course/faqs";
import { getLesson, getLessons, lessonNeighbours, lessonOutline } from "@/lib/course/lessons";
import { lessonHref } from "@/lib/course/levels";
import { lessonContent } from "@/lib/course/mdx";
import { getLessonProgress } from "@/lib/course/progress-store";
import { toPublicQuiz } from "@/lib/course/public-quiz";
import { getQuiz } from "@/lib/course/quizzes";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const lesson = getLesson((await params).slug);
  return lesson ? { title: lesson.title, description: lesson.summary } : {};
}

export default async function LessonPage({ params }: Props) {
  const { slug } = await params;
  const lesson = getLesson(slug);
  if (!lesson) notFound(); // proxy.ts has already answered unknown slugs with a 404 status

  const user = await currentUser();
  const [progress, reviewDue] = user ? await Promise.all([getLessonProgress(user.id, slug), getDueQuestionIds(user.id, slug)]) : [null, []];
  const quiz = getQuiz(slug);
  const faq = getFaq(slug);
  const Content = await lessonContent(lesson);
  const { previous, next } = lessonNeighbours(slug);
  const titles = new Map(getLessons().map((l) => [l.slug, l.title]));
  const here = lessonHref(slug);
  const signInHref = `/signin?callbackUrl=${encodeURIComponent(here)}`;
  const total = getLessons().length;
  const { sections } = lessonOutline(lesson);
  const extraLinks = [...(faq ? [{ href: "#common-questions", label: "Common questions" }] : []), ...(quiz ? [{ href: "#quiz", label: "Quiz" }] : [])];

  return (
    <div className="lg:grid lg:grid-cols-[minmax(0,1fr)_14rem] lg:gap-10">
      <article className="min-w-0">
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500 dark:text-slate-400">
          <Link href="/learn" className="hover:underline">
            Learn
          </Link>{" "}
          / Level 1 — Foundations / Lesson {lesson.number} of {total}
        </nav>
        <header className="mt-2">
          <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">{lesson.title}</h1>
          <p className="mt-3 text-lg text-slate-600 dark:text-slate-300">{lesson.summary}</p>
          <div className="mt-4 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-slate-600 dark:text-slate-400">
            <span>{lesson.minutes} min read</span>
            {user && <LessonStateBadge state={progress?.state ?? "not-started"} />}
            {!user && (
              <Link href={signInHref} className="text-brand-600 underline dark:text-brand-400">
                Sign in to track your progress
              </Link>
            )}
          </div>
          <dl className="mt-4 flex flex-col gap-2 text-sm">
            <div className="flex flex-wrap items-baseline gap-2">
              <dt className="font-medium">Concepts:</dt>
              {lesson.concepts.map((concept) => (
                <dd key={concept} className="rounded-full bg-slate-100 px-2 py-0.5 text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                  {concept}
                </dd>
              ))}
            </div>
            {lesson.prerequisites.length > 0 && (
              <div className="flex flex-wrap items-baseline gap-x-2">
                <dt className="font-medium">Before this:</dt>
                {lesson.prerequisites.map((p, i) => (
                  <dd key={p}>
                    <Link href={lessonHref(p)} className="text-brand-600 underline dark:text-brand-400">
                      {titles.get(p) ?? p}
                    </Link>
                    {i < lesson.prerequisites.length - 1 && ","}
                  </dd>
                ))}
              </div>
            )}
          </dl>
        </header>

        <details className="mt-6 rounded-lg border border-slate-200 p-3 lg:hidden dark:border-slate-800">
          <summary className="cursor-pointer text-sm font-medium">On this page</summary>
          <div className="mt-2">
            <TableOfContents sections={sections} extra={extraLinks} />
          </div>
        </details>

        <div className="lesson-prose mt-6">
          <Content components={lessonComponents} />
        </div>

        <div className="mt-10 border-t border-slate-200 pt-6 dark:border-slate-800">
          {user ? (
            <MarkReadButton lesson={slug} read={!!progress?.readAt} signInHref={signInHref} />
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              <Link href={signInHref} className="font-medium text-brand-600 underline dark:text-brand-400">
                Sign in
              </Link>{" "}
              to mark lessons as read and keep your quiz scores.
            </p>
          )}
        </div>

        {faq && <CommonQuestions entries={faq.questions} />}

        {quiz && (
          <section id="quiz" aria-labelledby="quiz-heading" className="mt-10 scroll-mt-20">
            <h2 id="quiz-heading" className="text-2xl font-bold tracking-tight">
              Check your understanding
            </h2>
            <div className="mt-4">
              <LazyQuiz
                quiz={toPublicQuiz(quiz)}
                signedIn={!!user}
                reviewDue={reviewDue}
                signInHref={`/signin?callbackUrl=${encodeURIComponent(`${here}#quiz`)}`}
                next={next ? { href: lessonHref(next.slug), title: next.title } : null}
              />
            </div>
          </section>
        )}

        <nav aria-label="Lessons" className="mt-12 grid gap-3 border-t border-slate-200 pt-6 sm:grid-cols-2 dark:border-slate-800">
          {previous ? (
            <Link href={lessonHref(previous.slug)} rel="prev" className="rounded-lg border border-slate-200 p-3 hover:border-brand-400 dark:border-slate-800">
              <span className="block text-xs text-slate-500 dark:text-slate-400">← Previous</span>
              <span className="font-medium">{previous.title}</span>
            </Link>
          ) : (
            <span />
          )}
          {next && (
            <Link href={lessonHref(next.slug)} rel="next" className="rounded-lg border border-slate-200 p-3 text-right hover:border-brand-400 dark:border-slate-800">
              <span className="block text-xs text-slate-500 dark:text-slate-400">Next →</span>
              <span className="font-medium">{next.title}</span>
            </Link>
          )}
        </nav>
      </article>

      <aside aria-label="On this page" className="hidden lg:block">
        <div className="sticky top-20">
          <p className="mb-2 px-2 text-xs font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">On this page</p>
          <TableOfContents sections={sections} extra={extraLinks} />
        </div>
      </aside>
    </div>
  );
}
