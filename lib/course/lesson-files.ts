/**
 * Which lessons exist, from the file names in content/level-1 alone (no parsing), so the
 * request proxy can answer unknown lesson URLs with a 404 cheaply.
 */
import fs from "node:fs";
import path from "node:path";
import { isDevelopment } from "../env/client.ts";

export const LESSON_SLUG = /^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function levelDir(level = 1): string {
  return path.join(process.cwd(), "content", `level-${level}`);
}

/** Slugs of the Level 1 lessons (NN-slug.mdx), sorted. */
export function lessonSlugs(): string[] {
  return fs
    .readdirSync(levelDir())
    .filter((name) => name.endsWith(".mdx"))
    .map((name) => name.slice(0, -".mdx".length))
    .filter((slug) => LESSON_SLUG.test(slug))
    .sort();
}

let known: Set<string> | undefined;

export function isLessonSlug(slug: string): boolean {
  if (!LESSON_SLUG.test(slug)) return false;
  if (isDevelopment()) return lessonSlugs().includes(slug);
  known ??= new Set(lessonSlugs());
  return known.has(slug);
}
