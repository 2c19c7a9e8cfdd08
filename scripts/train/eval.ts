// The strict eval: ask course-lm every dev-split tutor question (never trained on) exactly as the
// app's tutor asks it, and measure the replies a learner would read.
//
//   npx tsx scripts/train/eval.ts [--dtype fp32|q8] [--max-new-tokens 200] [--out public/models/course-lm/eval.json] [--quiet]
//                                 [--seeds 1,2,3] [--limit N]
//
// Each question goes through the app's own retrieval and prompt builder (lib/tutor/plan.ts: a
// system turn and up to two lesson passages in the 512-token window) and the app's own decode
// loop and sampler, at the tutor's settings (lib/tutor/settings.ts: temperature 0.3, the app's
// top-k/top-p) with seeds 1–3, and once greedily. A question retrieval finds nothing for gets
// the tutor's fixed reply, as in the app.
//
// Automatic measures, defined so anyone can recompute them by hand:
//   grounded        share of reply sentences with >= 90 % of their words inside runs of >= 4
//                   words copied from the passages in that reply's prompt (lib/tutor/grounded.ts)
//   repeated 4-gram share of replies in which some word 4-gram occurs twice, and more often than
//                   in the passages given (a loop; a quoted answer may repeat its own phrase)
//   broken maths    share of replies with unbalanced `$` delimiters
//   finished        the reply ended with <|end|> within the token limit
//   answer recall   the share of the words of the sentences chosen by hand for the question
//                   (content/tutor/grounded/, dev split) that the reply reproduces in runs of
//                   >= 4 words: did it quote the right sentence (lib/tutor/reply-quality.ts)
//   answer passage  the passage chosen by hand as holding the answer is among the prompt's passages
//   retrieval       top-1 / top-3: the question's lesson is the first / among the first three
//                   lessons retrieval returns, on the dev questions and on the paraphrase set
//                   (test/unit/tutor/questions.ts)
// None of these says whether a reply makes sense or answers the question. That is judged by a
// blind review of the seed-1 replies (public/models/course-lm/review.json, see the model card):
// this script writes the replies for review to review-input.json and reads the verdicts back,
// counting only verdicts whose reply is still the one the model gives.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateTrace } from "../../lib/llm/decode.ts";
import { loadModel } from "../../lib/llm/load.ts";
import { sentenceGrounding } from "../../lib/tutor/grounded.ts";
import { generationInput } from "../../lib/tutor/model-prompt.ts";
import type { TurnPlan } from "../../lib/tutor/plan.ts";
import { answerRecall, lessonRank, repeatedNgram, unbalancedMath } from "../../lib/tutor/reply-quality.ts";
import { retrievePassages } from "../../lib/tutor/retrieval/index.ts";
import { withTutorDefaults } from "../../lib/tutor/settings.ts";
import { fromTransformersTokenizer } from "../../lib/tutor/tokenizer.ts";
import { ON_TOPIC } from "../../test/unit/tutor/questions.ts";
import { readDialogues, readGrounded } from "./content.ts";
import { COURSE_LM_DIR, loadTokenizer, type Dtype } from "./lm.ts";
import { planAsTutor } from "./tutor-prompt.ts";
import { reviewerAgreement, verdictShare, type Verdict } from "./review.ts";

const { values: args } = parseArgs({
  options: {
    dtype: { type: "string", default: "fp32" },
    // Default: the tutor's own (lib/tutor/settings.ts).
    "max-new-tokens": { type: "string" },
    out: { type: "string", default: path.join(COURSE_LM_DIR, "eval.json") },
    quiet: { type: "boolean", default: false },
    // Quick looks at a checkpoint mid-training: fewer seeds, the first N questions.
    seeds: { type: "string", default: "1,2,3" },
    // Settings over the tutor's defaults, as JSON (e.g. '{"copyBoost":0}' to measure without the copy stage).
    settings: { type: "string", default: "{}" },
    limit: { type: "string" },
    // Tuning reads train-split replies (every Nth question), so the dev split stays unseen until the measurement.
    split: { type: "string", default: "dev" },
    every: { type: "string", default: "1" },
  },
});
const dtype = args.dtype as Dtype;
const maxNewTokens = args["max-new-tokens"] === undefined ? withTutorDefaults(undefined).maxNewTokens! : Number(args["max-new-tokens"]);
const SEEDS = args.seeds!.split(",").map(Number);
const overrides = JSON.parse(args.settings!) as Parameters<typeof withTutorDefaults>[0];

const split = args.split === "train" ? "train" : "dev";
const every = Math.max(1, Number(args.every));
const dev = readDialogues()
  .filter((d) => d.split === split)
  .filter((_, i) => i % every === 0)
  .slice(0, args.limit ? Number(args.limit) : undefined);
if (dev.length === 0) throw new Error(`no ${split}-split dialogues in content/tutor/`);

// The sentences chosen by hand for each question of the split (no entry: no passage answers it).
const handChosen = readGrounded().filter((g) => g.split === split && g.passage !== null);
const handAnswers = new Map(handChosen.map((g) => [g.question, g.answer]));
const handPassages = new Map(handChosen.map((g) => [g.question, g.passage!]));

const config = JSON.parse(fs.readFileSync(path.join(COURSE_LM_DIR, "config.json"), "utf8"));
const tokenizer = fromTransformersTokenizer(await loadTokenizer());
const model = await loadModel({ id: "course-lm", location: COURSE_LM_DIR, localFilesOnly: true, device: "cpu", dtype });

/** What the automatic checks say of one reply. */
interface Checked {
  reply: string;
  grounded: number;
  sentences: number;
  repeated: string | null;
  brokenMaths: boolean;
  finished: boolean;
  /** null: no hand-chosen answer for this question. */
  answerRecall: number | null;
}

function check(question: string, plan: TurnPlan, reply: string, finished: boolean): Checked {
  const passages = plan.kind === "generate" ? plan.prompt.passages.map((p) => ({ text: p.text })) : [];
  const g = sentenceGrounding(reply, passages);
  const hand = handAnswers.get(question);
  return {
    reply,
    grounded: g.grounded,
    sentences: g.sentences,
    repeated: repeatedNgram(reply, 4, passages.map((p) => p.text).join("\n")),
    brokenMaths: unbalancedMath(reply),
    finished,
    answerRecall: hand === undefined ? null : Number(answerRecall(reply, hand).toFixed(3)),
  };
}

interface Item {
  topic: string;
  style: string;
  question: string;
  fallback: boolean;
  passages: { id: string; text: string }[];
  lessonRank: number | null;
  /** Whether the passage chosen by hand as holding the answer is in the prompt (null: none was chosen). */
  answerPassageInPrompt: boolean | null;
  greedy: Checked;
  sampled: Checked[];
}

const t0 = Date.now();
let tokens = 0;
const items: Item[] = [];
for (const d of dev) {
  const plan = planAsTutor(d.question, tokenizer, config.max_position_embeddings);
  const retrievedLessons = plan.kind === "generate" ? plan.grounding.sources.map((s) => s.lessonSlug) : [];
  const handPassage = handPassages.get(d.question);
  const base = {
    topic: d.topic,
    style: d.style,
    question: d.question,
    lessonRank: d.topic === "none" ? null : lessonRank(retrievedLessons, d.topic),
    answerPassageInPrompt: handPassage === undefined ? null : plan.kind === "generate" && plan.prompt.passages.some((p) => p.passage.id === handPassage),
  };
  if (plan.kind === "fallback") {
    const fixed = check(d.question, plan, plan.text, true);
    items.push({ ...base, fallback: true, passages: [], greedy: fixed, sampled: SEEDS.map(() => fixed) });
    continue;
  }
  const run = async (settings: Parameters<typeof withTutorDefaults>[0]) => {
    const trace = await generateTrace({ model, ...generationInput(plan.prompt), settings: { ...withTutorDefaults({ ...overrides, ...settings }), maxNewTokens } });
    tokens += trace.steps.length;
    return check(d.question, plan, trace.reply.text.trim(), trace.finishReason === "eos" || trace.finishReason === "stop");
  };
  const greedy = await run({ greedy: true });
  const sampled: Checked[] = [];
  for (const seed of SEEDS) sampled.push(await run({ seed }));
  const item: Item = { ...base, fallback: false, passages: plan.prompt.passages.map((p) => ({ id: p.passage.id, text: p.text })), greedy, sampled };
  items.push(item);
  if (!args.quiet) {
    console.log(`\n[${d.topic} · ${d.style} · ${item.passages.map((p) => p.id).join(", ")}] ${d.question}`);
    console.log(`  tutor (seed 1): ${sampled[0].reply || "(empty)"}${sampled[0].finished ? "" : " …"}`);
    console.log(`  grounded ${sampled[0].grounded}/${sampled[0].sentences}${sampled[0].repeated ? `  repeats "${sampled[0].repeated}"` : ""}${sampled[0].brokenMaths ? "  broken maths" : ""}`);
  }
}
await model.dispose();
const seconds = (Date.now() - t0) / 1000;

const ratio = (n: number, of: number) => (of === 0 ? null : Number((n / of).toFixed(4)));
const mean = (xs: number[]) => (xs.length === 0 ? null : Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3)));
const percent = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(0)}%`);
/** The automatic measures over a set of replies (generated ones only: the fixed reply is not the model's). */
function measure(replies: Checked[]) {
  const sentences = replies.reduce((n, r) => n + r.sentences, 0);
  return {
    replies: replies.length,
    groundedSentences: ratio(replies.reduce((n, r) => n + r.grounded, 0), sentences),
    fullyGroundedReplies: ratio(replies.filter((r) => r.sentences > 0 && r.grounded === r.sentences).length, replies.length),
    repeated4gram: ratio(replies.filter((r) => r.repeated !== null).length, replies.length),
    brokenMaths: ratio(replies.filter((r) => r.brokenMaths).length, replies.length),
    finished: ratio(replies.filter((r) => r.finished).length, replies.length),
    answerRecall: mean(replies.flatMap((r) => (r.answerRecall === null ? [] : [r.answerRecall]))),
  };
}
const generated = items.filter((i) => !i.fallback);
const onCourse = items.filter((i) => i.topic !== "none");
const paraphrases = ON_TOPIC.map((q) => lessonRank(retrievePassages(q.q).map((p) => p.lessonSlug), q.lesson, q.also ? [q.also] : []));

// The blind review: verdicts for the seed-1 replies, kept only where the reply is unchanged.
const reviewFile = path.join(COURSE_LM_DIR, "review.json");
const review = fs.existsSync(reviewFile) ? (JSON.parse(fs.readFileSync(reviewFile, "utf8")) as Review) : null;
interface Review {
  reviewer: string;
  rubric: Record<string, string>;
  verdicts: Verdict[];
}
const current = new Map(items.map((i) => [i.question, i.sampled[0].reply]));
const valid = review?.verdicts.filter((v) => current.get(v.question) === v.reply) ?? [];

const summary = {
  model: "course-lm",
  dtype,
  questions: items.length,
  decoding: { tutor: { ...withTutorDefaults(overrides), seeds: SEEDS, maxNewTokens }, greedy: { ...withTutorDefaults(overrides), greedy: true, maxNewTokens } },
  fixedReply: ratio(items.length - generated.length, items.length),
  tutor: measure(generated.flatMap((i) => i.sampled)),
  greedy: measure(generated.map((i) => i.greedy)),
  /** Share of generated replies whose prompt held a common question's answer (content/level-1/*.faq.json). */
  fromCommonQuestion: ratio(generated.filter((i) => i.passages.some((p) => p.id.includes("#faq/"))).length, generated.length),
  retrieval: {
    answerPassageInPrompt: ratio(items.filter((i) => i.answerPassageInPrompt === true).length, items.filter((i) => i.answerPassageInPrompt !== null).length),
    dev: { questions: onCourse.length, top1: ratio(onCourse.filter((i) => i.lessonRank === 1).length, onCourse.length), top3: ratio(onCourse.filter((i) => i.lessonRank !== null && i.lessonRank <= 3).length, onCourse.length) },
    paraphrases: { questions: paraphrases.length, top1: ratio(paraphrases.filter((r) => r === 1).length, paraphrases.length), top3: ratio(paraphrases.filter((r) => r !== null && r <= 3).length, paraphrases.length) },
  },
  review: review
    ? {
        reviewer: review.reviewer,
        reviewed: valid.length,
        stale: review.verdicts.length - valid.length,
        coherent: ratio(verdictShare(valid, "coherent") * valid.length, valid.length),
        helpful: ratio(verdictShare(valid, "helpful") * valid.length, valid.length),
        agreement: reviewerAgreement(valid, "helpful"),
      }
    : null,
  tokensPerSecond: Math.round(tokens / seconds),
  items,
};
fs.writeFileSync(args.out!, JSON.stringify(summary, null, 1) + "\n");
// What a blind reviewer reads: the question, the passages the model was given, and the reply.
fs.writeFileSync(
  path.join(path.dirname(args.out!), "review-input.json"),
  JSON.stringify(items.map((i) => ({ topic: i.topic, question: i.question, passages: i.passages.map((p) => p.text), reply: i.sampled[0].reply, fixedReply: i.fallback })), null, 1) + "\n",
);

const t = summary.tutor;
console.log(
  `\ncourse-lm (${dtype}), ${items.length} ${split} questions as the tutor asks them (${percent(summary.fixedReply)} get the fixed reply); ` +
    `${t.replies} sampled replies (T ${summary.decoding.tutor.temperature}, seeds ${SEEDS.join(",")}; ${percent(summary.fromCommonQuestion)} from a common question): ` +
    `grounded sentences ${percent(t.groundedSentences)}, fully grounded replies ${percent(t.fullyGroundedReplies)}, ` +
    `repeated 4-gram ${percent(t.repeated4gram)}, broken maths ${percent(t.brokenMaths)}, finished ${percent(t.finished)}, hand-chosen answer recall ${t.answerRecall}; ` +
    `greedy: grounded ${percent(summary.greedy.groundedSentences)}, repeated ${percent(summary.greedy.repeated4gram)}, recall ${summary.greedy.answerRecall}; ` +
    `retrieval top-1/top-3: dev ${percent(summary.retrieval.dev.top1)}/${percent(summary.retrieval.dev.top3)} (answer's passage in the prompt ${percent(summary.retrieval.answerPassageInPrompt)}), ` +
    `paraphrases ${percent(summary.retrieval.paraphrases.top1)}/${percent(summary.retrieval.paraphrases.top3)}; ` +
    (summary.review
      ? `blind review (${summary.review.reviewed} replies, ${summary.review.stale} stale): coherent ${percent(summary.review.coherent)}, helpful ${percent(summary.review.helpful)}; `
      : "no blind review yet; ") +
    `${summary.tokensPerSecond} tokens/s → ${path.relative(process.cwd(), args.out!)}`,
);
