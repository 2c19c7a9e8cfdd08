// Assemble course-lm's training corpus from content/.
//
//   npx tsx scripts/train/corpus.ts [--out data/course-lm] [--val-fraction 0.05] [--seed 1337]
//
// Writes (data/ is gitignored):
//   tokenizer.txt  every training document (lessons, quizzes, dialogues), each followed by
//                  <|endoftext|>: what the tokenizer learns its merges from
//   train.txt      the model's training documents: lessons and quizzes (grounded.ts appends the
//                  grounded tutor documents)
//   val.txt        the held-out lesson and quiz documents, same format (validation loss only)
//   dev.jsonl      the dev-split tutor questions, never trained on (npm run model:eval asks them)
//   corpus.json  counts, for the training log and the model card
//
// A "document" is one lesson section (the unit the tutor's retrieval quotes), one quiz question
// with its explanations, or one tutor dialogue. Which documents are held out is decided by a
// hash of (seed, a stable key for the document), not by a shuffle, so adding content later does
// not reshuffle the existing split.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { readDialogues, readLessons, readQuizzes, type Lesson, type QuizQuestion } from "./content.ts";
import { EOS, renderTurns, SYSTEM_PROMPTS, tutorMessages } from "./format.ts";

const { values: args } = parseArgs({
  options: {
    out: { type: "string", default: "data/course-lm" },
    content: { type: "string" },
    "val-fraction": { type: "string", default: "0.05" },
    "system-fraction": { type: "string", default: "0.35" },
    seed: { type: "string", default: "1337" },
  },
});
const valFraction = Number(args["val-fraction"]);
const systemFraction = Number(args["system-fraction"]);
const seed = args.seed!;

/** A number in [0, 1) from a string: deterministic, independent of order. */
function unit(key: string): number {
  return createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;
}

type Kind = "lesson" | "quiz" | "dialogue";
interface Doc {
  kind: Kind;
  key: string;
  text: string;
}

// ---- lessons ---------------------------------------------------------------------------------

/** MDX → the Markdown a reader sees: demo tags and MDX comments removed, maths kept as written. */
export function lessonText(body: string): string {
  return (
    body
      // Self-closing demo tags; props are strings, which may contain ">" or "/", so quoted
      // strings are skipped as a whole.
      .replace(/<Demo\b(?:[^>"']|"[^"]*"|'[^']*')*\/>/g, "")
      .replace(/\{\/\*[\s\S]*?\*\/\}/g, "") // {/* MDX comments */}
      .replace(/^(import|export)\s.*$/gm, "") // MDX module lines, if any
      .replace(/[ \t]+$/gm, "")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}

/** One document per `##` section, each headed by the lesson title so it stands on its own. */
function lessonDocs(lesson: Lesson): Doc[] {
  const text = lessonText(lesson.body);
  const parts = text.split(/^(?=## )/m).map((p) => p.trim()).filter(Boolean);
  return parts.map((part, i) => {
    const intro = i === 0 && lesson.summary ? `${lesson.summary}\n\n` : "";
    const heading = /^## (.*)$/m.exec(part)?.[1] ?? "intro";
    return { kind: "lesson", key: `lesson:${lesson.slug}#${heading}`, text: `# ${lesson.title}\n\n${intro}${part}` };
  });
}

// ---- quizzes ---------------------------------------------------------------------------------

/** A quiz question as short Q/A prose: the right answer with its explanation, then why not the others. */
export function quizText(title: string, q: QuizQuestion): string {
  const lines = [`Quiz: ${title}`, "", `Question: ${q.prompt}`];
  if (q.type === "single" || q.type === "multiple") {
    const right = q.options.filter((o) => o.correct);
    const wrong = q.options.filter((o) => !o.correct);
    lines.push(`Answer: ${right.map((o) => o.text).join("; ")}`);
    for (const o of right) lines.push(o.explanation);
    for (const o of wrong) lines.push(`Not "${o.text}": ${o.explanation}`);
  } else if (q.type === "numeric") {
    lines.push(`Answer: ${q.answer}${q.unit ? ` ${q.unit}` : ""}`, q.explanation);
  } else {
    // The count is computed live by the real tokenizer, so only the reasoning goes in.
    lines.push(`Text: ${JSON.stringify(q.text)} (tokenizer: ${q.tokenizer})`, `Answer: ${q.explanation}`);
  }
  return lines.join("\n");
}

// ---- assemble ---------------------------------------------------------------------------------

const root = args.content ? path.resolve(args.content) : undefined;
const lessons = readLessons(root);
const quizzes = readQuizzes(root);
const dialogues = readDialogues(root);
const titles = new Map(lessons.map((l) => [l.slug, l.title]));
const concepts = new Map(lessons.map((l) => [l.slug, l.concepts]));

const docs: Doc[] = [];
for (const lesson of lessons) docs.push(...lessonDocs(lesson));
for (const quiz of quizzes) {
  const title = titles.get(quiz.lesson) ?? quiz.lesson;
  for (const q of quiz.questions) docs.push({ kind: "quiz", key: `quiz:${quiz.lesson}:${q.id}`, text: quizText(title, q) });
}
const dev = [];
for (const d of dialogues) {
  if (d.split === "dev") {
    dev.push({ ...d, lessonTitle: titles.get(d.topic) ?? null, concepts: concepts.get(d.topic) ?? [] });
    continue;
  }
  const key = `dialogue:${d.topic}:${d.question}`;
  const system = unit(`${seed}:system:${key}`) < systemFraction ? SYSTEM_PROMPTS[Math.floor(unit(`${seed}:which:${key}`) * SYSTEM_PROMPTS.length)] : undefined;
  const messages = [...tutorMessages(d.question, d.context, system), { role: "assistant" as const, content: d.answer }];
  docs.push({ kind: "dialogue", key, text: renderTurns(messages) });
}
// "none" marks an off-topic question the tutor politely declines.
for (const d of dialogues) if (d.topic !== "none" && !titles.has(d.topic)) console.warn(`warning: ${d.source}: topic "${d.topic}" is not a lesson slug`);

// A literal special-token string inside lesson prose or a dialogue field would be read by the
// tokenizer as the real control token (exactly as it would be in a prompt at run time). Say so.
const SPECIAL_RE = /<\|(endoftext|system|user|assistant|context|end)\|>/;
for (const doc of docs) if (doc.kind !== "dialogue" && SPECIAL_RE.test(doc.text)) warnSpecial(doc.key);
for (const d of dialogues) if (SPECIAL_RE.test(d.question + d.answer + (d.context ?? ""))) warnSpecial(d.source);
function warnSpecial(where: string) {
  console.warn(`warning: ${where} contains a literal special token; it will be tokenized as the control token`);
}

const train: Doc[] = [];
const val: Doc[] = [];
for (const doc of docs) (unit(`${seed}:val:${doc.key}`) < valFraction ? val : train).push(doc);
// Deterministic order that mixes the kinds (training samples random windows, but a mixed file
// also reads better and makes the tokenizer's input representative from the first byte).
const order = (d: Doc) => unit(`${seed}:order:${d.key}`);
train.sort((a, b) => order(a) - order(b));
val.sort((a, b) => order(a) - order(b));

const outDir = path.resolve(args.out!);
fs.mkdirSync(outDir, { recursive: true });
const join = (ds: Doc[]) => ds.map((d) => d.text + EOS).join("");
// The tokenizer learns its merges from every training document, dialogues included; the model
// itself is trained on lessons and quizzes here, and on grounded tutor documents that
// scripts/train/grounded.ts appends: a free-prose dialogue answer teaches a model this small to
// compose word salad, a copied one teaches it to quote its passages.
const prose = (ds: Doc[]) => ds.filter((d) => d.kind !== "dialogue");
fs.writeFileSync(path.join(outDir, "tokenizer.txt"), join(train));
fs.writeFileSync(path.join(outDir, "train.txt"), join(prose(train)));
fs.writeFileSync(path.join(outDir, "val.txt"), join(prose(val)));
fs.writeFileSync(path.join(outDir, "dev.jsonl"), dev.map((d) => JSON.stringify(d)).join("\n") + (dev.length ? "\n" : ""));

const count = (ds: Doc[]) => {
  const by: Record<string, { docs: number; chars: number; words: number }> = {};
  for (const d of ds) {
    const c = (by[d.kind] ??= { docs: 0, chars: 0, words: 0 });
    c.docs++;
    c.chars += d.text.length;
    c.words += d.text.split(/\s+/).filter(Boolean).length;
  }
  return by;
};
const stats = {
  sources: {
    lessons: lessons.length,
    quizQuestions: quizzes.reduce((n, q) => n + q.questions.length, 0),
    dialoguesTrain: dialogues.filter((d) => d.split === "train").length,
    dialoguesDev: dev.length,
  },
  valFraction,
  systemFraction,
  seed: Number(seed),
  train: count(train),
  val: count(val),
  tokenizerChars: join(train).length,
  trainChars: join(prose(train)).length,
  valChars: join(prose(val)).length,
};
fs.writeFileSync(path.join(outDir, "corpus.json"), JSON.stringify(stats, null, 2) + "\n");
console.log(
  `corpus: ${lessons.length} lessons, ${stats.sources.quizQuestions} quiz questions, ${stats.sources.dialoguesTrain} train + ${dev.length} dev dialogues` +
    `\n  train: ${train.length} docs, ${stats.trainChars} chars; val: ${val.length} docs, ${stats.valChars} chars → ${path.relative(process.cwd(), outDir)}/`,
);
if (lessons.length === 0) console.warn("warning: no lessons found under content/level-*/");
