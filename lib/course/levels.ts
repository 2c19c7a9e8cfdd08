/**
 * The course's levels. Only Level 1 has lessons so far; the others are named (from the
 * course outline) so the course map can show learners where the path goes next.
 */
export interface CourseLevel {
  number: number;
  title: string;
  summary: string;
  available: boolean;
}

export const COURSE_LEVELS: readonly CourseLevel[] = [
  { number: 1, title: "Foundations", summary: "Tokens, embeddings, next-token prediction, sampling, context windows, loss and training.", available: true },
  { number: 2, title: "Neural Networks", summary: "How individual neurons work and learn.", available: false },
  { number: 3, title: "Transformers", summary: "The architecture powering modern LLMs.", available: false },
  { number: 4, title: "Training", summary: "How these models actually learn from data.", available: false },
  { number: 5, title: "The Math", summary: "The underlying mathematics.", available: false },
];

/** The URL of a Level 1 lesson, optionally at one of its sections (the tutor links here). */
export function lessonHref(slug: string, sectionSlug?: string): string {
  return `/learn/level-1/${slug}${sectionSlug ? `#${sectionSlug}` : ""}`;
}
