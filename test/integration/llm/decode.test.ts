/**
 * The decode loop against the real course-lm (public/models/course-lm), loaded exactly as
 * the server loads it (committed with the repository: a missing file fails these tests).
 * GLASSBOX_TEST_MODEL_DIR points the tests at another transformers.js folder.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tensor } from "@huggingface/transformers";
import { decode, forward, generateTrace, preparePrompt, PromptTooLongError, type DecodeEvent } from "@/lib/llm/decode";
import { loadModel, type LoadedModel } from "@/lib/llm/load";
import type { Trace } from "@/lib/llm/trace";
import { pipelineStages } from "@/lib/inspector/pipeline";

const MODEL_DIR = process.env.GLASSBOX_TEST_MODEL_DIR ?? path.resolve("public/models/course-lm");

const CHAT = [{ role: "user", content: "What is a token?" }];
const withoutTimings = (t: Trace) => ({ ...t, timings: null });

describe("decode loop on course-lm", () => {
  let model: LoadedModel;

  beforeAll(async () => {
    model = await loadModel({ id: "course-lm", location: MODEL_DIR, localFilesOnly: true, dtype: "fp32" });
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it("loads with what decoding needs", () => {
    expect(model.backend).toBe("node");
    expect(model.dtype).toBe("fp32");
    expect(model.eosTokenIds).toEqual(expect.arrayContaining([0, 5]));
    expect(model.contextLength).toBeGreaterThan(64);
    expect(model.vocabSize).toBeGreaterThanOrEqual(model.tokens.size);
  });

  it("KV-cache logits equal a full recomputation (within 1e-4) step after step", async () => {
    const { ids: promptIds } = preparePrompt(model, { messages: CHAT });
    const seq = [...promptIds];
    let step = await forward(model, promptIds, 0, null);
    let cache = step.cache;
    try {
      for (let i = 0; i < 6; i++) {
        const cached = Float32Array.from(step.logits);
        // Full recompute: the whole sequence, no cache, all positions' logits.
        const n = seq.length;
        const full = (await model.model.forward({
          input_ids: new Tensor("int64", BigInt64Array.from(seq.map(BigInt)), [1, n]),
          attention_mask: new Tensor("int64", new BigInt64Array(n).fill(1n), [1, n]),
          position_ids: new Tensor("int64", BigInt64Array.from({ length: n }, (_, j) => BigInt(j)), [1, n]),
        })) as { logits: Tensor };
        const V = full.logits.dims[2];
        const last = (full.logits.data as Float32Array).subarray((n - 1) * V, n * V);
        let maxDiff = 0;
        for (let j = 0; j < V; j++) maxDiff = Math.max(maxDiff, Math.abs(last[j] - cached[j]));
        expect(maxDiff, `step ${i}`).toBeLessThan(1e-4);
        // Continue greedily.
        let best = 0;
        for (let j = 1; j < V; j++) if (cached[j] > cached[best]) best = j;
        seq.push(best);
        step = await forward(model, [best], n, cache);
        cache = step.cache;
      }
    } finally {
      await cache.dispose();
    }
  });

  it("the trace's candidate logits are those of a full recomputation", async () => {
    const trace = await generateTrace({ model, messages: CHAT, settings: { greedy: true, maxNewTokens: 4 } });
    const seq = trace.prompt.tokens.map((t) => t.id);
    for (const s of trace.steps) {
      const n = seq.length;
      const out = (await model.model.forward({
        input_ids: new Tensor("int64", BigInt64Array.from(seq.map(BigInt)), [1, n]),
        attention_mask: new Tensor("int64", new BigInt64Array(n).fill(1n), [1, n]),
        position_ids: new Tensor("int64", BigInt64Array.from({ length: n }, (_, j) => BigInt(j)), [1, n]),
      })) as { logits: Tensor };
      const V = out.logits.dims[2];
      const data = out.logits.data as Float32Array;
      for (const c of s.candidates) expect(Math.abs(data[(n - 1) * V + c.id] - c.logit)).toBeLessThan(1e-4);
      seq.push(s.tokenId);
    }
  });

  it("greedy decoding equals transformers.js generate({ do_sample: false }) token for token", async () => {
    for (const input of [{ messages: CHAT }, { prompt: "The softmax function" }]) {
      const trace = await generateTrace({ model, ...input, settings: { greedy: true, maxNewTokens: 40 } });
      const ids = trace.prompt.tokens.map((t) => t.id);
      const out = (await model.model.generate({
        input_ids: new Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
        attention_mask: new Tensor("int64", new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
        max_new_tokens: 40,
        do_sample: false,
        repetition_penalty: 1,
      })) as Tensor;
      const theirs = Array.from(out.data as BigInt64Array, Number).slice(ids.length);
      expect(trace.steps.map((s) => s.tokenId)).toEqual(theirs);
      expect(trace.finishReason).toBe(theirs.length < 40 ? "eos" : trace.finishReason);
    }
  });

  it("same settings and seed ⇒ the same reply and an identical trace", async () => {
    const settings = { temperature: 0.9, topK: 40, topP: 0.95, minP: 0.02, repetitionPenalty: 1.1, seed: 1234, maxNewTokens: 30 };
    const a = await generateTrace({ model, messages: CHAT, settings });
    const b = await generateTrace({ model, messages: CHAT, settings });
    expect(a.steps.length).toBeGreaterThan(0);
    expect(b.reply.text).toBe(a.reply.text);
    expect(withoutTimings(b)).toEqual(withoutTimings(a));
    expect(JSON.stringify(withoutTimings(b))).toBe(JSON.stringify(withoutTimings(a)));
  });

  it("different seeds (usually) give different sampled replies", async () => {
    const replies = new Set<string>();
    for (const seed of [1, 2, 3, 4]) {
      const t = await generateTrace({ model, prompt: "A language model", settings: { temperature: 1, topK: 0, topP: 1, seed, maxNewTokens: 12 } });
      expect(t.steps.every((s) => s.u !== null && s.u >= 0 && s.u < 1)).toBe(true);
      replies.add(t.steps.map((s) => s.tokenId).join(","));
    }
    expect(replies.size).toBeGreaterThan(1);
  });

  it("an AbortSignal stops within one step, with finishReason aborted", async () => {
    const controller = new AbortController();
    const events: DecodeEvent[] = [];
    for await (const e of decode({ model, prompt: "Tokens", settings: { greedy: true, maxNewTokens: 50 }, signal: controller.signal })) {
      events.push(e);
      if (e.type === "step" && e.step.index === 2) controller.abort();
    }
    const done = events.at(-1)!;
    expect(done).toMatchObject({ type: "done", trace: { finishReason: "aborted" } });
    expect((done as Extract<DecodeEvent, { type: "done" }>).trace.steps).toHaveLength(3);
    expect(events.filter((e) => e.type === "step")).toHaveLength(3);
  });

  it("an already-aborted signal yields the prompt and an empty aborted trace", async () => {
    const trace = await generateTrace({ model, prompt: "Tokens", signal: AbortSignal.abort() });
    expect(trace.finishReason).toBe("aborted");
    expect(trace.steps).toHaveLength(0);
    expect(trace.prompt.tokens.length).toBeGreaterThan(0);
  });

  it("a caller that stops iterating ends the loop (no further forward passes, no error)", async () => {
    let steps = 0;
    for await (const e of decode({ model, prompt: "Tokens", settings: { greedy: true, maxNewTokens: 50 } })) {
      if (e.type === "step" && ++steps === 2) break;
    }
    expect(steps).toBe(2);
  });

  it("respects maxNewTokens", async () => {
    // The model may end a reply early (eos); it may never run past the bound.
    for (const maxNewTokens of [1, 3, 17]) {
      const t = await generateTrace({ model, prompt: "The", settings: { temperature: 1, topK: 0, topP: 1, seed: 9, maxNewTokens } });
      expect(t.steps.length).toBeLessThanOrEqual(maxNewTokens);
      if (t.finishReason === "length") expect(t.steps).toHaveLength(maxNewTokens);
      else expect(t.finishReason).toBe("eos");
    }
  });

  it("stops on <|end|> (an end-of-sequence id) and leaves it out of the reply text", async () => {
    const END = 5;
    // Two ordinary tokens, then <|end|>, imposed so the test does not depend on training.
    const words = preparePrompt(model, { prompt: " tokens are" }, false).ids.slice(0, 2);
    expect(words.some((id) => model.eosTokenIds.includes(id))).toBe(false);
    const forced = [...words, END];
    const t = await generateTrace({ model, messages: CHAT, settings: { greedy: true, maxNewTokens: 20 }, forcedTokens: forced });
    expect(t.finishReason).toBe("eos");
    expect(t.steps).toHaveLength(3);
    expect(t.steps[2]).toMatchObject({ tokenId: END, text: "<|end|>", special: true, forced: true });
    expect(t.reply.text).toBe(model.tokens.decode(forced.slice(0, 2)));
    expect(t.reply.text).not.toContain("<|end|>");
  });

  it("the model's own greedy chat reply ends with an end token (it is trained to end its turns)", async () => {
    // Measured on the shipped course-lm: the greedy reply to CHAT ends by itself after ~150 tokens.
    // A model that never learned to end its turn fails here ("length").
    const t = await generateTrace({ model, messages: CHAT, settings: { greedy: true, maxNewTokens: 256 } });
    expect(t.finishReason).toBe("eos");
    expect(model.eosTokenIds).toContain(t.steps.at(-1)!.tokenId);
    expect(t.reply.text).not.toContain("<|end|>");
  });

  it("stop strings end the reply and are cut from its text", async () => {
    // A fixed reply, imposed token by token, so the test does not depend on what the model would say.
    const forced = preparePrompt(model, { prompt: " reads the tokens and predicts the next one" }, false).ids;
    const settings = { greedy: true, maxNewTokens: 30 };
    const t = await generateTrace({ model, prompt: "The model", settings, forcedTokens: forced, stopStrings: ["predicts"] });
    expect(t.finishReason).toBe("stop");
    expect(t.stopString).toBe("predicts");
    expect(t.reply.text).toBe(" reads the tokens and ");
    // It stopped at the token that completed the stop string, not later.
    expect(model.tokens.decode(t.steps.map((s) => s.tokenId))).toContain("predicts");
    expect(model.tokens.decode(t.steps.slice(0, -1).map((s) => s.tokenId))).not.toContain("predicts");
  });

  it("stops at the model's context window (finishReason context) and rejects a prompt that fills it", async () => {
    const { ids } = preparePrompt(model, { prompt: "The model" });
    const small = { ...model, contextLength: ids.length + 3 };
    // Ordinary tokens imposed, so the reply cannot end by itself before the window is full.
    const forced = preparePrompt(model, { prompt: " reads the tokens and predicts the next one" }, false).ids;
    const t = await generateTrace({ model: small, prompt: "The model", settings: { greedy: true, maxNewTokens: 50 }, forcedTokens: forced });
    expect(t.finishReason).toBe("context");
    expect(ids.length + t.steps.length).toBe(small.contextLength);
    await expect(generateTrace({ model: { ...model, contextLength: ids.length }, prompt: "The model" })).rejects.toThrow(PromptTooLongError);
  });

  it("branching: forced tokens replay a prefix exactly, then a different choice continues", async () => {
    const settings = { temperature: 0.8, topK: 50, topP: 0.95, seed: 77, maxNewTokens: 12 };
    const a = await generateTrace({ model, messages: CHAT, settings });
    // Precondition (measured: this seed runs to maxNewTokens): enough steps to branch at step 3.
    expect(a.steps.length, "the sampled reply is long enough to branch").toBeGreaterThanOrEqual(5);
    // Replay all of A: same tokens, same numbers.
    const replay = await generateTrace({ model, messages: CHAT, settings, forcedTokens: a.steps.map((s) => s.tokenId) });
    expect(replay.steps.map((s) => s.tokenId)).toEqual(a.steps.map((s) => s.tokenId));
    expect(replay.steps.map((s) => s.candidates)).toEqual(a.steps.map((s) => s.candidates));
    // Branch at step 3 with the best candidate A did not pick.
    const alt = a.steps[3].candidates.find((c) => c.id !== a.steps[3].tokenId)!.id;
    const b = await generateTrace({
      model,
      messages: CHAT,
      settings,
      forcedTokens: new Map([[0, a.steps[0].tokenId], [1, a.steps[1].tokenId], [2, a.steps[2].tokenId], [3, alt]]),
    });
    expect(b.steps.slice(0, 3).map((s) => s.candidates)).toEqual(a.steps.slice(0, 3).map((s) => s.candidates));
    expect(b.steps[3]).toMatchObject({ tokenId: alt, forced: true, u: null });
    expect(b.steps[4]?.forced).toBeUndefined();
  });

  it("prompt tokens are byte-faithful and mark special tokens", async () => {
    const t = await generateTrace({ model, messages: [{ role: "user", content: "emoji 🙂 ok" }], settings: { greedy: true, maxNewTokens: 1 } });
    // The chat template starts with bos_token (<|endoftext|>), as every training document did.
    expect(t.prompt.tokens[0]).toMatchObject({ text: "<|endoftext|>", special: true });
    expect(t.prompt.tokens[1]).toMatchObject({ text: "<|user|>", special: true });
    const joined = t.prompt.tokens.map((x) => x.text).join("");
    expect(joined.startsWith("<|endoftext|><|user|>emoji ")).toBe(true);
    for (const tok of t.prompt.tokens) if (tok.bytes) expect(tok.text).toMatch(/<0x[0-9A-F]{2}>/);
  });

  it("the quantized variant also decodes and says so in the trace", async () => {
    const q8 = ["_quantized", "_int8"].find((s) => existsSync(path.join(MODEL_DIR, "onnx", `model${s}.onnx`)));
    expect(q8, "course-lm ships an 8-bit variant").toBeDefined();
    const m = await loadModel({ id: "course-lm", location: MODEL_DIR, localFilesOnly: true, dtype: q8 === "_int8" ? "int8" : "q8" });
    try {
      const t = await generateTrace({ model: m, messages: CHAT, settings: { greedy: true, maxNewTokens: 8 } });
      expect(t.model.dtype).toBe(q8 === "_int8" ? "int8" : "q8");
      expect(t.steps.length).toBeGreaterThan(0);
    } finally {
      await m.dispose();
    }
  });

  it("copy stage: recorded per step, shown as a pipeline stage, and reproduced exactly by a replay", async () => {
    // A prompt with a sentence to quote; the reply is forced to start quoting it, then sampled.
    const prompt = "<|endoftext|><|context|>Temperature divides the logits before the softmax.<|end|>\n<|user|>what does temperature do?<|end|>\n<|assistant|>";
    const start = model.tokenizer.encode("Temperature divides", { add_special_tokens: false });
    const settings = { temperature: 0.7, seed: 3, maxNewTokens: 12, copyBoost: 6 };
    const trace = await generateTrace({ model, prompt, addSpecialTokens: false, settings, forcedTokens: start });
    expect(trace.settings.copyBoost).toBe(6);
    // After the forced start the stage matched the quote and favoured its next token.
    const afterStart = trace.steps[start.length];
    expect(afterStart.copy?.matched).toBeGreaterThanOrEqual(2);
    expect(afterStart.copy?.boosted.length).toBeGreaterThan(0);
    const boosted = afterStart.candidates.filter((c) => c.copyBonus !== undefined);
    expect(boosted.every((c) => c.copyBonus === 6 && afterStart.copy!.boosted.includes(c.id))).toBe(true);
    expect(trace.steps.every((s) => s.copy !== undefined)).toBe(true);
    const stages = pipelineStages(trace, start.length).map((s) => s.id);
    expect(stages.slice(0, 4)).toEqual(["raw", "penalties", "copy", "temperature"]);
    // Replay: the same settings and seed give the same reply, token for token.
    const again = await generateTrace({ model, prompt, addSpecialTokens: false, settings, forcedTokens: start });
    expect(again.steps.map((s) => s.tokenId)).toEqual(trace.steps.map((s) => s.tokenId));
    expect(again.steps.map((s) => s.copy)).toEqual(trace.steps.map((s) => s.copy));
    // Off: no copy field, no stage.
    const off = await generateTrace({ model, prompt, addSpecialTokens: false, settings: { ...settings, copyBoost: 0 }, forcedTokens: start });
    expect(off.steps.some((s) => s.copy !== undefined)).toBe(false);
    expect(pipelineStages(off, start.length).map((s) => s.id)).not.toContain("copy");
  });

  it("quote stage: the reply is whole passage sentences, recorded per step, reproduced exactly by a replay", async () => {
    const passage = "[Temperature § Why] Temperature divides every logit by the same number T. A low temperature sharpens the distribution around the favourite. The chart below shows it.";
    const prompt = `<|endoftext|><|context|>${passage}<|end|>\n<|user|>what does temperature do?<|end|>\n<|assistant|>`;
    const quotable = ["Temperature divides every logit by the same number T.", "A low temperature sharpens the distribution around the favourite."];
    const settings = { temperature: 1, topK: 0, topP: 1, seed: 11, maxNewTokens: 60, quote: true };
    for (const seed of [11, 12, 13]) {
      const trace = await generateTrace({ model, prompt, addSpecialTokens: false, settings: { ...settings, seed } });
      // Every reply is one or both quotable sentences (never "The chart below…", never a made-up one), then the end.
      const reply = trace.steps.filter((s) => !model.eosTokenIds.includes(s.tokenId)).map((s) => s.text).join("").trim();
      const parts = reply.split(/(?<=\.)\s+/);
      expect(parts.length).toBeGreaterThan(0);
      for (const part of parts) expect(quotable).toContain(part);
      expect(new Set(parts).size).toBe(parts.length);
      expect(trace.finishReason).toBe("eos");
      expect(trace.steps.every((s) => s.quote !== undefined && s.quote.allowed.includes(s.tokenId))).toBe(true);
      // Whatever it removed is recorded as removed by the stage, with nothing of the draw.
      for (const step of trace.steps) for (const c of step.candidates) if (!step.quote!.allowed.includes(c.id)) expect(c).toMatchObject({ removedBy: "quote", probFinal: 0 });
      expect(pipelineStages(trace, 0).map((s) => s.id).slice(0, 4)).toEqual(["raw", "penalties", "quote", "temperature"]);
      const again = await generateTrace({ model, prompt, addSpecialTokens: false, settings: { ...settings, seed } });
      expect(again.steps.map((s) => s.tokenId)).toEqual(trace.steps.map((s) => s.tokenId));
    }
    // Off: the same prompt, no stage and nothing recorded.
    const off = await generateTrace({ model, prompt, addSpecialTokens: false, settings: { ...settings, quote: false } });
    expect(off.steps.some((s) => s.quote !== undefined)).toBe(false);
  });

  it("quote stage: a common question's answer (a passage labelled with a question) is quoted whole — the end token is removed until its last sentence — and replayed exactly", async () => {
    const answer = "Temperature divides every logit by the same number T. A low temperature sharpens the distribution around the favourite. A high temperature flattens it towards uniform.";
    const prompt = `<|endoftext|><|context|>[Temperature § What does temperature do?] ${answer}<|end|>\n<|user|>what does temperature do?<|end|>\n<|assistant|>`;
    const settings = { temperature: 1, topK: 0, topP: 1, maxNewTokens: 120, quote: true };
    for (const seed of [21, 22]) {
      const trace = await generateTrace({ model, prompt, addSpecialTokens: false, settings: { ...settings, seed } });
      const reply = trace.steps.filter((s) => !model.eosTokenIds.includes(s.tokenId)).map((s) => s.text).join("").trim();
      expect(reply).toBe(answer);
      expect(trace.finishReason).toBe("eos");
      // Before the last sentence ends, no step allowed an end token; after it, the end was allowed and taken.
      const last = trace.steps.length - 1;
      for (const step of trace.steps.slice(0, last)) expect(model.eosTokenIds.some((id) => step.quote!.allowed.includes(id))).toBe(false);
      expect(trace.steps[last]!.quote!.allowed).toContain(trace.steps[last]!.tokenId);
      const again = await generateTrace({ model, prompt, addSpecialTokens: false, settings: { ...settings, seed } });
      expect(again.steps.map((s) => s.tokenId)).toEqual(trace.steps.map((s) => s.tokenId));
    }
  });
});
