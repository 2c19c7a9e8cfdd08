// Does decoding help make course-lm's replies better? Measured before anything ships as a
// sampler stage (issue: "honest, inspectable decoding help — only if it measurably helps").
//
//   npx tsx scripts/train/decoding-help.ts [--alphas 0.5,1] [--boosts 2,4] [--max-new-tokens 128]
//
// Greedy replies to the dev questions, asked as the tutor asks them, under:
//   plain         the model's own logits
//   CAD α         context-aware decoding (Shi et al. 2023, "Trusting Your Evidence"):
//                 (1 + α) · logits with the passages − α · logits of the same prompt without
//                 its <|context|> turns, each prompt with its own KV cache
//   copy β        +β on the logit of every token that continues the longest run of the reply's
//                 last tokens found in the prompt (lib/llm/copy.ts: ≥ 2 tokens, never past the
//                 end of a sentence), i.e. a nudge to finish a quote once begun
// It drives the exported ONNX graph step by step (./lm.ts) rather than the app's decode loop,
// because CAD needs two forward passes per token; the copy modes use the same lookup as the
// sampler's copy stage (lib/llm/copy.ts), and the shipped stage is measured through the app's
// own loop by `npm run model:eval`.
// Measures (lib/tutor/grounded.ts, lib/tutor/reply-quality.ts): reply sentences copied from a
// passage, replies repeating a word 4-gram, and recall of the hand-chosen answer — the share of
// the words of the sentences chosen by hand for the question (content/tutor/grounded/, dev
// split) that the reply reproduces in runs of ≥ 4 words — a proxy for "picked the right sentence".
import { parseArgs } from "node:util";
import { copyContinuations, createCopySource, endsSentenceText, type CopySource } from "../../lib/llm/copy.ts";
import { replySentences, sentenceGrounding } from "../../lib/tutor/grounded.ts";
import { answerRecall, repeatedNgram } from "../../lib/tutor/reply-quality.ts";
import { fromTransformersTokenizer } from "../../lib/tutor/tokenizer.ts";
import { readGrounded } from "./content.ts";
import { renderChat } from "./format.ts";
import { argmax, loadModel, loadTokenizer, step, type StepResult } from "./lm.ts";
import { planAsTutor } from "./tutor-prompt.ts";

const { values: args } = parseArgs({
  options: {
    alphas: { type: "string", default: "0.5,1" },
    boosts: { type: "string", default: "2,4" },
    "max-new-tokens": { type: "string", default: "128" },
  },
});
const maxNewTokens = Number(args["max-new-tokens"]);
const EOS = [5, 0];

const hf = await loadTokenizer();
const tokenizer = fromTransformersTokenizer(hf);
const model = await loadModel();

interface Case {
  question: string;
  ids: number[];
  idsWithoutPassages: number[];
  passages: { text: string }[];
  copySource: CopySource;
  /** First tokens of the passages' sentences, as a reply would start them (no leading space). */
  sentenceStarts: number[];
  handAnswer: string;
}
const vocab = hf.get_vocab().size;
const sentenceEnds = Array.from({ length: vocab }, (_, id) => endsSentenceText(hf.decode([id])));
const cases: Case[] = [];
for (const g of readGrounded().filter((x) => x.split === "dev" && x.passage !== null)) {
  const plan = planAsTutor(g.question, tokenizer, 512);
  if (plan.kind !== "generate" || plan.prompt.text === undefined) continue;
  const without = renderChat(plan.prompt.messages.filter((m) => m.role !== "context"), true);
  cases.push({
    question: g.question,
    ids: tokenizer.encode(plan.prompt.text),
    idsWithoutPassages: tokenizer.encode(without),
    passages: plan.prompt.passages.map((p) => ({ text: p.text })),
    copySource: createCopySource(tokenizer.encode(plan.prompt.text), (id) => sentenceEnds[id]),
    sentenceStarts: [...new Set(plan.prompt.passages.flatMap((p) => replySentences(p.text).map((x) => tokenizer.encode(x.text.replace(/^- /, ""))[0])))],
    handAnswer: g.answer,
  });
}

const last = (r: StepResult) => r.logits.subarray(r.logits.length - r.vocab);

type Mode = { name: string; alpha?: number; boost?: number; quote?: boolean };
async function reply(c: Case, mode: Mode): Promise<string> {
  let r = await step(model, c.ids, null);
  let rNo = mode.alpha ? await step(model, c.idsWithoutPassages, null) : null;
  const out: number[] = [];
  while (out.length < maxNewTokens && r.length < 512) {
    const logits = Float32Array.from(last(r));
    if (rNo && mode.alpha) {
      const plain = last(rNo);
      for (let i = 0; i < logits.length; i++) logits[i] = (1 + mode.alpha) * logits[i] - mode.alpha * plain[i];
    }
    if (mode.boost) for (const id of copyContinuations(c.copySource, out).next) logits[id] += mode.boost;
    // Quote: at the start, and after a sentence ends, favour starting one of the passages' sentences.
    if (mode.quote && mode.boost && (out.length === 0 || sentenceEnds[out[out.length - 1]])) for (const id of c.sentenceStarts) logits[id] += mode.boost;
    const next = argmax(logits);
    if (EOS.includes(next)) break;
    out.push(next);
    r = await step(model, [next], r.cache, r.length);
    if (rNo) rNo = await step(model, [next], rNo.cache, rNo.length);
  }
  return hf.decode(out).trim();
}

const modes: Mode[] = [
  { name: "plain" },
  ...args.alphas!.split(",").filter(Boolean).map((a) => ({ name: `CAD α=${a}`, alpha: Number(a) })),
  ...args.boosts!.split(",").filter(Boolean).map((b) => ({ name: `copy β=${b}`, boost: Number(b) })),
  ...args.boosts!.split(",").filter(Boolean).map((b) => ({ name: `quote β=${b}`, boost: Number(b), quote: true })),
];
console.log(`${cases.length} dev questions with a hand-chosen answer, greedy, as the tutor asks them`);
console.log("mode            copied sentences  repeated 4-gram  hand-answer recall");
for (const mode of modes) {
  let sentences = 0;
  let grounded = 0;
  let repeated = 0;
  let recall = 0;
  for (const c of cases) {
    const text = await reply(c, mode);
    const g = sentenceGrounding(text, c.passages);
    sentences += g.sentences;
    grounded += g.grounded;
    if (repeatedNgram(text)) repeated++;
    recall += answerRecall(text, c.handAnswer);
  }
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`.padStart(6);
  console.log(`${mode.name.padEnd(16)}${pct(grounded / Math.max(1, sentences)).padStart(16)}${pct(repeated / cases.length).padStart(17)}${pct(recall / cases.length).padStart(20)}`);
}
