import "server-only";
/**
 * The learner's progress as one serialisable object: the /progress page and
 * `GET /api/progress` both show it. Dates are ISO strings so it can go straight to JSON and
 * to client components (the chart).
 */
import { getPrisma } from "../db/index.ts";
import { lessonHref } from "./levels.ts";
import { getLessons } from "./lessons.ts";
import { completion, lessonState, type LessonState } from "./progress.ts";
import { getQuiz } from "./quizzes.ts";

export interface DashboardLesson {
  slug: string;
  number: number;
  title: string;
  state: LessonState;
  bestScore: number | null;
  attempts: number;
}

export interface ScorePoint {
  attemptId: string;
  lessonSlug: string;
  lessonNumber: number;
  lessonTitle: string;
  score: number;
  at: string;
}

export interface ReviewQuestion {
  lessonSlug: string;
  lessonTitle: string;
  questionId: string;
  prompt: string;
  dueAt: string;
  /** 0, 1 or 2: which wait of the 1/3/7-day ladder ended at dueAt. */
  step: number;
  lapses: number;
  /** Where to retake it: the lesson's quiz, scrolled to the question. */
  href: string;
}

export interface ProgressDashboard {
  completion: { completed: number; total: number; fraction: number };
  lessons: DashboardLesson[];
  /** Every attempt's score, oldest first (the most recent 200). */
  scores: ScorePoint[];
  /** Concepts of completed lessons, in course order, each once. */
  conceptsMastered: string[];
  review: { due: ReviewQuestion[]; upcomingCount: number; nextDueAt: string | null };
}

const MAX_SCORE_POINTS = 200;

export async function getProgressDashboard(userId: string, now = new Date()): Promise<ProgressDashboard> {
  const prisma = await getPrisma();
  const [progressRows, attempts, reviewItems] = await Promise.all([
    prisma.lessonProgress.findMany({ where: { userId } }),
    prisma.quizAttempt.findMany({
      where: { userId },
      orderBy: { createdAt: "desc" },
      take: MAX_SCORE_POINTS,
      select: { id: true, lessonSlug: true, score: true, createdAt: true },
    }),
    prisma.reviewItem.findMany({ where: { userId }, orderBy: { dueAt: "asc" } }),
  ]);

  const lessons = getLessons();
  const bySlug = new Map(lessons.map((lesson) => [lesson.slug, lesson]));
  const progress = new Map(progressRows.map((row) => [row.lessonSlug, row]));

  const lessonRows: DashboardLesson[] = lessons.map((lesson) => {
    const row = progress.get(lesson.slug);
    return {
      slug: lesson.slug,
      number: lesson.number,
      title: lesson.title,
      state: lessonState(row),
      bestScore: row?.bestScore ?? null,
      attempts: row?.attempts ?? 0,
    };
  });

  const conceptsMastered = [
    ...new Set(lessons.filter((lesson) => lessonState(progress.get(lesson.slug)) === "completed").flatMap((lesson) => lesson.concepts)),
  ];

  const scores: ScorePoint[] = attempts
    .filter((a) => bySlug.has(a.lessonSlug))
    .reverse()
    .map((a) => {
      const lesson = bySlug.get(a.lessonSlug)!;
      return { attemptId: a.id, lessonSlug: a.lessonSlug, lessonNumber: lesson.number, lessonTitle: lesson.title, score: a.score, at: a.createdAt.toISOString() };
    });

  // Items whose lesson or question no longer exists (content edited) are not shown.
  const due: ReviewQuestion[] = [];
  let upcomingCount = 0;
  let nextDueAt: string | null = null;
  for (const item of reviewItems) {
    const lesson = bySlug.get(item.lessonSlug);
    const question = getQuiz(item.lessonSlug)?.questions.find((q) => q.id === item.questionId);
    if (!lesson || !question) continue;
    if (item.dueAt > now) {
      upcomingCount++;
      nextDueAt ??= item.dueAt.toISOString();
      continue;
    }
    due.push({
      lessonSlug: lesson.slug,
      lessonTitle: lesson.title,
      questionId: question.id,
      prompt: question.prompt,
      dueAt: item.dueAt.toISOString(),
      step: item.step,
      lapses: item.lapses,
      href: `${lessonHref(lesson.slug)}#question-${question.id}`,
    });
  }

  return {
    completion: completion(lessonRows.map((l) => l.state)),
    lessons: lessonRows,
    scores,
    conceptsMastered,
    review: { due, upcomingCount, nextDueAt },
  };
}

/** Question ids of a lesson that are due for review now (highlighted in its quiz). */
export async function getDueQuestionIds(userId: string, lessonSlug: string, now = new Date()): Promise<string[]> {
  const prisma = await getPrisma();
  const items = await prisma.reviewItem.findMany({ where: { userId, lessonSlug, dueAt: { lte: now } }, select: { questionId: true } });
  return items.map((item) => item.questionId);
}
