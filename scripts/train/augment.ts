// Add every training dialogue again, prompted exactly as the app's tutor prompts the model.
//
//   npx tsx scripts/train/augment.ts [--data data/course-lm] [--model data/course-lm/build] [--context-length 512]
//
// At run time the tutor puts a system turn and up to two retrieved lesson passages in front of
// every question (lib/tutor/plan.ts), trimmed to the context window by the real tokenizer. The
// hand-written dialogues rarely look like that (a third have a system turn, a quarter one short
// passage), so the model met its real prompts mostly at run time. This step closes that gap:
// for each training dialogue it runs the app's own retrieval and prompt builder — the same
// functions, the trained tokenizer, the same 512-token window — and appends the prompt plus the
// dialogue's answer to train.txt as one more document. A question nothing is retrieved for is
// skipped (the app answers it with a fixed reply, not the model).
//
// Runs after the tokenizer is trained (the budget is counted in its tokens) and before
// prepare.ts tokenizes the corpus. The vocabulary is unaffected: these documents only recombine
// text the tokenizer was trained on.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fromTransformersTokenizer } from "../../lib/tutor/tokenizer.ts";
import { EOS, promptedDialogue } from "./format.ts";
import { loadTokenizer } from "./lm.ts";
import { planAsTutor } from "./tutor-prompt.ts";

const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: "data/course-lm" },
    model: { type: "string", default: "data/course-lm/build" },
    // The window the model is trained for (train.py --seq-len; config.json is written later, at export).
    "context-length": { type: "string", default: "512" },
  },
});
const dataDir = path.resolve(args.data!);
const modelDir = path.resolve(args.model!);

const contextLength = Number(args["context-length"]);
const tokenizer = fromTransformersTokenizer(await loadTokenizer(modelDir));

const turns = fs
  .readFileSync(path.join(dataDir, "tutor.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { key: string; question: string; answer: string });

const docs: string[] = [];
let skipped = 0;
let passages = 0;
for (const t of turns) {
  const plan = planAsTutor(t.question, tokenizer, contextLength);
  if (plan.kind !== "generate" || plan.prompt.text === undefined) {
    skipped++;
    continue;
  }
  passages += plan.prompt.passages.length;
  docs.push(promptedDialogue(plan.prompt.text, t.answer));
}

fs.appendFileSync(path.join(dataDir, "train.txt"), docs.map((d) => d + EOS).join(""));
const statsFile = path.join(dataDir, "corpus.json");
const stats = JSON.parse(fs.readFileSync(statsFile, "utf8"));
stats.tutorPrompted = { docs: docs.length, skipped, passagesPerDoc: Number((passages / Math.max(1, docs.length)).toFixed(2)), chars: docs.reduce((n, d) => n + d.length, 0) };
fs.writeFileSync(statsFile, JSON.stringify(stats, null, 2) + "\n");
console.log(`augment: ${docs.length} training dialogues added as the tutor prompts them (${stats.tutorPrompted.passagesPerDoc} passages each), ${skipped} skipped (nothing retrieved)`);
