/**
 * The KV cache's size: for every layer, every key/value head keeps one key and one value
 * vector of head_dim numbers per token of every sequence in the batch.
 *
 *   bytes = 2 (K and V) × layers × kvHeads × headDim × seqLen × batch × bytesPerValue
 *
 * Grouped-query attention shows up as kvHeads < query heads (Llama 3: 8 KV heads for 32 or
 * 64 query heads), which is exactly what shrinks the cache.
 */

export interface KvCacheShape {
  layers: number;
  kvHeads: number;
  headDim: number;
  seqLen: number;
  batch: number;
  bytesPerValue: number;
}

export const BYTES_PER_VALUE = { fp32: 4, fp16: 2, int8: 1 } as const;
export type ValueType = keyof typeof BYTES_PER_VALUE;

const SHAPE_KEYS = ["layers", "kvHeads", "headDim", "seqLen", "batch", "bytesPerValue"] as const satisfies readonly (keyof KvCacheShape)[];

export function kvCacheBytes(s: KvCacheShape): number {
  // Only the six factors are checked: callers may pass a wider object (e.g. with a dtype name).
  for (const name of SHAPE_KEYS) {
    const v = s[name];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a non-negative number`);
  }
  return 2 * s.layers * s.kvHeads * s.headDim * s.seqLen * s.batch * s.bytesPerValue;
}

/** Bytes per token of one sequence (the cost of one more token of context). */
export function kvBytesPerToken(s: Omit<KvCacheShape, "seqLen" | "batch">): number {
  return kvCacheBytes({ ...s, seqLen: 1, batch: 1 });
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** Binary units (1 GiB = 2³⁰ bytes), up to 3 significant digits: "1 GiB", "64 KiB", "1.5 MiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = v >= 100 || Number.isInteger(v) ? 0 : v >= 10 ? 1 : 2;
  return `${Number(v.toFixed(digits))} ${UNITS[u]}`;
}

export interface KvPreset {
  id: string;
  label: string;
  shape: Omit<KvCacheShape, "batch" | "bytesPerValue">;
  valueType: ValueType;
  note: string;
}

/** Published architectures (their model cards' config.json). */
export const KV_PRESETS: readonly KvPreset[] = [
  { id: "gpt2", label: "GPT-2 small", shape: { layers: 12, kvHeads: 12, headDim: 64, seqLen: 1024 }, valueType: "fp32", note: "12 layers, 12 heads (every head has its own K and V), head dim 64, 1,024-token window" },
  { id: "llama3-8b", label: "Llama 3 8B", shape: { layers: 32, kvHeads: 8, headDim: 128, seqLen: 8192 }, valueType: "fp16", note: "32 layers, 8 KV heads shared by 32 query heads (GQA), head dim 128, 8,192-token window" },
  { id: "llama3-70b", label: "Llama 3 70B", shape: { layers: 80, kvHeads: 8, headDim: 128, seqLen: 8192 }, valueType: "fp16", note: "80 layers, 8 KV heads shared by 64 query heads (GQA), head dim 128, 8,192-token window" },
];

/** A preset from a transformers config.json (course-lm's own, read at run time). */
export function presetFromConfig(id: string, label: string, config: unknown): KvPreset {
  const c = config as Record<string, unknown>;
  const int = (key: string): number | undefined => (typeof c?.[key] === "number" && Number.isInteger(c[key]) ? (c[key] as number) : undefined);
  const layers = int("num_hidden_layers");
  const heads = int("num_attention_heads");
  const kvHeads = int("num_key_value_heads") ?? heads;
  const hidden = int("hidden_size");
  const headDim = int("head_dim") ?? (hidden !== undefined && heads ? hidden / heads : undefined);
  const seqLen = int("max_position_embeddings");
  if (!layers || !kvHeads || !headDim || !seqLen) throw new Error("config.json lacks num_hidden_layers, num_key_value_heads, head_dim or max_position_embeddings");
  const dtype = c["torch_dtype"] === "float16" || c["torch_dtype"] === "bfloat16" ? "fp16" : "fp32";
  return {
    id,
    label,
    shape: { layers, kvHeads, headDim, seqLen },
    valueType: dtype,
    note: `${layers} layers, ${kvHeads} KV heads${heads && heads !== kvHeads ? ` shared by ${heads} query heads` : ""}, head dim ${headDim}, ${seqLen.toLocaleString("en-US")}-token window (from its config.json)`,
  };
}
