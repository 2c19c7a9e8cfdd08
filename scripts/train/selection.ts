// Where the tutor's sentence choice fails, measured without sampling (issue #12): for each
// hand-answered question of a split, is a sentence of the hand-chosen answer among the
// candidates at all, and how high do the rankers put it?
//
//   npx tsx scripts/train/selection.ts [--split dev|train] [--candidates 10] [--lm]
//
// Candidates: the quotable sentences (lib/tutor/focus.ts) of the passages the tutor retrieves
// (its top four), or of every section of the first retrieved lesson ("lesson-wide"). A
// candidate "holds the answer" when it reproduces ≥ 30 % of the hand answer's words in runs of
// ≥ 4 words (answerRecall, lib/tutor/reply-quality.ts). Rankers:
//   bm25  the word-matching rank focus.ts uses today (the tutor keeps its top 2)
//   lm    course-lm's mean log-probability of the sentence as the reply, given the tutor
//         prompt whose context holds all the candidates (the model's own choice, unsampled)
//   pmi   lm minus the same with a question that asks nothing ("Tell me something from the
//         course."): what the question adds to the model's choice
import { parseArgs } from "node:util";
import { forward } from "../../lib/llm/forward.ts";
import { loadModel } from "../../lib/llm/load.ts";
import { rankSentences, type RankedUnit } from "../../lib/tutor/focus.ts";
import { answerRecall } from "../../lib/tutor/reply-quality.ts";
import { retrieveForQuestion, tutorCorpus } from "../../lib/tutor/retrieval/index.ts";
import { courseLmFormat, fromTransformersTokenizer } from "../../lib/tutor/tokenizer.ts";
import { readGrounded } from "./content.ts";
import { COURSE_LM_DIR, loadTokenizer } from "./lm.ts";

const { values: args } = parseArgs({
  options: { split: { type: "string", default: "dev" }, candidates: { type: "string", default: "10" }, lm: { type: "boolean", default: false } },
});
const CANDIDATES = Number(args.candidates);
const HOLDS = 0.3;
const SYSTEM = "You are the Glassbox tutor. Answer questions about how language models work in one to four plain, precise sentences.";

const items = readGrounded().filter((g) => g.split === args.split && g.passage !== null);
const docs = tutorCorpus().docs;

const tokenizer = fromTransformersTokenizer(await loadTokenizer());
const format = courseLmFormat(tokenizer);
const model = args.lm ? await loadModel({ id: "course-lm", location: COURSE_LM_DIR, localFilesOnly: true, device: "cpu", dtype: "fp32" }) : null;
const END = tokenizer.encode("<|end|>").at(-1)!;

/** Mean log-probability of `reply` (then <|end|>) after `prompt`. */
async function replyLogprob(prompt: string, reply: string): Promise<number> {
  const promptIds = tokenizer.encode(prompt);
  const ids = [...tokenizer.encode(reply), END];
  let { logits, cache } = await forward(model!, promptIds, 0, null);
  let total = 0;
  for (let i = 0; i < ids.length; i++) {
    let max = -Infinity;
    for (const v of logits) max = Math.max(max, v);
    let sum = 0;
    for (const v of logits) sum += Math.exp(v - max);
    total += logits[ids[i]!]! - max - Math.log(sum);
    if (i < ids.length - 1) ({ logits, cache } = await forward(model!, [ids[i]!], promptIds.length + i, cache));
  }
  await cache.dispose();
  return total / ids.length;
}

const prompt = (question: string, context: string) =>
  format.render!([
    { role: "system", content: SYSTEM },
    { role: "context", content: context },
    { role: "user", content: question },
  ]);

/** Rank (0-based) of the first candidate holding the answer in `order`, or -1. */
const firstHit = (order: number[], holds: boolean[]) => order.findIndex((i) => holds[i]);
const byScore = (scores: number[]) => scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i);

const tally = { questions: items.length, top4Held: 0, lessonHeld: 0, bm25: [0, 0], lm: [0, 0], pmi: [0, 0], rankedByLm: 0 };
for (const item of items) {
  const retrieval = retrieveForQuestion(item.question);
  const ranked: RankedUnit[] = rankSentences(item.question, retrieval.passages.slice(0, 4)).slice(0, CANDIDATES);
  const holds = ranked.map((r) => answerRecall(r.unit.text, item.answer) >= HOLDS);
  const lesson = retrieval.passages[0]?.lessonSlug;
  const lessonText = docs.filter((d) => d.lessonSlug === lesson && d.kind === "lesson" && !d.id.endsWith("#summary")).map((d) => d.text).join(" ");
  if (lesson && rankSentences(item.question, [{ ...retrieval.passages[0]!, text: lessonText }]).some((r) => answerRecall(r.unit.text, item.answer) >= HOLDS)) tally.lessonHeld++;
  if (!holds.some(Boolean)) continue;
  tally.top4Held++;
  const bm = firstHit(ranked.map((_, i) => i), holds);
  tally.bm25[0] += bm === 0 ? 1 : 0;
  tally.bm25[1] += bm < 2 ? 1 : 0;
  if (!model) continue;
  const context = ranked.map((r) => r.unit.text).join(" ");
  const asked: number[] = [];
  const unasked: number[] = [];
  for (const r of ranked) {
    asked.push(await replyLogprob(prompt(item.question, context), r.unit.text));
    unasked.push(await replyLogprob(prompt("Tell me something from the course.", context), r.unit.text));
  }
  tally.rankedByLm++;
  const lm = firstHit(byScore(asked), holds);
  const pmi = firstHit(byScore(asked.map((a, i) => a - unasked[i]!)), holds);
  tally.lm[0] += lm === 0 ? 1 : 0;
  tally.lm[1] += lm < 2 ? 1 : 0;
  tally.pmi[0] += pmi === 0 ? 1 : 0;
  tally.pmi[1] += pmi < 2 ? 1 : 0;
}

const t = tally;
console.log(`${args.split} split, ${t.questions} questions with a hand answer`);
console.log(`answer among the sentences of the top-4 passages (first ${CANDIDATES} by bm25): ${t.top4Held}`);
console.log(`answer among the sentences of the first lesson, all sections:               ${t.lessonHeld}`);
console.log(`of the ${t.top4Held} where it is a candidate, ranked first / in the top two:`);
console.log(`  bm25 ${t.bm25[0]} / ${t.bm25[1]}`);
if (model) console.log(`  lm   ${t.lm[0]} / ${t.lm[1]}\n  pmi  ${t.pmi[0]} / ${t.pmi[1]}   (${t.rankedByLm} ranked by the model)`);
