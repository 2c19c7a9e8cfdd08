/**
 * Starter questions on the tutor's empty page, each tied to the lesson that answers it
 * (shown with a link). Only lessons that exist are offered.
 */
import { getLessons } from "../course/lessons.ts";
import { lessonHref } from "../course/levels.ts";

export interface Starter {
  question: string;
  lessonSlug: string;
  lessonTitle: string;
  href: string;
}

const STARTERS: readonly { lesson: string; question: string }[] = [
  { lesson: "04-tokens", question: "What is a token, and why not just use words?" },
  { lesson: "05-bpe", question: "How does BPE decide which pieces to merge?" },
  { lesson: "10-next-token-distribution", question: "How do logits become probabilities?" },
  { lesson: "17-temperature", question: "What does temperature do to the next-token distribution?" },
  { lesson: "18-top-k-and-top-p", question: "What is the difference between top-k and top-p sampling?" },
  { lesson: "20-context-window", question: "Why does a model have a context window?" },
];

export function starterQuestions(): Starter[] {
  const lessons = new Map(getLessons().map((l) => [l.slug, l]));
  return STARTERS.flatMap(({ lesson, question }) => {
    const l = lessons.get(lesson);
    return l ? [{ question, lessonSlug: l.slug, lessonTitle: l.title, href: lessonHref(l.slug) }] : [];
  });
}
