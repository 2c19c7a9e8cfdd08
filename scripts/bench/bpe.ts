/**
 * Benchmark: our TypeScript BPE trainer vs SentencePiece's `spm_train` (C++), same corpus
 * file, same vocabulary size, repetitions alternated (ABBA order) so that drift in machine
 * load hits both alike. Prints every time, the medians and the ratio ours/spm.
 *
 *   npx tsx scripts/bench/bpe.ts [--input FILE_OR_DIR...] [--vocab-size 2048] [--reps 7] [--spm-threads 1]
 *
 * Default corpus: every .txt/.md/.mdx/.json/.jsonl file under content/, concatenated into
 * one temporary file that both trainers read. Needs `spm_train` (apt-get install sentencepiece).
 *
 * What is timed: ours in-process — reading the file, pre-tokenising, counting, merging;
 * spm as a child process — the same plus process start-up and writing its model files
 * (a few milliseconds). spm runs with one thread by default, like ours; both learn BPE over
 * the same 256 byte fallbacks and special tokens, with SentencePiece's normaliser off.
 * The algorithms still differ in details (spm treats each line as a sentence and marks
 * spaces with "▁"), so the ratio compares two practical trainers, not identical outputs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { SPECIAL_TOKEN_LIST } from "../../lib/tokenizers/bpe/chat.ts";
import { trainBpe } from "../../lib/tokenizers/bpe/train.ts";
import { DEFAULT_VOCAB_SIZE } from "../train/tokenizer.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    input: { type: "string", multiple: true },
    "vocab-size": { type: "string", default: String(DEFAULT_VOCAB_SIZE) },
    reps: { type: "string", default: "7" },
    "spm-threads": { type: "string", default: "1" },
  },
});
const inputs = [...(values.input ?? []), ...positionals];
const vocabSize = Number(values["vocab-size"]);
const reps = Number(values.reps);

function corpusFiles(roots: string[]): string[] {
  const ext = new Set([".txt", ".md", ".mdx", ".json", ".jsonl"]);
  return roots.flatMap((root) =>
    statSync(root).isDirectory()
      ? readdirSync(root, { recursive: true, encoding: "utf8" })
          .sort()
          .map((e) => path.join(root, e))
          .filter((p) => ext.has(path.extname(p)) && statSync(p).isFile())
      : [root],
  );
}

const files = corpusFiles(inputs.length ? inputs : ["content"]);
const work = mkdtempSync(path.join(tmpdir(), "bench-bpe-"));
const corpus = path.join(work, "corpus.txt");
writeFileSync(corpus, files.map((f) => readFileSync(f, "utf8")).join("\n"));
const bytes = statSync(corpus).size;

function runOurs(): number {
  const t0 = performance.now();
  const text = readFileSync(corpus, "utf8");
  trainBpe(text, { vocabSize, specialTokens: SPECIAL_TOKEN_LIST });
  return performance.now() - t0;
}

function runSpm(): number {
  const args = [
    `--input=${corpus}`,
    `--model_prefix=${path.join(work, "spm")}`,
    `--vocab_size=${vocabSize}`,
    "--model_type=bpe",
    "--byte_fallback=true", // 256 <0xNN> pieces, like our byte alphabet
    "--character_coverage=1.0",
    "--normalization_rule_name=identity", // no NFKC: we do not normalise either
    "--add_dummy_prefix=false",
    "--remove_extra_whitespaces=false",
    "--max_sentence_length=1000000", // never drop a long line
    "--input_sentence_size=0", // use every line, no sampling
    "--hard_vocab_limit=false", // a small corpus may not fill the vocabulary (ours stops early too)
    `--user_defined_symbols=${SPECIAL_TOKEN_LIST.join(",")}`,
    `--num_threads=${values["spm-threads"]}`,
    "--minloglevel=2",
  ];
  const t0 = performance.now();
  const r = spawnSync("spm_train", args, { encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.error || r.status !== 0) {
    throw new Error(`spm_train failed: ${r.error?.message ?? r.stderr.split("\n").slice(-5).join("\n")}`);
  }
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`corpus: ${files.length} file(s), ${(bytes / 1024).toFixed(1)} KiB; vocab ${vocabSize}; ${reps} reps (after one warm-up each)`);
runOurs(); // warm-up: JIT compilation, file cache
runSpm();
const ours: number[] = [];
const spm: number[] = [];
for (let i = 0; i < reps; i++) {
  // ABBA: ours first on even reps, spm first on odd ones.
  if (i % 2 === 0) {
    ours.push(runOurs());
    spm.push(runSpm());
  } else {
    spm.push(runSpm());
    ours.push(runOurs());
  }
  console.log(`rep ${i + 1}: ours ${ours[i].toFixed(0)} ms, spm_train ${spm[i].toFixed(0)} ms`);
}
const mo = median(ours);
const ms = median(spm);
console.log(`median: ours ${mo.toFixed(0)} ms, spm_train ${ms.toFixed(0)} ms`);
console.log(`ratio ours/spm: ${(mo / ms).toFixed(2)}`);
rmSync(work, { recursive: true, force: true });
