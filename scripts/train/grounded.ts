// Grounded tutor documents: every question of content/tutor/grounded/ prompted as the app's tutor
// prompts it, answered with sentences copied from a passage in that prompt.
//
//   npx tsx scripts/train/grounded.ts [--data data/course-lm] [--model data/course-lm/build] [--context-length 512]
//
// Why: a 3.5 M-parameter model cannot compose fluent new prose, but it can learn to copy from its
// context. Each question in content/tutor/grounded/ names the passage that answers it and the
// sentences (verbatim) that do; this step puts that question in front of the model several
// times with different passages around the answer — the tutor's real retrieval, the answer's
// passage alone, with a distractor from the same or another lesson, with two distractors, in
// random order — so that what it copies has to come from the prompt, not from memory. For some
// questions it also adds a prompt *without* the answer's passage, answered with the honest
// NOT_IN_PASSAGES reply.
//
// Every prompt is built by the app's own prompt builder (lib/tutor/prompt.ts) and counted by
// the trained tokenizer in the same 512-token window; a variant whose answer would not survive
// the builder's trimming is dropped. Deterministic: the choices hash (seed, question, variant).
//
// Appends the documents to train.txt (or val.txt for the held-out share) and writes their
// counts to corpus.json. Runs after the tokenizer is trained and before prepare.ts.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { retrieveForQuestion, tutorCorpus } from "../../lib/tutor/retrieval/index.ts";
import { buildTutorPrompt } from "../../lib/tutor/prompt.ts";
import { courseLmFormat, fromTransformersTokenizer } from "../../lib/tutor/tokenizer.ts";
import type { PassageDoc } from "../../lib/tutor/types.ts";
import { readGrounded, type GroundedItem } from "./content.ts";
import { EOS, NOT_IN_PASSAGES, promptedDialogue } from "./format.ts";
import { loadTokenizer } from "./lm.ts";
import { verbatim } from "./verbatim.ts";

const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: "data/course-lm" },
    model: { type: "string", default: "data/course-lm/build" },
    grounded: { type: "string" },
    "context-length": { type: "string", default: "512" },
    "val-fraction": { type: "string", default: "0.04" },
    "negative-fraction": { type: "string", default: "0.12" },
    seed: { type: "string", default: "1337" },
  },
});
const dataDir = path.resolve(args.data!);
const contextLength = Number(args["context-length"]);
const valFraction = Number(args["val-fraction"]);
const negativeFraction = Number(args["negative-fraction"]);
const seed = args.seed!;

/** A number in [0, 1) from a string: deterministic, independent of order. */
const unit = (key: string) => createHash("sha256").update(`${seed}:${key}`).digest().readUInt32BE(0) / 2 ** 32;
const pick = <T>(xs: readonly T[], key: string): T => xs[Math.floor(unit(key) * xs.length)];
const shuffle = <T>(xs: readonly T[], key: string): T[] =>
  xs.map((x, i) => ({ x, k: unit(`${key}:${i}`) })).sort((a, b) => a.k - b.k).map((e) => e.x);

const tokenizer = fromTransformersTokenizer(await loadTokenizer(path.resolve(args.model!)));
const format = courseLmFormat(tokenizer);
const { docs: corpus, byId } = tutorCorpus();
// Distractors come from lesson sections, not quiz explanations: those are what retrieval mostly returns.
const lessonPassages = corpus.filter((p) => p.kind === "lesson" && p.sectionSlug !== "");

const items = readGrounded(args.grounded ? path.resolve(args.grounded) : undefined)
  .filter((g) => g.split === "train")
  .map((g) => {
    if (g.passage === null) return g;
    const passage = byId.get(g.passage);
    if (!passage) throw new Error(`${g.source}: unknown passage id ${g.passage}`);
    const answer = verbatim(passage.text, g.answer);
    if (answer === null) throw new Error(`${g.source}: the answer is not copied from ${g.passage}: "${g.answer}"`);
    return { ...g, answer };
  });

/** The prompt passages (best first, as the builder expects) for one variant, or null to skip it. */
function variantPassages(g: GroundedItem, gold: PassageDoc, variant: string): PassageDoc[] | null {
  const key = `${g.source}:${variant}`;
  const otherLesson = lessonPassages.filter((p) => p.lessonSlug !== gold.lessonSlug);
  const sameLesson = lessonPassages.filter((p) => p.lessonSlug === gold.lessonSlug && p.id !== gold.id);
  switch (variant) {
    case "retrieved": {
      // The tutor's own top 2; the answer's passage takes the place of the second when missing.
      const found = retrieveForQuestion(g.question).passages.slice(0, 2).map((p) => byId.get(p.id)!);
      if (found.some((p) => p.id === gold.id)) return found;
      return found.length === 0 ? [gold] : shuffle([found[0], gold], key);
    }
    case "alone":
      return [gold];
    case "same-lesson":
      return sameLesson.length ? shuffle([gold, pick(sameLesson, key)], key) : null;
    case "other-lesson":
      return shuffle([gold, pick(otherLesson, key)], key);
    case "three":
      return shuffle([gold, pick(sameLesson.length ? sameLesson : otherLesson, `${key}:a`), pick(otherLesson, `${key}:b`)], key);
    case "negative":
      // Passages that do not hold the answer: another lesson's, so the reply must say so.
      return [pick(otherLesson, `${key}:a`), pick(otherLesson, `${key}:b`)].filter((p, i, a) => a.findIndex((q) => q.id === p.id) === i);
    default:
      throw new Error(`unknown variant ${variant}`);
  }
}

const VARIANTS = ["retrieved", "alone", "same-lesson", "other-lesson", "three"] as const;
const out = { train: [] as string[], val: [] as string[] };
const counts: Record<string, number> = {};
const droppedBy: Record<string, number> = {};
const seen = new Set<string>();
for (const g of items) {
  if (g.passage === null) continue;
  const gold = byId.get(g.passage)!;
  const split = unit(`val:${g.question}`) < valFraction ? "val" : "train";
  const variants: string[] = [...VARIANTS];
  if (unit(`negative:${g.source}`) < negativeFraction) variants.push("negative");
  for (const variant of variants) {
    const passages = variantPassages(g, gold, variant);
    if (!passages) continue;
    const prompt = buildTutorPrompt({ question: g.question, passages, history: [], tokenizer, format, contextLength, maxPassages: 3 });
    const answer = variant === "negative" ? NOT_IN_PASSAGES : g.answer;
    // The answer must still be in the prompt after the builder's trimming (or, for a negative, absent).
    const inPrompt = prompt.passages.some((p) => verbatim(p.text, g.answer) !== null);
    if (prompt.text === undefined || inPrompt === (variant === "negative")) {
      droppedBy[variant] = (droppedBy[variant] ?? 0) + 1;
      continue;
    }
    const doc = promptedDialogue(prompt.text, answer);
    if (seen.has(doc)) continue;
    seen.add(doc);
    out[split].push(doc);
    counts[variant] = (counts[variant] ?? 0) + 1;
  }
}

for (const split of ["train", "val"] as const) {
  const docs = shuffle(out[split], `order:${split}`);
  fs.appendFileSync(path.join(dataDir, `${split}.txt`), docs.map((d) => d + EOS).join(""));
}
const statsFile = path.join(dataDir, "corpus.json");
const stats = JSON.parse(fs.readFileSync(statsFile, "utf8"));
stats.grounded = {
  questions: items.length,
  answered: items.filter((g) => g.passage !== null).length,
  lessons: new Set(items.map((g) => g.topic)).size,
  docs: { train: out.train.length, val: out.val.length },
  variants: counts,
  dropped: droppedBy,
  chars: out.train.reduce((n, d) => n + d.length, 0),
};
fs.writeFileSync(statsFile, JSON.stringify(stats, null, 2) + "\n");
console.log(
  `grounded: ${items.length} questions → ${out.train.length} train + ${out.val.length} val documents ` +
    `(${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ")}; dropped, the answer cut by the window: ${JSON.stringify(droppedBy)})`,
);
