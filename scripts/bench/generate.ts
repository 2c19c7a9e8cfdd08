/**
 * Benchmark: Glassbox's traced decode loop (lib/llm/decode.ts) vs plain transformers.js
 * `generate()` — same model, same prompt, same number of new tokens, greedy — measured side
 * by side in one run, repetitions alternated (ABBA) so drift in machine load hits both alike.
 * Prints every repetition, the medians and the ratio traced/plain (≥ 1: the traced loop is
 * at least as fast, although it records ~20 candidates and every sampling stage per token).
 *
 *   npx tsx scripts/bench/generate.ts [--model-dir public/models/course-lm] [--dtype fp32]
 *       [--tokens 64] [--reps 7] [--prompt TEXT]
 *
 * What is timed, for both, from the outside with the same clock:
 * - TTFT: from the call to the first generated token (tokenizing excluded: both start from
 *   the same ids) — essentially the prompt's forward pass (prefill);
 * - decode tokens/s: (N − 1) / (time of token N − time of token 1), i.e. the per-token
 *   loop after the first token: one forward pass with the KV cache + choosing the token.
 *   For generate() the token times come from a streamer's put() calls; for the traced
 *   loop from its "step" events.
 * Equal counts: generate() gets min_new_tokens = max_new_tokens = N (end tokens masked);
 * the traced loop gets the model with no end-of-sequence ids, so both always run N steps.
 *
 * Also prints the sampler alone (sampleStep per token) on this vocabulary and on a
 * Qwen-sized one (151,936), greedy and with the default filters.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { Tensor } from "@huggingface/transformers";
import { decode, preparePrompt } from "../../lib/llm/decode.ts";
import { loadModel, type LoadedModel } from "../../lib/llm/load.ts";
import { createRng } from "../../lib/llm/prng.ts";
import type { Dtype } from "../../lib/llm/registry.ts";
import { createSamplerContext, sampleStep } from "../../lib/llm/sampler.ts";
import { DEFAULT_SETTINGS, type GenerationSettingsInput, type SamplingSettings } from "../../lib/llm/trace.ts";

const { values } = parseArgs({
  options: {
    "model-dir": { type: "string", default: "public/models/course-lm" },
    dtype: { type: "string", default: "fp32" },
    tokens: { type: "string", default: "64" },
    reps: { type: "string", default: "7" },
    prompt: { type: "string", default: "What is a token, and why do language models use them?" },
  },
});
const N = Number(values.tokens);
const reps = Number(values.reps);
if (!(N >= 2) || !(reps >= 1)) throw new Error("--tokens must be ≥ 2 and --reps ≥ 1");

interface Run {
  ttftMs: number;
  tokensPerSecond: number;
  count: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function summarise(times: number[], start: number): Run {
  return {
    ttftMs: times[0] - start,
    tokensPerSecond: ((times.length - 1) * 1000) / (times[times.length - 1] - times[0]),
    count: times.length,
  };
}

async function runTraced(model: LoadedModel, messages: { role: string; content: string }[], settings: GenerationSettingsInput): Promise<Run> {
  const times: number[] = [];
  const start = performance.now();
  for await (const e of decode({ model, messages, settings })) if (e.type === "step") times.push(performance.now());
  return summarise(times, start);
}

async function runPlain(model: LoadedModel, ids: number[]): Promise<Run> {
  const times: number[] = [];
  let first = true;
  const streamer = {
    put() {
      if (first) first = false; // the prompt
      else times.push(performance.now());
    },
    end() {},
  };
  const start = performance.now();
  await model.model.generate({
    input_ids: new Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
    attention_mask: new Tensor("int64", new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
    max_new_tokens: N,
    min_new_tokens: N,
    do_sample: false,
    streamer: streamer as never,
  });
  return summarise(times, start);
}

function samplerMicro(V: number, settings: SamplingSettings) {
  const rng = createRng(1);
  // Gaussian logits (sd 2.5): a plausible spread for a language model's next-token logits.
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const logits = Float32Array.from({ length: V }, () => 2.5 * gauss());
  const ctx = createSamplerContext(Array.from({ length: 200 }, (_, i) => (i * 7919) % V));
  const n = V > 10_000 ? 200 : 3000;
  for (let i = 0; i < 20; i++) sampleStep(logits, ctx, settings, rng);
  // CPU time of this process: less disturbed than wall-clock time on a busy machine.
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) sampleStep(logits, ctx, settings, rng);
  return process.cpuUsage(t0).user / n;
}

async function main() {
  const dir = path.resolve(values["model-dir"]!);
  const model = await loadModel({ id: path.basename(dir), location: dir, localFilesOnly: true, dtype: values.dtype as Dtype });
  const endless: LoadedModel = { ...model, eosTokenIds: [] };
  const messages = [{ role: "user", content: values.prompt! }];
  const { ids } = preparePrompt(model, { messages });
  const greedy = { greedy: true, maxNewTokens: N };
  const sampled = { ...DEFAULT_SETTINGS, maxNewTokens: N };
  console.log(
    `model ${dir} (${model.dtype}, vocabulary ${model.vocabSize}); prompt ${ids.length} tokens; ${N} new tokens; ${reps} reps, ABBA order`,
  );

  // Warm-up: first runs pay for lazy initialisation (onnxruntime arenas, JIT).
  for (let i = 0; i < 2; i++) {
    await runPlain(model, ids);
    await runTraced(endless, messages, greedy);
  }

  const traced: Run[] = [];
  const plain: Run[] = [];
  const tracedSampled: Run[] = [];
  for (let r = 0; r < reps; r++) {
    const order = r % 2 === 0 ? ["plain", "traced", "sampled"] : ["sampled", "traced", "plain"];
    for (const which of order) {
      if (which === "plain") plain.push(await runPlain(model, ids));
      else if (which === "traced") traced.push(await runTraced(endless, messages, greedy));
      else tracedSampled.push(await runTraced(endless, messages, sampled));
    }
    const f = (x: Run) => `${x.tokensPerSecond.toFixed(0).padStart(6)} tok/s, TTFT ${x.ttftMs.toFixed(2).padStart(7)} ms`;
    console.log(`rep ${r + 1}: generate() ${f(plain[r])} | traced greedy ${f(traced[r])} | traced sampled ${f(tracedSampled[r])}`);
  }
  for (const runs of [traced, plain, tracedSampled]) {
    if (runs.some((x) => x.count !== N)) throw new Error(`a run produced ${runs.find((x) => x.count !== N)!.count} tokens, not ${N}`);
  }

  const m = (runs: Run[], k: keyof Run) => median(runs.map((x) => x[k]));
  console.log("\nmedians");
  console.log(`  generate() greedy:        ${m(plain, "tokensPerSecond").toFixed(1)} tok/s decode, TTFT ${m(plain, "ttftMs").toFixed(2)} ms`);
  console.log(`  traced loop greedy:       ${m(traced, "tokensPerSecond").toFixed(1)} tok/s decode, TTFT ${m(traced, "ttftMs").toFixed(2)} ms`);
  console.log(
    `  traced loop, sampling (T ${DEFAULT_SETTINGS.temperature}, top-k ${DEFAULT_SETTINGS.topK}, top-p ${DEFAULT_SETTINGS.topP}): ${m(tracedSampled, "tokensPerSecond").toFixed(1)} tok/s decode`,
  );
  // Each rep's own ratio too (its two runs are adjacent, so a drift of the machine touches both): the spread says how far to trust the median.
  const perRep = traced.map((t, r) => t.tokensPerSecond / plain[r]!.tokensPerSecond);
  console.log(
    `\nratio traced/generate() decode tokens/s (greedy): ${(m(traced, "tokensPerSecond") / m(plain, "tokensPerSecond")).toFixed(3)}  ` +
      `(per rep: median ${median(perRep).toFixed(3)}, ${Math.min(...perRep).toFixed(3)}–${Math.max(...perRep).toFixed(3)}; issue #13's goal ≥ 0.95)`,
  );
  console.log(`ratio traced/generate() TTFT (lower is better):  ${(m(traced, "ttftMs") / m(plain, "ttftMs")).toFixed(3)}`);

  console.log("\nsampler alone (sampleStep, µs per token)");
  for (const V of [model.vocabSize, 151_936]) {
    const g = samplerMicro(V, { ...DEFAULT_SETTINGS, greedy: true });
    const s = samplerMicro(V, DEFAULT_SETTINGS);
    const all = samplerMicro(V, { ...DEFAULT_SETTINGS, topK: 0, topP: 0.9, minP: 0.05, repetitionPenalty: 1.2 });
    console.log(`  vocabulary ${String(V).padStart(6)}: greedy ${g.toFixed(1)} µs, defaults ${s.toFixed(1)} µs, top-p 0.9 + min-p 0.05 + penalty (no top-k) ${all.toFixed(1)} µs`);
  }
  await model.dispose();
}

await main();
