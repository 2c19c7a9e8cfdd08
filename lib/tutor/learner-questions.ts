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
  /** A tutor passage id (lib/tutor/corpus.ts), or null: no passage of the course answers it. */
  passage: z.string().nullable(),
  /** One to three sentences copied from that passage ("" when passage is null). */
  answer: z.string(),
});
export type GroundedQuestion = z.infer<typeof GroundedQuestion> & { source: string };

export function groundedDir(): string {
  return path.join(process.cwd(), "content", "tutor", "grounded");
}

/** Every question of the set; throws naming the file and line of a malformed one. */
export function readGroundedQuestions(dir = groundedDir()): GroundedQuestion[] {
  if (!fs.existsSync(dir)) return [];
  const out: GroundedQuestion[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()) {
    const file = path.join(dir, name);
    fs.readFileSync(file, "utf8")
      .split(/\r?\n/)
      .forEach((line, i) => {
        if (!line.trim()) return;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch (e) {
          throw new Error(`${file}:${i + 1}: not JSON: ${(e as Error).message}`);
        }
        const parsed = GroundedQuestion.safeParse(json);
        if (!parsed.success) throw new Error(`${file}:${i + 1}: bad grounded question: ${parsed.error.message}`);
        if (parsed.data.passage !== null && !parsed.data.answer.trim()) throw new Error(`${file}:${i + 1}: a passage but no answer`);
        out.push({ ...parsed.data, source: `${name}:${i + 1}` });
      });
  }
  return out;
}
