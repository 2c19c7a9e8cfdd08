// Reads content/ (lessons, quizzes, tutor dialogues) for the training scripts, validating
// each file with zod so a malformed line fails loudly with its file and line number instead
// of silently producing a worse corpus.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { readJsonl } from "../../lib/tutor/learner-questions.ts";

export const CONTENT_DIR = path.resolve(import.meta.dirname, "../../content");

const Frontmatter = z.object({
  title: z.string(),
  summary: z.string().optional(),
  minutes: z.number().optional(),
  concepts: z.array(z.string()).default([]),
  prerequisites: z.array(z.string()).default([]),
});

export interface Lesson {
  slug: string; // file name without .mdx, e.g. "04-tokens"; dialogues refer to it as `topic`
  file: string;
  title: string;
  summary?: string;
  concepts: string[];
  body: string; // MDX after the frontmatter, untouched
}

const Option = z.object({ id: z.string(), text: z.string(), correct: z.boolean(), explanation: z.string() });
const Question = z.discriminatedUnion("type", [
  z.object({ id: z.string(), type: z.literal("single"), prompt: z.string(), options: z.array(Option) }),
  z.object({ id: z.string(), type: z.literal("multiple"), prompt: z.string(), options: z.array(Option) }),
  z.object({
    id: z.string(),
    type: z.literal("numeric"),
    prompt: z.string(),
    answer: z.number(),
    tolerance: z.number().optional(),
    unit: z.string().optional(),
    explanation: z.string(),
  }),
  z.object({
    id: z.string(),
    type: z.literal("tokenizer"),
    prompt: z.string(),
    tokenizer: z.string(),
    text: z.string(),
    explanation: z.string(),
  }),
]);
export type QuizQuestion = z.infer<typeof Question>;
const Quiz = z.object({ lesson: z.string(), questions: z.array(Question) });
export type Quiz = z.infer<typeof Quiz>;

const Dialogue = z.object({
  topic: z.string(),
  style: z.string(),
  split: z.enum(["train", "dev"]),
  context: z.string().optional(),
  question: z.string(),
  answer: z.string(),
});
export type Dialogue = z.infer<typeof Dialogue> & { source: string };

/**
 * Frontmatter is `key: value` lines whose values are JSON (strings in double quotes, arrays,
 * numbers), as content/README.md shows. A bare unquoted value is taken as a string.
 */
export function parseFrontmatter(text: string): { data: Record<string, unknown>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return { data: {}, body: text };
  const data: Record<string, unknown> = {};
  for (const line of m[1].split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!kv) continue;
    const raw = kv[2].trim();
    try {
      data[kv[1]] = JSON.parse(raw);
    } catch {
      data[kv[1]] = raw.replace(/^'(.*)'$/, "$1");
    }
  }
  return { data, body: text.slice(m[0].length) };
}

function levelDirs(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((d) => /^level-\d+$/.test(d))
    .sort()
    .map((d) => path.join(root, d));
}

export function readLessons(root = CONTENT_DIR): Lesson[] {
  const lessons: Lesson[] = [];
  for (const dir of levelDirs(root)) {
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".mdx")).sort()) {
      const file = path.join(dir, name);
      const { data, body } = parseFrontmatter(fs.readFileSync(file, "utf8"));
      const fm = Frontmatter.safeParse(data);
      if (!fm.success) throw new Error(`${file}: bad frontmatter: ${fm.error.message}`);
      lessons.push({ slug: name.replace(/\.mdx$/, ""), file, ...fm.data, body });
    }
  }
  return lessons;
}

export function readQuizzes(root = CONTENT_DIR): Quiz[] {
  const quizzes: Quiz[] = [];
  for (const dir of levelDirs(root)) {
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".quiz.json")).sort()) {
      const file = path.join(dir, name);
      const parsed = Quiz.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
      if (!parsed.success) throw new Error(`${file}: bad quiz: ${parsed.error.message}`);
      quizzes.push(parsed.data);
    }
  }
  return quizzes;
}

export function readDialogues(root = CONTENT_DIR): Dialogue[] {
  const dir = path.join(root, "tutor");
  if (!fs.existsSync(dir)) return [];
  const out: Dialogue[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => /^dialogues-.*\.jsonl$/.test(f)).sort()) {
    for (const { record, line } of readJsonl(path.join(dir, name), Dialogue, "dialogue")) out.push({ ...record, source: `${name}:${line}` });
  }
  return out;
}

/** The grounded question set: owned by lib/tutor/learner-questions.ts (the eval and the checks read it too). */
export { readGroundedQuestions as readGrounded, type GroundedQuestion as GroundedItem } from "../../lib/tutor/learner-questions.ts";
