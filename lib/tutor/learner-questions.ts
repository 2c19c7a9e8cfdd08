/**
 * The grounded question set (content/tutor/grounded/<lesson>.jsonl): learner questions, each
 * with the lesson passage that answers it and the sentences of it, chosen by hand, that do.
 * One file per lesson, one JSON object per line. course-lm is trained on the train split
 * (scripts/train/grounded.ts) and the eval asks the dev split (scripts/train/eval.ts).
 *
 * Node only (reads the file system).
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

export const GroundedQuestion = z.object({
  topic: z.string(),
  style: z.string(),
  split: z.enum(["train", "dev"]),
  question: z.string().min(1),
  /** A tutor passage id (lib/tutor/retrieval/corpus.ts), or null: no passage of the course answers it. */
  passage: z.string().nullable(),
  /** One to three sentences copied from that passage ("" when passage is null). */
  answer: z.string(),
});
export type GroundedQuestion = z.infer<typeof GroundedQuestion> & { source: string };

export function groundedDir(): string {
  return path.join(process.cwd(), "content", "tutor", "grounded");
}

/**
 * The records of a JSON-lines file, each checked against `schema`; throws naming the file and
 * line of a malformed one. Shared by every content file in this format.
 */
export function readJsonl<T extends z.ZodType>(file: string, schema: T, what: string): { record: z.output<T>; line: number }[] {
  const out: { record: z.output<T>; line: number }[] = [];
  fs.readFileSync(file, "utf8")
    .split(/\r?\n/)
    .forEach((text, i) => {
      if (!text.trim()) return;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new Error(`${file}:${i + 1}: not JSON: ${(e as Error).message}`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new Error(`${file}:${i + 1}: bad ${what}: ${parsed.error.message}`);
      out.push({ record: parsed.data, line: i + 1 });
    });
  return out;
}

/** Every question of the set; throws naming the file and line of a malformed one. */
export function readGroundedQuestions(dir = groundedDir()): GroundedQuestion[] {
  if (!fs.existsSync(dir)) return [];
  const out: GroundedQuestion[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()) {
    const file = path.join(dir, name);
    for (const { record, line } of readJsonl(file, GroundedQuestion, "grounded question")) {
      if (record.passage !== null && !record.answer.trim()) throw new Error(`${file}:${line}: a passage but no answer`);
      out.push({ ...record, source: `${name}:${line}` });
    }
  }
  return out;
}
