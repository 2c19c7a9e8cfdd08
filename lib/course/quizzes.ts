/**
 * Quizzes, read from content/level-1/NN-slug.quiz.json and validated with quiz-schema.ts.
 * They hold the answer key, so only server code uses this module; the browser gets
 * public-quiz.ts's stripped copy.
 */
import fs from "node:fs";
import path from "node:path";
import { isDevelopment } from "../env/client.ts";
import { isLessonSlug, levelDir } from "./lesson-files.ts";
import { ContentError } from "./lessons.ts";
import { quizSchema, type Quiz } from "./quiz-schema.ts";

/** Parses one quiz file's text; throws a ContentError naming the file and the problem. */
export function parseQuiz(fileName: string, source: string): Quiz {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    throw new ContentError(`${fileName}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = quizSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "quiz"}: ${i.message}`).join("; ");
    throw new ContentError(`${fileName}: bad quiz: ${problems}`);
  }
  const slug = fileName.replace(/\.quiz\.json$/, "");
  if (parsed.data.lesson !== slug) throw new ContentError(`${fileName}: "lesson" is ${parsed.data.lesson}, expected ${slug}`);
  return parsed.data;
}

const cache = new Map<string, Quiz | null>();

/** The quiz of a lesson, or null when the lesson has none (or the slug is not a lesson's). */
export function getQuiz(slug: string): Quiz | null {
  // Only real lessons: keeps path tricks out of the file name and the cache bounded.
  if (!isLessonSlug(slug)) return null;
  if (!isDevelopment() && cache.has(slug)) return cache.get(slug)!;
  const file = path.join(levelDir(), `${slug}.quiz.json`);
  const quiz = fs.existsSync(file) ? parseQuiz(path.basename(file), fs.readFileSync(file, "utf8")) : null;
  cache.set(slug, quiz);
  return quiz;
}
