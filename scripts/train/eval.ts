// Ask course-lm every dev-split tutor question (never trained on) and score the greedy answers.
//
//   npx tsx scripts/train/eval.ts [--dtype fp32|q8] [--max-new-tokens 96] [--out public/models/course-lm/eval.json] [--quiet]
//
// Prints each question, the model's answer and the reference answer, then the summary.
// Measures, defined so anyone can recompute them by hand:
//   on topic     the answer names at least one of the question's lesson concepts (the lesson's
//                frontmatter `concepts`): the concept as a phrase, or all of its words of 3+
//                letters, case-insensitive, hyphens read as spaces, a plural "s" ignored.
//                Off-topic questions (topic "none") count as on topic when the answer declines.
//   overlap      the share of the reference answer's content words (3+ letters, not a stop
//                word) that the answer also contains; reported as a mean and as the share of
//                answers with overlap >= 0.3.
//   finished     the answer ended with <|end|> (rather than running into the token limit).
//   copied       the answer is word for word a training answer (memorised, not composed).
//   distinct     distinct answers / questions (1.0: no answer is reused for another question).
//
// Each question is asked twice: as written (the dialogue's own prompt, usually no passage), and
// as the app's tutor asks it (its retrieval and prompt builder: a system turn and up to two
// lesson passages in the 512-token window). The second is what a learner sees; a question the
// tutor finds nothing for gets the tutor's fixed reply, which is on topic only for off-topic
// questions. Last, the tutor's prompts sampled through the app's own decode loop and sampler at
// the app-wide default temperature and at the tutor's (lib/tutor/settings.ts), three seeds each:
// the measurement behind the tutor's default.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { readDialogues, readLessons } from "./content.ts";
import { generateTrace } from "../../lib/llm/decode.ts";
import { loadModel as loadAppModel } from "../../lib/llm/load.ts";
import { DEFAULT_SETTINGS } from "../../lib/llm/trace.ts";
import { generationInput } from "../../lib/tutor/model-prompt.ts";
import { TUTOR_TEMPERATURE } from "../../lib/tutor/settings.ts";
import { fromTransformersTokenizer } from "../../lib/tutor/tokenizer.ts";
import { tutorPrompt } from "./format.ts";
import { COURSE_LM_DIR, greedy, loadModel, loadTokenizer, type Dtype } from "./lm.ts";
import { planAsTutor } from "./tutor-prompt.ts";

const { values: args } = parseArgs({
  options: {
    dtype: { type: "string", default: "fp32" },
    "max-new-tokens": { type: "string", default: "96" },
    out: { type: "string", default: path.join(COURSE_LM_DIR, "eval.json") },
    quiet: { type: "boolean", default: false },
  },
});
const dtype = args.dtype as Dtype;
const maxNewTokens = Number(args["max-new-tokens"]);

const STOP = new Set(
  "the and for are but not you your with that this from they them their there then than what when where which while who whom why how can could would should will shall may might must does did done has have had into onto over under also just only very more most much many some any each every other such its it's it is was were been being about because like really".split(" "),
);
const norm = (s: string) => s.toLowerCase().replace(/[-_/]/g, " ");
const words = (s: string) => norm(s).match(/[a-z0-9]+/g) ?? [];
const stem = (w: string) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w);
const stemmedSet = (s: string) => new Set(words(s).map(stem));

export function mentionsConcept(answer: string, concept: string): boolean {
  if (norm(answer).includes(norm(concept))) return true;
  const have = stemmedSet(answer);
  const need = words(concept).filter((w) => w.length >= 3 && !STOP.has(w)).map(stem);
  return need.length > 0 && need.every((w) => have.has(w));
}

export function overlap(answer: string, reference: string): number {
  const ref = new Set(words(reference).filter((w) => w.length >= 3 && !STOP.has(w)).map(stem));
  if (ref.size === 0) return 0;
  const have = stemmedSet(answer);
  let n = 0;
  for (const w of ref) if (have.has(w)) n++;
  return n / ref.size;
}

const declines = (answer: string) => /\b(can't|cannot|can not|don't|do not|only (answer|cover|help))\b/i.test(answer);

const lessons = new Map(readLessons().map((l) => [l.slug, l]));
const all = readDialogues();
const dev = all.filter((d) => d.split === "dev");
const trainAnswers = new Set(all.filter((d) => d.split === "train").map((d) => d.answer.trim()));
if (dev.length === 0) throw new Error("no dev-split dialogues in content/tutor/");

const tokenizer = await loadTokenizer();
const model = await loadModel(COURSE_LM_DIR, dtype);
const generation = JSON.parse(fs.readFileSync(path.join(COURSE_LM_DIR, "generation_config.json"), "utf8"));
const config = JSON.parse(fs.readFileSync(path.join(COURSE_LM_DIR, "config.json"), "utf8"));
const eos: number[] = [generation.eos_token_id].flat();

interface EvalItem {
  topic: string;
  style: string;
  withContext: boolean;
  question: string;
  answer: string;
  reference: string;
  onTopic: boolean;
  overlap: number;
  finished: boolean;
  copied: boolean;
}

/** How a question's answer scores (see the measures at the top). */
function judge(d: (typeof dev)[number], answer: string): Pick<EvalItem, "onTopic" | "overlap" | "copied"> {
  const concepts = lessons.get(d.topic)?.concepts ?? [];
  return {
    onTopic: d.topic === "none" ? declines(answer) : concepts.some((c) => mentionsConcept(answer, c)),
    overlap: Number(overlap(answer, d.answer).toFixed(3)),
    copied: trainAnswers.has(answer),
  };
}

const items: EvalItem[] = [];
let generated = 0;
const t0 = Date.now();
for (const d of dev) {
  const promptIds = tokenizer.encode(tutorPrompt(d.question, d.context), { add_special_tokens: false });
  const out = await greedy(model, promptIds, { maxNewTokens, eos, contextLength: config.max_position_embeddings });
  generated += out.ids.length + 1;
  const answer = out.ids.length ? tokenizer.decode(out.ids).trim() : "";
  const item: EvalItem = {
    topic: d.topic,
    style: d.style,
    withContext: Boolean(d.context),
    question: d.question,
    answer,
    reference: d.answer,
    ...judge(d, answer),
    finished: out.finish === "eos",
  };
  items.push(item);
  if (!args.quiet) {
    console.log(`\n[${d.topic} · ${d.style}${d.context ? " · context" : ""}] ${d.question}`);
    console.log(`  model:     ${answer || "(empty)"}${item.finished ? "" : " …"}`);
    console.log(`  reference: ${d.answer}`);
    console.log(`  on topic: ${item.onTopic ? "yes" : "no"}  overlap: ${item.overlap}`);
  }
}
const seconds = (Date.now() - t0) / 1000;

// The same questions as the app's tutor asks them.
interface TutorItem extends Pick<EvalItem, "topic" | "question" | "answer" | "onTopic" | "overlap" | "finished" | "copied"> {
  passages: number;
  fallback: boolean;
}
const promptTokenizer = fromTransformersTokenizer(tokenizer);
// Planned once: the greedy and the sampled passes below ask the same prompts.
const tutorPlans = dev.map((d) => planAsTutor(d.question, promptTokenizer, config.max_position_embeddings));
const tutorItems: TutorItem[] = [];
for (const [i, d] of dev.entries()) {
  const plan = tutorPlans[i];
  if (plan.kind === "fallback" || plan.prompt.text === undefined) {
    const answer = plan.kind === "fallback" ? plan.text : "";
    tutorItems.push({ topic: d.topic, question: d.question, answer, ...judge(d, answer), onTopic: d.topic === "none", finished: true, passages: 0, fallback: true });
    continue;
  }
  const out = await greedy(model, promptTokenizer.encode(plan.prompt.text), { maxNewTokens, eos, contextLength: config.max_position_embeddings });
  const answer = out.ids.length ? tokenizer.decode(out.ids).trim() : "";
  tutorItems.push({ topic: d.topic, question: d.question, answer, ...judge(d, answer), finished: out.finish === "eos", passages: plan.prompt.passages.length, fallback: false });
  if (!args.quiet) console.log(`\n[as the tutor asks · ${plan.prompt.passages.length} passages] ${d.question}\n  model:     ${answer || "(empty)"}`);
}

// The tutor's prompts, sampled as the app samples them (its decode loop and sampler).
const appModel = await loadAppModel({ id: "course-lm", location: COURSE_LM_DIR, localFilesOnly: true, device: "cpu", dtype });
const SEEDS = [1, 2, 3];
const sampled: { temperature: number; seeds: number[]; onTopic: number; answers: number }[] = [];
for (const temperature of [DEFAULT_SETTINGS.temperature, TUTOR_TEMPERATURE]) {
  let hits = 0;
  let answers = 0;
  for (const seed of SEEDS) {
    for (const [i, d] of dev.entries()) {
      const plan = tutorPlans[i];
      if (plan.kind !== "generate") continue; // the fixed reply does not depend on sampling
      const trace = await generateTrace({ model: appModel, ...generationInput(plan.prompt), settings: { temperature, seed, maxNewTokens } });
      answers++;
      if (judge(d, trace.reply.text.trim()).onTopic) hits++;
    }
  }
  sampled.push({ temperature, seeds: SEEDS, onTopic: Number((hits / Math.max(1, answers)).toFixed(3)), answers });
}
await appModel.dispose();

const share = <T>(f: (i: T) => boolean, of: readonly T[]) => Number((of.filter(f).length / Math.max(1, of.length)).toFixed(3));
/** As share, but null when `of` is empty (no such questions is not 0 %). */
const shareOf = <T>(f: (i: T) => boolean, of: readonly T[]) => (of.length === 0 ? null : share(f, of));
const percent = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(0)}%`);
const summary = {
  model: "course-lm",
  dtype,
  decoding: { method: "greedy", maxNewTokens, eos },
  questions: items.length,
  onTopic: share((i) => i.onTopic, items),
  onTopicWithContext: shareOf((i) => i.onTopic, items.filter((i) => i.withContext)),
  onTopicWithoutContext: shareOf((i) => i.onTopic, items.filter((i) => !i.withContext)),
  overlapMean: Number((items.reduce((s, i) => s + i.overlap, 0) / items.length).toFixed(3)),
  overlapAtLeast0_3: share((i) => i.overlap >= 0.3, items),
  finished: share((i) => i.finished, items),
  copied: share((i) => i.copied, items),
  distinct: Number((new Set(items.map((i) => i.answer)).size / items.length).toFixed(3)),
  asTutor: {
    onTopic: share((i) => i.onTopic, tutorItems),
    overlapMean: Number((tutorItems.reduce((sum, i) => sum + i.overlap, 0) / tutorItems.length).toFixed(3)),
    overlapAtLeast0_3: share((i) => i.overlap >= 0.3, tutorItems),
    finished: share((i) => i.finished, tutorItems),
    fixedReply: share((i) => i.fallback, tutorItems),
    items: tutorItems,
    /** The same prompts sampled (top-k 50, top-p 0.95 as the app's defaults), per temperature. */
    sampled,
  },
  tokensPerSecond: Math.round(generated / seconds),
  definitions: {
    onTopic:
      "answer names one of the question's lesson concepts (frontmatter `concepts`): as a phrase, or all its words of 3+ letters; case-insensitive, hyphens as spaces, plural s ignored. Off-topic questions: the answer declines.",
    overlap: "share of the reference answer's content words (3+ letters, not stop words) present in the answer",
    finished: "the answer ended with <|end|> within the token limit",
    copied: "the answer is verbatim a training-split answer",
    distinct: "distinct answers / questions",
  },
  items,
};
fs.writeFileSync(args.out!, JSON.stringify(summary, null, 1) + "\n");
console.log(
  `\ncourse-lm (${dtype}) on ${items.length} dev questions: on topic ${(summary.onTopic * 100).toFixed(0)}% ` +
    `(with context ${percent(summary.onTopicWithContext)}, without ${percent(summary.onTopicWithoutContext)}), ` +
    `reference-word overlap ${summary.overlapMean} (>=0.3: ${(summary.overlapAtLeast0_3 * 100).toFixed(0)}%), ` +
    `finished ${(summary.finished * 100).toFixed(0)}%, copied ${(summary.copied * 100).toFixed(0)}%, distinct ${(summary.distinct * 100).toFixed(0)}%; ` +
    `as the tutor asks: on topic ${percent(summary.asTutor.onTopic)}, overlap ${summary.asTutor.overlapMean} (>=0.3: ${percent(summary.asTutor.overlapAtLeast0_3)}), fixed reply ${percent(summary.asTutor.fixedReply)}; ` +
    `sampled: ${sampled.map((x) => `T ${x.temperature} on topic ${percent(x.onTopic)}`).join(", ")}; ` +
    `${summary.tokensPerSecond} tokens/s → ${path.relative(process.cwd(), args.out!)}`,
);
