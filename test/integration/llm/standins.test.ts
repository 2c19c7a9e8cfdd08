/**
 * The hub presets' offline stand-ins (scripts/lib/standins.ts; issue #14): random-weight models
 * with Qwen2.5-0.5B-Instruct's and SmolLM2's architectures and the real Qwen / Llama 3 tokenizers
 * and chat templates, loaded through the server's own path (GLASSBOX_MODEL_DIR → the `local`
 * registry entry → loadRegistryModel) exactly as a user's model folder would be:
 *  - the ONNX logits equal PyTorch's (reference-logits.json, from scripts/train/standins.py);
 *  - the chat template's special tokens are in the prompt, one token each, marked special;
 *  - the traced loop, sampler and trace work at 128k–152k logits per step, and replay with the
 *    same seed reproduces a sampled reply token for token; the 8-bit file loads and runs, and the
 *    4-bit one (MatMulNBits) gives logits that follow fp32's;
 *  - the tutor's prompt goes through the model's chat template, counted in its tokenizer;
 *  - scoring (the perplexity lab) runs over the 150k-token distribution;
 *  - `npm run generate -- --model local --chat --json --greedy` prints such a trace.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Tensor } from "@huggingface/transformers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTrace, preparePrompt } from "@/lib/llm/decode";
import { scoreText } from "@/lib/llm/score";
import type { LoadedModel } from "@/lib/llm/load";
import { resolveModel } from "@/lib/llm/registry";
import { loadRegistryModel } from "@/lib/llm/server/files";
import type { Trace } from "@/lib/llm/trace";
import { buildTutorPrompt } from "@/lib/tutor/prompt";
import { promptToolsFor, usesCourseLmFormat } from "@/lib/tutor/model-prompt";
import { standinDir, type StandinName } from "../../../scripts/lib/standins";

const TSX = path.resolve("node_modules/.bin/tsx");

interface Expected {
  vocabSize: number;
  /** The chat template's markers, each one special token. */
  markers: string[];
  template: RegExp;
}

const EXPECTED: Record<StandinName, Expected> = {
  "qwen2-standin": {
    vocabSize: 151936,
    markers: ["<|im_start|>", "<|im_end|>"],
    template: /^<\|im_start\|>system\nYou are Qwen, created by Alibaba Cloud\. You are a helpful assistant\.<\|im_end\|>\n<\|im_start\|>user\nWhat is a token\?<\|im_end\|>\n<\|im_start\|>assistant\n$/,
  },
  "llama-standin": {
    vocabSize: 128256,
    markers: ["<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"],
    template: /^<\|begin_of_text\|><\|start_header_id\|>user<\|end_header_id\|>\n\nWhat is a token\?<\|eot_id\|><\|start_header_id\|>assistant<\|end_header_id\|>\n\n$/,
  },
};

/** The last position's logits for the stand-in's reference ids. */
async function lastLogits(model: LoadedModel): Promise<Float32Array> {
  const { ids } = JSON.parse(fs.readFileSync(path.join(standinDirOf(model), "reference-logits.json"), "utf8")) as { ids: number[] };
  const n = ids.length;
  const outputs = (await model.model.forward({
    input_ids: new Tensor("int64", BigInt64Array.from(ids, BigInt), [1, n]),
    attention_mask: new Tensor("int64", new BigInt64Array(n).fill(1n), [1, n]),
    position_ids: new Tensor("int64", BigInt64Array.from(ids, (_, i) => BigInt(i)), [1, n]),
  })) as { logits: Tensor };
  const logits = outputs.logits.data as Float32Array;
  return logits.slice(logits.length - model.vocabSize);
}

const standinDirOf = (model: LoadedModel) => standinDir(model.vocabSize === 151936 ? "qwen2-standin" : "llama-standin");

function correlation(a: Float32Array, b: Float32Array): number {
  const mean = (x: Float32Array) => x.reduce((s, v) => s + v, 0) / x.length;
  const [ma, mb] = [mean(a), mean(b)];
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

for (const name of Object.keys(EXPECTED) as StandinName[]) {
  const expected = EXPECTED[name];
  describe(`${name} through the server's model path`, () => {
    const dir = standinDir(name);
    const entry = resolveModel("local", { localModelDir: dir });
    let fp32: LoadedModel;
    let q8: LoadedModel;
    beforeAll(async () => {
      fp32 = await loadRegistryModel(entry, { dtype: "fp32" });
      q8 = await loadRegistryModel(entry, { dtype: "q8" });
    });
    afterAll(async () => {
      await fp32?.dispose();
      await q8?.dispose();
    });

    it("loads with the preset's vocabulary, and its ONNX logits equal PyTorch's within 1e-4", async () => {
      expect(fp32.vocabSize).toBe(expected.vocabSize);
      expect(q8.dtype).toBe("q8");
      const reference = JSON.parse(fs.readFileSync(path.join(dir, "reference-logits.json"), "utf8")) as { ids: number[]; top_ids: number[]; top_logits: number[] };
      const last = await lastLogits(fp32);
      const top = [...last.keys()].sort((a, b) => last[b]! - last[a]!).slice(0, reference.top_ids.length);
      expect(top).toEqual(reference.top_ids);
      reference.top_ids.forEach((id, i) => expect(Math.abs(last[id]! - reference.top_logits[i]!)).toBeLessThan(1e-4));
    });

    it("its 4-bit file (the presets' default on the hub: MatMulNBits blocks) loads and its logits follow fp32's", async () => {
      const q4 = await loadRegistryModel(entry, { dtype: "q4" });
      try {
        expect(q4.dtype).toBe("q4");
        const [a, b] = [await lastLogits(fp32), await lastLogits(q4)];
        // 4-bit weights move each logit by a few tenths (random weights: the top tokens are close,
        // so their order changes); across the whole vocabulary the two agree closely.
        expect(correlation(a, b)).toBeGreaterThan(0.95);
      } finally {
        await q4.dispose();
      }
    });

    it("renders its chat template, with each marker one special token in the trace's prompt", async () => {
      const trace = await generateTrace({ model: fp32, messages: [{ role: "user", content: "What is a token?" }], settings: { greedy: true, maxNewTokens: 4 } });
      expect(trace.prompt.text).toMatch(expected.template);
      const specials = trace.prompt.tokens.filter((t) => t.special).map((t) => t.text);
      for (const marker of expected.markers) expect(specials).toContain(marker);
      expect(trace.vocabSize).toBe(expected.vocabSize);
      expect(trace.steps).toHaveLength(trace.finishReason === "length" ? 4 : trace.steps.length);
    });

    it("samples over the whole vocabulary with a full trace, and the same seed replays it token for token (fp32 and q8)", async () => {
      for (const model of [fp32, q8]) {
        const request = { model, messages: [{ role: "user", content: "Explain sampling." }], settings: { temperature: 1.5, topK: 0, topP: 1, seed: 11, maxNewTokens: 12 } };
        const first = await generateTrace(request);
        const again = await generateTrace(request);
        expect(again.steps.map((s) => s.tokenId)).toEqual(first.steps.map((s) => s.tokenId));
        for (const step of first.steps) {
          expect(step.kept.afterPenalties).toBe(expected.vocabSize); // nothing cut: every one of the 150k logits took part
          expect(step.candidates.length).toBeGreaterThan(0);
          for (const c of step.candidates) expect(c.id).toBeLessThan(expected.vocabSize);
        }
      }
    });

    it("scores a text as the perplexity lab does: every token after the first, at the model's own distribution", async () => {
      const text = "A token is a piece of text. Models read tokens.";
      const ids = fp32.tokenizer.encode(text, { add_special_tokens: true });
      const { trace, scoredTokens } = await scoreText(fp32, text);
      expect(scoredTokens).toBe(ids.length - 1);
      expect(trace.steps.map((s) => s.tokenId)).toEqual(ids.slice(1));
      for (const step of trace.steps) {
        expect(step.forced).toBe(true);
        expect(step.logprob).toBeLessThanOrEqual(0);
        expect(step.logprob).toBeGreaterThan(-Math.log(expected.vocabSize) - 40); // random weights: near-uniform, never absurd
      }
    });

    it("takes the tutor's prompt through its chat template, counted in its own tokenizer", () => {
      expect(usesCourseLmFormat(fp32)).toBe(false);
      const { tokenizer, format, contextLength } = promptToolsFor(fp32);
      const passage = { id: "04-tokens#what/0", kind: "lesson" as const, lessonSlug: "04-tokens", lessonTitle: "Tokens", sectionSlug: "what", heading: "What a token is", text: "A token is a piece of text the model reads as one unit.", href: "/learn/04-tokens#what" };
      const prompt = buildTutorPrompt({ question: "What is a token?", passages: [passage], history: [], tokenizer, format, contextLength });
      expect(prompt.format).toBe("chat");
      expect(prompt.passages).toHaveLength(1);
      const rendered = preparePrompt(fp32, { messages: prompt.messages });
      // The context meter's count is the real tokenizer's count of what decode() will run.
      expect(prompt.context.used).toBe(rendered.ids.length);
      expect(prompt.context.estimated).toBeUndefined();
      expect(rendered.text).toContain("[Tokens § What a token is] A token is a piece of text");
      for (const marker of expected.markers.slice(0, 2)) expect(rendered.text).toContain(marker);
    });
  });
}

describe("npm run generate with a stand-in as GLASSBOX_MODEL_DIR", () => {
  it("--model local --chat --json --greedy prints one trace with the 151k vocabulary and the chat template's tokens", async () => {
    const dir = standinDir("qwen2-standin");
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        TSX,
        ["scripts/generate.ts", "--model", "local", "--chat", "--json", "--greedy", "--max-new-tokens", "6", "--prompt", "What is a token?"],
        { cwd: process.cwd(), env: { ...process.env, GLASSBOX_MODEL_DIR: dir }, maxBuffer: 64 * 1024 * 1024 },
        (error, out, err) => resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout: out, stderr: err }),
      );
    });
    expect(code, stderr).toBe(0);
    const trace = JSON.parse(stdout) as Trace;
    expect(trace.model.id).toBe("local");
    expect(trace.vocabSize).toBe(151936);
    expect(trace.prompt.tokens.filter((t) => t.special).map((t) => t.text)).toEqual(["<|im_start|>", "<|im_end|>", "<|im_start|>", "<|im_end|>", "<|im_start|>"]);
    expect(trace.steps).toHaveLength(6);
    expect(trace.settings.greedy).toBe(true);
  });
});
