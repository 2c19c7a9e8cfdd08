/**
 * Lessons whose slug changed: old → new. Lesson 21 "A first look at attention" was inserted
 * before the KV-cache lesson, so lessons 21–25 moved to 22–26. Old URLs (bookmarks, links in
 * saved tutor conversations) redirect to the new ones (proxy.ts); saved progress was moved by
 * the migration prisma/migrations/20261203220000_lesson_21_attention.
 */
export const RENAMED_LESSONS: Readonly<Record<string, string>> = {
  "21-kv-cache": "22-kv-cache",
  "22-extending-context": "23-extending-context",
  "23-cross-entropy-and-perplexity": "24-cross-entropy-and-perplexity",
  "24-training-loop": "25-training-loop",
  "25-training-at-scale": "26-training-at-scale",
};

/** Where an old lesson slug lives now, or undefined. */
export function renamedLesson(slug: string): string | undefined {
  return Object.hasOwn(RENAMED_LESSONS, slug) ? RENAMED_LESSONS[slug] : undefined;
}
