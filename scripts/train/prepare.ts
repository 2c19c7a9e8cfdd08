// Tokenize the corpus for training with the SHIPPED tokenizer, loaded by transformers.js exactly
// as the app loads it, so the ids the model is trained on are the ids it sees at inference.
//
//   npx tsx scripts/train/prepare.ts [--data data/course-lm] [--model public/models/course-lm]
//
// Writes data/course-lm/{train,val}.bin (uint16 token ids, one stream per split),
// {train,val}.answer.bin (one byte per token: 1 inside an assistant reply — the tokens after
// <|assistant|> up to and including its <|end|> — which train.py weights above the rest) and
// meta.json (vocabulary size, special ids, token counts, and the reference prompt export.py
// records logits for).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadTokenizer } from "./lm.ts";
import { EOS, tutorPrompt } from "./format.ts";

const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: "data/course-lm" },
    model: { type: "string", default: "public/models/course-lm" },
  },
});
const dataDir = path.resolve(args.data!);
const modelDir = path.resolve(args.model!);

const tokenizer = await loadTokenizer(modelDir);
const encode = (text: string): number[] => tokenizer.encode(text, { add_special_tokens: false });
const vocabSize = tokenizer.get_vocab().size;
const idOf = (token: string): number => tokenizer.convert_tokens_to_ids(token);
const eosId = idOf(EOS);
if (eosId !== 0) throw new Error(`expected ${EOS} to have id 0, got ${eosId}`);
if (vocabSize > 65536) throw new Error("vocabulary too large for uint16 token files");

/**
 * Split on the document separator and encode each document on its own, then join with the
 * separator's id. Same ids as encoding the whole file (added tokens are cut out of the text
 * before anything else), but progress can be shown and no single call is huge.
 */
function tokenizeFile(file: string): Uint16Array {
  const docs = fs.readFileSync(file, "utf8").split(EOS);
  const ids: number[] = [];
  docs.forEach((doc, i) => {
    if (doc) for (const id of encode(doc)) ids.push(id);
    if (i < docs.length - 1) ids.push(eosId);
  });
  return Uint16Array.from(ids);
}

const meta: Record<string, unknown> = {
  vocab_size: vocabSize,
  eos_token_id: eosId,
  special_tokens: Object.fromEntries(
    ["<|endoftext|>", "<|system|>", "<|user|>", "<|assistant|>", "<|context|>", "<|end|>"].map((t) => [t, idOf(t)]),
  ),
  tokenizer_sha256: createHash("sha256").update(fs.readFileSync(path.join(modelDir, "tokenizer.json"))).digest("hex"),
};
/** 1 for every token of an assistant reply (after <|assistant|>, through its <|end|>), else 0. */
function answerMask(ids: Uint16Array, assistantId: number, endId: number): Uint8Array {
  const mask = new Uint8Array(ids.length);
  let inAnswer = false;
  for (let i = 0; i < ids.length; i++) {
    if (inAnswer) {
      mask[i] = 1;
      if (ids[i] === endId || ids[i] === eosId) inAnswer = false;
    } else if (ids[i] === assistantId) inAnswer = true;
  }
  return mask;
}

for (const split of ["train", "val"]) {
  const t0 = Date.now();
  const file = path.join(dataDir, `${split}.txt`);
  const ids = tokenizeFile(file);
  meta[`${split}_bytes`] = fs.statSync(file).size;
  fs.writeFileSync(path.join(dataDir, `${split}.bin`), Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength));
  const mask = answerMask(ids, idOf("<|assistant|>"), idOf("<|end|>"));
  fs.writeFileSync(path.join(dataDir, `${split}.answer.bin`), mask);
  meta[`${split}_tokens`] = ids.length;
  meta[`${split}_answer_tokens`] = mask.reduce((n, x) => n + x, 0);
  console.log(`${split}: ${ids.length.toLocaleString("en")} tokens (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

// The fixed prompt whose logits export.py saves as the reference the ONNX checks compare with.
const referenceText = tutorPrompt("What is a token, and why do models not read whole words?");
meta.reference_prompt = { text: referenceText, ids: encode(referenceText) };

const corpusStats = path.join(dataDir, "corpus.json");
if (fs.existsSync(corpusStats)) meta.corpus = JSON.parse(fs.readFileSync(corpusStats, "utf8"));
fs.writeFileSync(path.join(dataDir, "meta.json"), JSON.stringify(meta, null, 2) + "\n");
console.log(`vocab ${vocabSize}; wrote ${path.relative(process.cwd(), dataDir)}/{train,val}.bin and meta.json`);
