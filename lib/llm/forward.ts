/**
 * One forward pass of a causal language model through transformers.js, with its KV cache:
 * the only place the decode loop (./decode.ts) and the step batcher (./batch.ts) call the
 * model. Isomorphic.
 */
import { DynamicCache, Tensor } from "@huggingface/transformers";
import type { LoadedModel } from "./load.ts";

/**
 * One forward pass: `ids` at positions [past, past + ids.length), attending to the cache
 * (null: nothing before them). Returns the logits of the last position (a view into the
 * output tensor: copy it if you keep it past the next call) and the cache extended by
 * these positions, and the pass's raw outputs. Exported for lesson demos (e.g. "the next-token distribution for this
 * prompt") and for tests; the caller owns the cache and should `await cache.dispose()`.
 */
export async function forward(
  model: LoadedModel,
  ids: readonly number[],
  past: number,
  cache: DynamicCache | null,
): Promise<{ logits: Float32Array; cache: DynamicCache; outputs: Record<string, Tensor> }> {
  const n = ids.length;
  const total = past + n;
  const inputIds = new BigInt64Array(n);
  const positions = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    inputIds[i] = BigInt(ids[i]);
    positions[i] = BigInt(past + i);
  }
  const inputs: Record<string, unknown> = {
    input_ids: new Tensor("int64", inputIds, [1, n]),
    // All ones: one sequence, no padding. Position ids are explicit so the model's RoPE
    // angles do not depend on how transformers.js would infer them.
    attention_mask: new Tensor("int64", new BigInt64Array(total).fill(1n), [1, total]),
    position_ids: new Tensor("int64", positions, [1, n]),
    // Exports that accept it compute logits for the last position only (saves
    // prompt × vocabulary floats on the prefill); others ignore the extra input.
    num_logits_to_keep: new Tensor("int64", BigInt64Array.of(1n), []),
  };
  if (cache) inputs.past_key_values = cache;
  const outputs = (await model.model.forward(inputs)) as Record<string, Tensor>;

  // present.* (this pass's full keys/values) becomes next pass's past_key_values.*.
  const entries: Record<string, Tensor> = {};
  for (const name in outputs) {
    if (name.startsWith("present")) entries[name.replace("present", "past_key_values")] = outputs[name];
  }
  if (cache) cache.update(entries); // disposes replaced GPU-resident tensors (WebGPU)
  else cache = new DynamicCache(entries);

  let logitsTensor = outputs.logits;
  if (logitsTensor.type !== "float32") logitsTensor = logitsTensor.to("float32"); // fp16 models
  const dims = logitsTensor.dims;
  const vocab = dims[dims.length - 1];
  const rows = logitsTensor.data.length / vocab;
  // A view of the last row: no copy (the sampler copies it once into its working array).
  const logits = (logitsTensor.data as Float32Array).subarray((rows - 1) * vocab, rows * vocab);
  if (logitsTensor.location === "gpu-buffer") logitsTensor.dispose();
  // Every output of the pass: an internals graph's attention and logit lens are read from here (./internals.ts).
  return { logits, cache, outputs };
}
