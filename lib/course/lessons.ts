/**
 * Level 1's lessons, read from content/level-1/NN-slug.mdx: frontmatter validated with zod,
 * ordered by their number. A lesson's outline — its sections and prose word count
 * (sections.ts) — is parsed on first use only, so pages that list lessons (the course map,
 * the first page after signing up) don't pay for parsing 25 MDX bodies.
 *
 * Files are read once per process and cached (they only change with a deploy); in
 * development every call re-reads them so edits show up on reload. This module does not
 * import "server-only" so scripts (the tutor's retrieval index) can use it; it reads the
 * file system, so it can't end up in a browser bundle anyway.
 */
import fs from "node:fs";
import path from "node:path";
import matter from "gray-matter";
import { z } from "zod";
import { isDevelopment } from "../env/client.ts";
import { LESSON_SLUG, levelDir } from "./lesson-files.ts";
import { lessonHref } from "./levels.ts";
import { parseLessonBody, type ParsedLessonBody } from "./sections.ts";

export { LESSON_SLUG };

export const frontmatterSchema = z.strictObject({
  title: z.string().trim().min(1),
  summary: z.string().trim().min(1),
  minutes: z.number().int().min(1).max(60),
  concepts: z.array(z.string().trim().min(1)).min(1),
  prerequisites: z.array(z.string().regex(LESSON_SLUG, "a lesson slug such as 03-scale")).default([]),
});
export type LessonFrontmatter = z.infer<typeof frontmatterSchema>;

export interface Lesson extends LessonFrontmatter {
  level: 1;
  slug: string;
  /** 1-based position in the level (from the file name's NN). */
  number: number;
  /** The MDX after the frontmatter. */
  body: string;
}

export class ContentError extends Error {}

/** Parses one lesson file's text; throws a ContentError naming the file and the field. */
export function parseLesson(fileName: string, source: string): Lesson {
  const slug = fileName.replace(/\.mdx$/, "");
  const number = LESSON_SLUG.exec(slug);
  if (!number) throw new ContentError(`${fileName}: file name must be NN-slug.mdx`);
  const { data, content } = matter(source);
  const parsed = frontmatterSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "frontmatter"}: ${i.message}`).join("; ");
    throw new ContentError(`${fileName}: bad frontmatter: ${problems}`);
  }
  return { level: 1, slug, number: Number(number[1]), ...parsed.data, body: content };
}

const outlines = new WeakMap<Lesson, ParsedLessonBody>();

/** The lesson's sections (with anchors and plain text) and prose word count; parsed once. */
export function lessonOutline(lesson: Lesson): ParsedLessonBody {
  let outline = outlines.get(lesson);
  if (!outline) {
    outline = parseLessonBody(lesson.body);
    outlines.set(lesson, outline);
  }
  return outline;
}

function readLessons(dir: string): Lesson[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".mdx"))
    .map((name) => parseLesson(name, fs.readFileSync(path.join(dir, name), "utf8")))
    .sort((a, b) => a.number - b.number || a.slug.localeCompare(b.slug));
}

let cached: Lesson[] | undefined;

/** All Level 1 lessons, in course order. */
export function getLessons(): Lesson[] {
  if (isDevelopment()) return readLessons(levelDir());
  cached ??= readLessons(levelDir());
  return cached;
}

export function getLesson(slug: string): Lesson | undefined {
  return getLessons().find((lesson) => lesson.slug === slug);
}

export function lessonNeighbours(slug: string): { previous: Lesson | null; next: Lesson | null } {
  const lessons = getLessons();
  const index = lessons.findIndex((lesson) => lesson.slug === slug);
  if (index < 0) return { previous: null, next: null };
  return { previous: lessons[index - 1] ?? null, next: lessons[index + 1] ?? null };
}

/** One lesson section as the tutor's retrieval indexes and cites it. */
export interface CourseSection {
  lessonSlug: string;
  lessonTitle: string;
  sectionSlug: string;
  heading: string;
  depth: 2 | 3;
  text: string;
  /** `/learn/level-1/<lesson>#<section>`: where a citation links. */
  href: string;
}

/** Every `##`/`###` section of every lesson, in course order. */
export function courseSections(): CourseSection[] {
  return getLessons().flatMap((lesson) =>
    lessonOutline(lesson).sections.map((section) => ({
      lessonSlug: lesson.slug,
      lessonTitle: lesson.title,
      sectionSlug: section.slug,
      heading: section.heading,
      depth: section.depth,
      text: section.text,
      href: lessonHref(lesson.slug, section.slug),
    })),
  );
}
