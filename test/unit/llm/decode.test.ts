/**
 * The decode loop's own logic — events, stopping rules, forcing, timings — on a fake
 * model whose logits are a known function of the last token (a "bigram" model), so every
 * reply is predictable without any model files. The real model is in
 * test/integration/llm/decode.test.ts.
 */
import { describe, expect, it } from "vitest";
import { Tensor } from "@huggingface/transformers";
import { decode, generateTrace, preparePrompt, PromptTooLongError, type DecodeEvent } from "@/lib/llm/decode";
import type { LoadedModel } from "@/lib/llm/load";
import { TokenTable } from "@/lib/llm/tokens";

// Vocabulary: 0 = <eos>, 1..9 = the letters a..i. The fake model strongly predicts
// last + 1 (and <eos> after "i"), with a little mass on everything else.
const VOCAB = ["<eos>", "a", "b", "c", "d", "e", "f", "g", "h", "i"];
const V = VOCAB.length;

function fakeModel(overrides: Partial<LoadedModel> = {}): LoadedModel & { calls: { ids: number[]; positions: number[]; past: number }[] } {
  const calls: { ids: number[]; positions: number[]; past: number }[] = [];
  const tokenizer = {
    get_vocab: () => new Map(VOCAB.map((t, i) => [t, i])),
    all_special_ids: [0],
    encode: (text: string) => [...text].map((ch) => VOCAB.indexOf(ch)).filter((i) => i > 0),
    decode: (ids: number[]) => ids.map((i) => VOCAB[i]).join(""),
    apply_chat_template: (messages: { role: string; content: string }[]) => messages.map((m) => m.content).join(""),
    _tokenizerJSON: { decoder: { type: "ByteLevel" } },
  };
  const model = {
    async forward(inputs: Record<string, unknown>) {
      const ids = Array.from((inputs.input_ids as Tensor).data as BigInt64Array, Number);
      const positions = Array.from((inputs.position_ids as Tensor).data as BigInt64Array, Number);
      const cache = inputs.past_key_values as Record<string, Tensor> | undefined;
      const past = cache ? cache["past_key_values.0.key"].dims[2] : 0;
      calls.push({ ids, positions, past });
      const n = ids.length;
      const logits = new Float32Array(n * V);
      for (let r = 0; r < n; r++) {
        const next = ids[r] === 9 ? 0 : ids[r] + 1;
        for (let j = 0; j < V; j++) logits[r * V + j] = j === next ? 5 : 0;
      }
      const total = past + n;
      return {
        logits: new Tensor("float32", logits, [1, n, V]),
        "present.0.key": new Tensor("float32", new Float32Array(total), [1, 1, total, 1]),
        "present.0.value": new Tensor("float32", new Float32Array(total), [1, 1, total, 1]),
      };
    },
  };
  const loaded = {
    id: "fake",
    revision: "test",
    dtype: "fp32",
    device: "cpu",
    backend: "node",
    model,
    tokenizer,
    tokens: new TokenTable(tokenizer),
    eosTokenIds: [0],
    contextLength: 64,
    vocabSize: V,
    dispose: async () => {},
    calls,
    ...overrides,
  };
  return loaded as unknown as LoadedModel & { calls: typeof calls };
}

const greedy = { greedy: true, maxNewTokens: 20 };

describe("decode loop (fake bigram model)", () => {
  it("prefills the prompt once, then feeds one token per step at the right position", async () => {
    const m = fakeModel();
    const t = await generateTrace({ model: m, prompt: "abc", settings: greedy });
    expect(t.steps.map((s) => s.text).join("")).toBe("defghi<eos>");
    expect(t.finishReason).toBe("eos");
    expect(t.reply.text).toBe("defghi");
    expect(m.calls[0]).toEqual({ ids: [1, 2, 3], positions: [0, 1, 2], past: 0 });
    expect(m.calls[1]).toEqual({ ids: [4], positions: [3], past: 3 });
    expect(m.calls[6]).toEqual({ ids: [9], positions: [8], past: 8 });
    expect(m.calls).toHaveLength(7); // no forward pass after the final <eos>
  });

  it("yields prompt, then one step per token, then done with the trace", async () => {
    const events: DecodeEvent[] = [];
    for await (const e of decode({ model: fakeModel(), messages: [{ role: "user", content: "gh" }], settings: greedy })) events.push(e);
    expect(events.map((e) => e.type)).toEqual(["prompt", "step", "step", "done"]);
    const first = events[0];
    if (first.type !== "prompt") throw new Error();
    expect(first.prompt.tokens).toEqual([{ id: 7, text: "g" }, { id: 8, text: "h" }]);
    expect(first.model).toEqual({ id: "fake", revision: "test", dtype: "fp32", backend: "node" });
    const done = events[3];
    if (done.type !== "done") throw new Error();
    expect(done.trace.steps[1]).toMatchObject({ index: 1, tokenId: 0, text: "<eos>", special: true, rank: 0, u: null });
    expect(done.trace.timings.prefillMs).toBeGreaterThanOrEqual(0);
    expect(done.trace.vocabSize).toBe(V);
  });

  it("stops at maxNewTokens with finishReason length", async () => {
    const t = await generateTrace({ model: fakeModel(), prompt: "a", settings: { greedy: true, maxNewTokens: 3 } });
    expect(t.steps.map((s) => s.text)).toEqual(["b", "c", "d"]);
    expect(t.finishReason).toBe("length");
  });

  it("stops on a stop string and cuts it from the reply text", async () => {
    const t = await generateTrace({ model: fakeModel(), prompt: "a", settings: greedy, stopStrings: ["xx", "de"] });
    expect(t.steps.map((s) => s.text)).toEqual(["b", "c", "d", "e"]);
    expect(t).toMatchObject({ finishReason: "stop", stopString: "de", reply: { text: "bc" } });
  });

  it("stops when prompt + reply fill the context window", async () => {
    const t = await generateTrace({ model: fakeModel({ contextLength: 5 }), prompt: "ab", settings: greedy });
    expect(t.steps).toHaveLength(3);
    expect(t.finishReason).toBe("context");
    await expect(generateTrace({ model: fakeModel({ contextLength: 2 }), prompt: "ab" })).rejects.toBeInstanceOf(PromptTooLongError);
  });

  it("forced tokens: array prefix or step map; the loop continues from them", async () => {
    const a = await generateTrace({ model: fakeModel(), prompt: "a", settings: { greedy: true, maxNewTokens: 4 }, forcedTokens: [5] });
    expect(a.steps.map((s) => s.text)).toEqual(["e", "f", "g", "h"]);
    // rank 5: token 2 (logit 5) and the tied tokens 0, 1, 3, 4 (lower ids) come first.
    expect(a.steps[0]).toMatchObject({ forced: true, rank: 5 });
    expect(a.steps[1].forced).toBeUndefined();
    const b = await generateTrace({ model: fakeModel(), prompt: "a", settings: { greedy: true, maxNewTokens: 4 }, forcedTokens: { 2: 1 } });
    expect(b.steps.map((s) => s.text)).toEqual(["b", "c", "a", "b"]);
  });

  it("abort: stops within one step", async () => {
    const controller = new AbortController();
    const m = fakeModel();
    const steps: number[] = [];
    let trace;
    for await (const e of decode({ model: m, prompt: "a", settings: greedy, signal: controller.signal })) {
      if (e.type === "step") {
        steps.push(e.step.index);
        if (e.step.index === 1) controller.abort();
      }
      if (e.type === "done") trace = e.trace;
    }
    expect(steps).toEqual([0, 1]);
    expect(trace!.finishReason).toBe("aborted");
    expect(m.calls).toHaveLength(2); // prefill + the forward pass for step 1; none after the abort
  });

  it("same seed ⇒ identical trace; sampling draws one u per step", async () => {
    const settings = { temperature: 1.5, topK: 0, topP: 1, seed: 42, maxNewTokens: 8 };
    const a = await generateTrace({ model: fakeModel(), prompt: "a", settings });
    const b = await generateTrace({ model: fakeModel(), prompt: "a", settings });
    expect({ ...b, timings: 0 }).toEqual({ ...a, timings: 0 });
    expect(a.steps.every((s) => typeof s.u === "number")).toBe(true);
  });

  it("validates settings and inputs", async () => {
    await expect(generateTrace({ model: fakeModel(), prompt: "a", settings: { topP: 0 } })).rejects.toThrow(/topP must be/);
    await expect(generateTrace({ model: fakeModel(), prompt: "" })).rejects.toThrow(/empty/);
    await expect(generateTrace({ model: fakeModel(), messages: [] })).rejects.toThrow(/messages/);
    expect(preparePrompt(fakeModel(), { prompt: "abc" })).toEqual({ text: "abc", ids: [1, 2, 3] });
  });
});
