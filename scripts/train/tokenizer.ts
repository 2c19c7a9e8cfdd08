/**
 * Train course-lm's byte-level BPE tokenizer and write it in Hugging Face format.
 *
 *   npx tsx scripts/train/tokenizer.ts --input data/course-lm/train.txt [more files or folders...] \
 *       [--vocab-size 2048] [--out public/models/course-lm] [--model-max-length 512]
 *
 * Each input file is one text (folders are read recursively: .txt .md .mdx files).
 * Special tokens written in the text (e.g. rendered chat turns) are cut out, not learned.
 * Writes OUT/tokenizer.json and OUT/tokenizer_config.json, then prints a summary.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { SPECIAL_TOKEN_LIST } from "../../lib/tokenizers/bpe/chat.ts";
import { BpeEncoder } from "../../lib/tokenizers/bpe/encode.ts";
import { toTokenizerConfig, toTokenizerJson } from "../../lib/tokenizers/bpe/export.ts";
import { trainBpe } from "../../lib/tokenizers/bpe/train.ts";

export const DEFAULT_VOCAB_SIZE = 2048; // why: lib/tokenizers/bpe/README.md
const TEXT_EXTENSIONS = new Set([".txt", ".md", ".mdx"]);

/** Files named on the command line, with folders expanded (sorted, so runs are reproducible). */
export function listInputFiles(inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (statSync(input).isDirectory()) {
      const entries = readdirSync(input, { recursive: true, encoding: "utf8" }).sort();
      for (const e of entries) {
        const p = path.join(input, e);
        if (TEXT_EXTENSIONS.has(path.extname(p)) && statSync(p).isFile()) files.push(p);
      }
    } else files.push(input);
  }
  return files;
}

/** JSON with two-space indents, but each merge pair on one line (readable diffs, a third the lines). */
export function stringifyTokenizer(json: unknown): string {
  return JSON.stringify(json, null, 2).replace(
    /\[\n\s+("(?:[^"\\]|\\.)*"),\n\s+("(?:[^"\\]|\\.)*")\n\s+\]/g,
    "[$1, $2]",
  );
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true, // `--input a b c`: b and c arrive as positionals
    options: {
      input: { type: "string", multiple: true },
      "vocab-size": { type: "string", default: String(DEFAULT_VOCAB_SIZE) },
      out: { type: "string", default: "public/models/course-lm" },
      "model-max-length": { type: "string", default: "512" },
      "min-frequency": { type: "string", default: "2" },
      help: { type: "boolean", short: "h" },
    },
  });
  const inputs = [...(values.input ?? []), ...positionals];
  if (values.help || inputs.length === 0) {
    console.log(
      "usage: npx tsx scripts/train/tokenizer.ts --input FILE_OR_DIR... [--vocab-size 2048] " +
        "[--out public/models/course-lm] [--model-max-length 512] [--min-frequency 2]",
    );
    process.exit(values.help ? 0 : 2);
  }
  const vocabSize = Number(values["vocab-size"]);
  const files = listInputFiles(inputs);
  const texts = files.map((f) => readFileSync(f, "utf8"));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  console.log(`corpus: ${files.length} file(s), ${(bytes / 1024).toFixed(1)} KiB`);

  const tty = process.stdout.isTTY;
  const result = trainBpe(texts, {
    vocabSize,
    specialTokens: SPECIAL_TOKEN_LIST,
    minFrequency: Number(values["min-frequency"]),
    onProgress: ({ merges, target, lastMerge }) => {
      const pct = Math.round((100 * merges) / target);
      if (!tty && pct % 10 !== 0 && merges !== target) return;
      const last = lastMerge ? `  last: ${JSON.stringify(lastMerge.merged)} ×${lastMerge.count}` : "";
      const line = `merges ${merges}/${target} (${pct}%)${last}`;
      if (tty) process.stdout.write(`\r${line.padEnd(78)}`);
      else console.log(line);
    },
  });
  if (tty) process.stdout.write("\n");

  const outDir = values.out!;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "tokenizer.json"), stringifyTokenizer(toTokenizerJson(result)) + "\n");
  const config = toTokenizerConfig(result, { modelMaxLength: Number(values["model-max-length"]) });
  writeFileSync(path.join(outDir, "tokenizer_config.json"), JSON.stringify(config, null, 2) + "\n");

  // Compression on the training text, and a round-trip check while we are at it.
  const encoder = new BpeEncoder(result);
  let tokens = 0;
  for (const text of texts) {
    const ids = encoder.encode(text);
    tokens += ids.length;
    if (encoder.decode(ids) !== text) throw new Error("round trip failed on the training text");
  }
  console.log(
    [
      `vocab size: ${result.tokens.length} (${result.specialTokens.length} special + 256 bytes + ${result.tokens.length - result.specialTokens.length - 256} learned)`,
      `merges: ${result.merges.length}${result.stats.stoppedEarly ? " (stopped early: no pair left with count ≥ min-frequency)" : ""}`,
      `words: ${result.stats.words} (${result.stats.uniqueWords} distinct)`,
      `time: ${(result.stats.ms / 1000).toFixed(2)} s`,
      `compression: ${tokens} tokens, ${(bytes / tokens).toFixed(2)} bytes/token`,
      `wrote ${path.join(outDir, "tokenizer.json")} and tokenizer_config.json`,
    ].join("\n"),
  );
}

// Run only when executed, not when imported (the benchmark imports DEFAULT_VOCAB_SIZE).
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
