/**
 * Learner questions labelled with the common question whose answer is a right reply to them
 * (content/tutor/common-question-labels.json). Only train-split questions of the tutor's data
 * are labelled — the dev split stays unseen, so the eval measures questions the matcher never
 * learned from (test/unit/tutor/faq-labels.test.ts checks it).
 *
 * The labelled questions are how learners really ask: the matcher (./faq-match.ts) compares a new
 * question with them as well as with each entry's own phrasings.
 *
 * Node only (reads the file system).
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

/** "05-bpe/what-is-bpe": a lesson slug and a common question's id. */
const labelId = z.string().regex(/^\d\d-[a-z0-9-]+\/[a-z0-9-]+$/, 'a label is "NN-lesson/question-id"');

export const FaqLabel = z.strictObject({
  question: z.string().trim().min(1),
  /** The common question whose answer is the best right reply; null when none is. */
  best: labelId.nullable(),
  /** Other common questions whose answers are right replies too. */
  ok: z.array(labelId),
  /** The best answer's first sentence alone answers the question. */
  firstSentenceEnough: z.boolean(),
  /** For a course question nothing answers: what a right answer would have to say. */
  missing: z.string().optional(),
});
export type FaqLabel = z.infer<typeof FaqLabel>;

const LabelsFile = z.strictObject({ about: z.string(), labels: z.array(FaqLabel) });

export function faqLabelsFile(): string {
  return path.join(process.cwd(), "content", "tutor", "common-question-labels.json");
}

/** Every label; throws naming the problem when the file is malformed. [] when there is no file. */
export function readFaqLabels(file = faqLabelsFile()): FaqLabel[] {
  if (!fs.existsSync(/*turbopackIgnore: true*/ file)) return [];
  const parsed = LabelsFile.safeParse(JSON.parse(fs.readFileSync(/*turbopackIgnore: true*/ file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data.labels;
}

/** A label's id as the tutor corpus names the common question's passage ("05-bpe#faq/what-is-bpe"). */
export const faqPassageId = (label: string): string => label.replace("/", "#faq/");

/** The labelled questions of each common question (by passage id), from their `best` labels. */
export function learnedPhrasings(labels: readonly FaqLabel[]): Map<string, string[]> {
  const byEntry = new Map<string, string[]>();
  for (const l of labels) {
    if (l.best === null) continue;
    const id = faqPassageId(l.best);
    byEntry.set(id, [...(byEntry.get(id) ?? []), l.question]);
  }
  return byEntry;
}
