/**
 * course-lm's shipped files (public/models/course-lm), loaded by transformers.js in Node exactly
 * as the app loads them:
 *  - the tokenizer loads, round-trips, keeps the special tokens at ids 0..5, and its chat
 *    template renders the same string the corpus was trained on;
 *  - the ONNX logits equal PyTorch's reference logits (saved by scripts/train/export.py);
 *  - decoding with the KV cache equals full recomputation, and left padding changes nothing;
 *  - the 8-bit file agrees with fp32 on the top-1 token for a fixed set of prompts;
 *  - config.json agrees with the ONNX graph, and the folder fits the size budget.
 */
import fs from "node:fs";
import path from "node:path";
import { Tensor, type PreTrainedModel, type PreTrainedTokenizer } from "@huggingface/transformers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromTransformersTokenizer } from "../../lib/tutor/tokenizer.ts";
import { promptedDialogue, renderChat, renderTurns, tutorMessages, tutorPrompt } from "../../scripts/train/format.ts";
import { argmax, COURSE_LM_DIR, loadModel, loadTokenizer, step } from "../../scripts/train/lm.ts";
import { planAsTutor } from "../../scripts/train/tutor-prompt.ts";
import { getFaq } from "../../lib/course/faqs.ts";
import { getLessons } from "../../lib/course/lessons.ts";
import { TUTOR_MAX_NEW_TOKENS } from "../../lib/tutor/settings.ts";

const dir = COURSE_LM_DIR;
const readJson = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));

let tokenizer: PreTrainedTokenizer;
let fp32: PreTrainedModel;
let q8: PreTrainedModel;

beforeAll(async () => {
  tokenizer = await loadTokenizer();
  fp32 = await loadModel(dir, "fp32");
  q8 = await loadModel(dir, "q8");
});
afterAll(async () => {
  await fp32?.dispose();
  await q8?.dispose();
});

const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false });
const lastRow = (r: { logits: Float32Array; vocab: number }) => r.logits.subarray(r.logits.length - r.vocab);

describe("course-lm tokenizer", () => {
  it("every common question's answer fits the tutor's reply room, so a whole-answer quote is never cut", () => {
    const lengths = getLessons().flatMap((l) => (getFaq(l.slug)?.questions ?? []).map((q) => ({ id: `${l.slug}/${q.id}`, tokens: encode(q.answer).length })));
    expect(lengths.length).toBeGreaterThan(500);
    // +1: the reply ends with <|end|>.
    expect(lengths.filter((l) => l.tokens + 1 > TUTOR_MAX_NEW_TOKENS)).toEqual([]);
  });

  it("round-trips text exactly", () => {
    const texts = [
      "Hello world! This is tokenization.",
      "  two spaces,\ttabs\tand\nnew\n\nlines   ",
      "Unbelievable! 🤖 costs $4.99 — naïve café",
      "分词器 トークン 토큰",
      "PPL = exp(−(1/N) Σ log P(x_t | x_<t)) ≤ ∞, α·β ∈ ℝ",
    ];
    for (const text of texts) expect(tokenizer.decode(encode(text))).toBe(text);
  });

  it("keeps the special tokens at ids 0..5, each one token", () => {
    const specials = ["<|endoftext|>", "<|system|>", "<|user|>", "<|assistant|>", "<|context|>", "<|end|>"];
    specials.forEach((t, id) => expect(encode(t)).toEqual([id]));
  });

  it("chat template renders exactly the training format", () => {
    const messages = tutorMessages("what is a token?", "[Tokens § Models read pieces] A token is a piece of text.", "You are a tutor.");
    const viaTemplate = tokenizer.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }) as string;
    expect(viaTemplate).toBe(renderChat(messages, true));
    expect(tutorPrompt("what is a token?")).toBe("<|endoftext|><|user|>what is a token?<|end|>\n<|assistant|>");
  });

  it("a grounded training document is the app's prompt, token for token, then the answer", () => {
    // scripts/train/grounded.ts: the tutor's own prompt builder, then the copied answer.
    const plan = planAsTutor("What does temperature do to the next-token distribution?", fromTransformersTokenizer(tokenizer), 512);
    if (plan.kind !== "generate" || plan.prompt.text === undefined) throw new Error("expected the tutor to retrieve passages for a temperature question");
    expect(plan.prompt.passages.length).toBeGreaterThan(0);
    const answer = "Temperature divides the logits before the softmax.";
    const doc = promptedDialogue(plan.prompt.text, answer);
    // The same turn format as a hand-written dialogue …
    expect(doc).toBe(renderTurns([...plan.prompt.messages, { role: "assistant", content: answer }]));
    // … and, after the <|endoftext|> the corpus puts before every document, it starts with
    // exactly the ids the app generates from.
    const prompted = encode(plan.prompt.text);
    expect(encode("<|endoftext|>" + doc).slice(0, prompted.length)).toEqual(prompted);
  });
});

describe("course-lm ONNX model", () => {
  it("config.json matches the graph and names what transformers.js needs", () => {
    const config = readJson("config.json");
    const generation = readJson("generation_config.json");
    expect(config.model_type).toBe("llama");
    expect(config["transformers.js_config"]).toEqual({ dtype: "fp32" });
    expect(config.hidden_size / config.num_attention_heads).toBe(config.head_dim);
    expect(generation.eos_token_id).toEqual([5, 0]);
    const session = (fp32 as unknown as { sessions: Record<string, { inputNames: string[]; outputNames: string[] }> }).sessions.model;
    const layers = session.inputNames.filter((n) => /^past_key_values\.\d+\.key$/.test(n)).length;
    expect(layers).toBe(config.num_hidden_layers);
    expect(session.outputNames[0]).toBe("logits");
  });

  it("ONNX logits equal PyTorch's reference logits (max abs diff < 1e-4)", async () => {
    const ref = readJson("reference-logits.json");
    expect(encode(ref.prompt)).toEqual(ref.ids); // the tokenizer has not changed under the model
    const r = await step(fp32, ref.ids, null);
    expect(r.vocab).toBe(ref.vocab_size);
    let maxDiff = 0;
    ref.positions.forEach((p: { argmax: number; max: number; mean: number; logsumexp: number; sample: number[] }, t: number) => {
      const row = r.logits.subarray(t * r.vocab, (t + 1) * r.vocab);
      let mx = -Infinity, sum = 0;
      for (const v of row) { mx = Math.max(mx, v); sum += v; }
      let se = 0;
      for (const v of row) se += Math.exp(v - mx);
      const diffs = [mx - p.max, sum / r.vocab - p.mean, mx + Math.log(se) - p.logsumexp, ...p.sample.map((v, j) => row[ref.sample_columns[j]] - v)];
      for (const d of diffs) maxDiff = Math.max(maxDiff, Math.abs(d));
      expect(argmax(row)).toBe(p.argmax);
    });
    const last = lastRow(r);
    ref.last.top_ids.forEach((id: number, j: number) => (maxDiff = Math.max(maxDiff, Math.abs(last[id] - ref.last.top_logits[j]))));
    console.log(`ONNX vs PyTorch: max abs diff ${maxDiff.toExponential(2)} over ${ref.ids.length} positions`);
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it("KV-cache decoding equals full recomputation", async () => {
    const ids = encode(tutorPrompt("How does the KV cache save work during generation?"));
    const full = await step(fp32, ids, null);
    // Prefill half the prompt, then feed the rest one token at a time through the cache.
    const split = Math.floor(ids.length / 2);
    let r = await step(fp32, ids.slice(0, split), null);
    let maxDiff = 0;
    for (let t = split; t < ids.length; t++) {
      r = await step(fp32, [ids[t]], r.cache, r.length);
      const want = full.logits.subarray(t * full.vocab, (t + 1) * full.vocab);
      for (let i = 0; i < full.vocab; i++) maxDiff = Math.max(maxDiff, Math.abs(r.logits[i] - want[i]));
    }
    console.log(`KV cache vs recompute: max abs diff ${maxDiff.toExponential(2)} over ${ids.length - split} steps`);
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it("left padding in a batch does not change a sequence's logits", async () => {
    const a = encode(tutorPrompt("What is top-p sampling?"));
    const b = a.slice(0, 6);
    const pad = a.length - b.length;
    const n = a.length;
    const int64 = (xs: number[]) => BigInt64Array.from(xs.map(BigInt));
    const out = (await fp32({
      input_ids: new Tensor("int64", int64([...a, ...Array(pad).fill(0), ...b]), [2, n]),
      attention_mask: new Tensor("int64", int64([...Array(n).fill(1), ...Array(pad).fill(0), ...Array(b.length).fill(1)]), [2, n]),
      position_ids: new Tensor("int64", int64([...a.map((_, i) => i), ...Array(pad).fill(0), ...b.map((_, i) => i)]), [2, n]),
    })) as Record<string, Tensor>;
    const logits = out.logits.data as Float32Array;
    const V = out.logits.dims[2];
    const alone = await step(fp32, b, null);
    let maxDiff = 0;
    for (let t = 0; t < b.length; t++)
      for (let i = 0; i < V; i++) maxDiff = Math.max(maxDiff, Math.abs(logits[(n + pad + t) * V + i] - alone.logits[t * V + i]));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it("the 8-bit variant agrees with fp32 on the top-1 token", async () => {
    const prompts = [
      tutorPrompt("what is a token?"),
      tutorPrompt("Why does BPE merge the most frequent pair?"),
      tutorPrompt("how does temperature change the distribution"),
      tutorPrompt("What is perplexity?"),
      tutorPrompt("whats the diference between top-k and top-p"),
      tutorPrompt("Why is the KV cache useful?", "[The KV cache § Intuition] Each step reuses the keys and values of earlier tokens."),
      "<|endoftext|># Tokens\n\n## Models read pieces, not words\n\nAn LLM never sees",
      "<|endoftext|>Quiz: Temperature\n\nQuestion: What happens when the temperature",
      "The model predicts the next",
      "Greedy decoding always picks the token with the highest",
      "An embedding is a vector of",
      "<|endoftext|><|user|>hi<|end|>\n<|assistant|>",
    ];
    let agree = 0;
    const misses: string[] = [];
    for (const text of prompts) {
      const ids = encode(text);
      const a = lastRow(await step(fp32, ids, null));
      const b = lastRow(await step(q8, ids, null));
      const top = argmax(a);
      // A near-tie in fp32 (top two within 0.05) can flip under 8-bit rounding without the
      // model being wrong; count it separately rather than failing on it.
      const second = Math.max(...Array.from(a).filter((_, i) => i !== top));
      if (argmax(b) === top) agree++;
      else if (a[top] - second >= 0.05) misses.push(JSON.stringify(text));
    }
    console.log(`q8 vs fp32 top-1: ${agree}/${prompts.length} agree`);
    expect(misses).toEqual([]);
    expect(agree).toBeGreaterThanOrEqual(prompts.length - 1);
  });

  it("what a page downloads to run course-lm fits 25 MB; with the internals graph (fetched only when asked for) the folder fits 40 MB", () => {
    const files: { path: string; size: number }[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else files.push({ path: p, size: fs.statSync(p).size });
      }
    };
    walk(dir);
    const total = files.reduce((n, f) => n + f.size, 0);
    const everyday = files.filter((f) => !f.path.endsWith("model_internals.onnx")).reduce((n, f) => n + f.size, 0);
    console.log(`${path.relative(process.cwd(), dir)}: ${(everyday / 1e6).toFixed(1)} MB, ${(total / 1e6).toFixed(1)} MB with the internals graph`);
    expect(everyday).toBeLessThanOrEqual(25e6);
    expect(total).toBeLessThanOrEqual(40e6);
  });
});
