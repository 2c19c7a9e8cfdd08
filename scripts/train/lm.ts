// Small helpers for the training scripts and the course-lm checks: load the shipped tokenizer
// and model with transformers.js (exactly as the app does, from the folder, offline) and run
// the model's forward pass with an explicit KV cache.
//
// Deliberately independent of lib/llm (the app's decode loop and sampler): these checks verify
// the exported files themselves, so they call the ONNX session with nothing in between.
import path from "node:path";
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  Tensor,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from "@huggingface/transformers";

env.allowRemoteModels = false; // never touch the network: everything needed is in the folder

/** The shipped model; COURSE_LM_DIR points the checks and eval at a freshly built copy instead. */
export const COURSE_LM_DIR = path.resolve(process.env.COURSE_LM_DIR ?? path.join(import.meta.dirname, "../../public/models/course-lm"));

export async function loadTokenizer(dir = COURSE_LM_DIR): Promise<PreTrainedTokenizer> {
  return AutoTokenizer.from_pretrained(path.resolve(dir), { local_files_only: true });
}

export type Dtype = "fp32" | "q8";

export async function loadModel(dir = COURSE_LM_DIR, dtype: Dtype = "fp32"): Promise<PreTrainedModel> {
  return AutoModelForCausalLM.from_pretrained(path.resolve(dir), { local_files_only: true, dtype, device: "cpu" });
}

/** The keys/values of every position processed so far, as the ONNX inputs want them. */
export type Cache = Record<string, Tensor>;

export interface StepResult {
  /** Logits for each of the new positions, row-major [n, vocab]. */
  logits: Float32Array;
  vocab: number;
  cache: Cache;
  /** Number of positions the cache now holds. */
  length: number;
}

const int64 = (xs: ArrayLike<number>) => BigInt64Array.from(Array.from(xs, (x) => BigInt(x)));

/**
 * One forward pass over `ids`, which come after `past` cached positions. With `cache` null, the
 * model's own empty cache (past length 0) is used. Position ids and the attention mask are
 * passed explicitly: positions past..past+n-1, no padding.
 */
export async function step(model: PreTrainedModel, ids: readonly number[], cache: Cache | null, past = 0): Promise<StepResult> {
  const n = ids.length;
  const inputs: Record<string, unknown> = {
    input_ids: new Tensor("int64", int64(ids), [1, n]),
    attention_mask: new Tensor("int64", new BigInt64Array(past + n).fill(1n), [1, past + n]),
    position_ids: new Tensor("int64", int64(Array.from({ length: n }, (_, i) => past + i)), [1, n]),
  };
  if (cache) inputs.past_key_values = cache;
  const out = (await model(inputs)) as Record<string, Tensor>;
  const next: Cache = {};
  for (const name of Object.keys(out)) if (name.startsWith("present")) next[name.replace("present", "past_key_values")] = out[name];
  const logits = out.logits;
  return { logits: logits.data as Float32Array, vocab: logits.dims[2], cache: next, length: past + n };
}

export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/**
 * Greedy decoding with the KV cache: the prompt in one pass, then one token per pass, stopping
 * at an end-of-sequence id or after maxNewTokens (or when the context window is full).
 */
export async function greedy(
  model: PreTrainedModel,
  promptIds: readonly number[],
  { maxNewTokens = 96, eos = [0], contextLength = 512 }: { maxNewTokens?: number; eos?: number[]; contextLength?: number } = {},
): Promise<{ ids: number[]; finish: "eos" | "length" }> {
  let r = await step(model, promptIds, null);
  const out: number[] = [];
  for (;;) {
    const next = argmax(r.logits.subarray(r.logits.length - r.vocab));
    if (eos.includes(next)) return { ids: out, finish: "eos" };
    out.push(next);
    if (out.length >= maxNewTokens || r.length + 1 > contextLength) return { ids: out, finish: "length" };
    r = await step(model, [next], r.cache, r.length);
  }
}
