/**
 * The review queue's spacing ladder. A question missed in a quiz becomes due again after
 * 1 day; answered right when due, it moves up to 3 days, then 7, then it is retired (the
 * learner has shown they know it three times, spaced out). Missed again at any point, it
 * goes back to the bottom: 1 day.
 *
 * Answering a question right before it is due changes nothing: cramming the same quiz twice
 * in a row is not spaced practice, so it does not count as a review.
 */
export const REVIEW_LADDER_DAYS = [1, 3, 7] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReviewSchedule {
  /** Index into REVIEW_LADDER_DAYS of the wait that ends at dueAt. */
  step: number;
  dueAt: Date;
  /** How many times the question was missed. */
  lapses: number;
  /** When the question was last answered (right or wrong). */
  lastReviewedAt: Date | null;
}

export type ReviewDecision =
  | { action: "schedule"; schedule: ReviewSchedule }
  | { action: "retire" }
  | { action: "unchanged" };

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

export function isDue(item: Pick<ReviewSchedule, "dueAt">, now: Date): boolean {
  return item.dueAt.getTime() <= now.getTime();
}

/** A question was missed (wrong, partly right, or left blank). */
export function afterMiss(existing: ReviewSchedule | null, now: Date): ReviewSchedule {
  return {
    step: 0,
    dueAt: addDays(now, REVIEW_LADDER_DAYS[0]),
    lapses: (existing?.lapses ?? 0) + 1,
    lastReviewedAt: now,
  };
}

/** A question was answered right. Without a review item there is nothing to do. */
export function afterCorrect(existing: ReviewSchedule | null, now: Date): ReviewDecision {
  if (!existing || !isDue(existing, now)) return { action: "unchanged" };
  const step = existing.step + 1;
  if (step >= REVIEW_LADDER_DAYS.length) return { action: "retire" };
  return {
    action: "schedule",
    schedule: { step, dueAt: addDays(now, REVIEW_LADDER_DAYS[step]), lapses: existing.lapses, lastReviewedAt: now },
  };
}
