/**
 * Lesson progress rules, as pure functions (the database layer only stores their results).
 *
 *   not started — never read, never attempted
 *   in progress — read, or at least one quiz attempt
 *   completed   — read AND best quiz score ≥ 80 %
 *
 * Completion needs both on purpose: passing the quiz without reading (or reading without
 * passing) leaves the lesson in progress. Once completed, a later, lower score does not
 * un-complete it: the best score is what counts.
 */
export const PASS_SCORE = 0.8;

export type LessonState = "not-started" | "in-progress" | "completed";

export interface ProgressFacts {
  readAt: Date | null;
  bestScore: number | null;
  attempts: number;
}

export function isPassingScore(score: number): boolean {
  // Scores are fractions computed from credits; round away float noise (4/5 = 0.8 exactly,
  // but sums of partial credits may land a hair below).
  return Math.round(score * 1e9) / 1e9 >= PASS_SCORE;
}

export function lessonState(facts: ProgressFacts | null | undefined): LessonState {
  if (!facts) return "not-started";
  if (facts.readAt && facts.bestScore !== null && isPassingScore(facts.bestScore)) return "completed";
  if (facts.readAt || facts.attempts > 0) return "in-progress";
  return "not-started";
}

/** The facts after a graded attempt (best score kept, attempts counted). */
export function afterAttempt(facts: ProgressFacts | null, score: number): ProgressFacts {
  const best = facts?.bestScore ?? null;
  return {
    readAt: facts?.readAt ?? null,
    bestScore: best === null ? score : Math.max(best, score),
    attempts: (facts?.attempts ?? 0) + 1,
  };
}

/** The facts after "mark as read"; the first read time is kept. */
export function afterRead(facts: ProgressFacts | null, now: Date): ProgressFacts {
  return { readAt: facts?.readAt ?? now, bestScore: facts?.bestScore ?? null, attempts: facts?.attempts ?? 0 };
}

/** Course-level summary: how many lessons are completed, of how many. */
export function completion(states: readonly LessonState[]): { completed: number; total: number; fraction: number } {
  const completed = states.filter((s) => s === "completed").length;
  return { completed, total: states.length, fraction: states.length ? completed / states.length : 0 };
}
