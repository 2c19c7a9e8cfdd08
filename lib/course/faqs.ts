/**
 * Common questions, read from content/level-1/NN-slug.faq.json and validated with
 * faq-schema.ts. Shown at the end of each lesson and indexed by the tutor's retrieval.
 */
import fs from "node:fs";
import path from "node:path";
import { isDevelopment } from "../env/client.ts";
import { isLessonSlug, levelDir } from "./lesson-files.ts";
import { ContentError } from "./lessons.ts";
import { faqSchema, type Faq } from "./faq-schema.ts";

/** Parses one FAQ file's text; throws a ContentError naming the file and the problem. */
export function parseFaq(fileName: string, source: string): Faq {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    throw new ContentError(`${fileName}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = faqSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "faq"}: ${i.message}`).join("; ");
    throw new ContentError(`${fileName}: bad common questions: ${problems}`);
  }
  const slug = fileName.replace(/\.faq\.json$/, "");
  if (parsed.data.lesson !== slug) throw new ContentError(`${fileName}: "lesson" is ${parsed.data.lesson}, expected ${slug}`);
  return parsed.data;
}

const cache = new Map<string, Faq | null>();

/** A lesson's common questions, or null when it has none (or the slug is not a lesson's). */
export function getFaq(slug: string): Faq | null {
  if (!isLessonSlug(slug)) return null;
  if (!isDevelopment() && cache.has(slug)) return cache.get(slug)!;
  const file = path.join(levelDir(), `${slug}.faq.json`);
  const faq = fs.existsSync(file) ? parseFaq(path.basename(file), fs.readFileSync(file, "utf8")) : null;
  cache.set(slug, faq);
  return faq;
}
