/**
 * Which weight format to load on WebGPU. float16 weights (fp16, q4f16) need the adapter's
 * "shader-f16" feature — many integrated and mobile GPUs, and software adapters, lack it, and
 * loading such a model there fails deep inside onnxruntime-web. So the worker checks first and,
 * where the model has a float32 equivalent, loads that instead and says why.
 *
 * Isomorphic, pure (the worker passes in what its adapter reports).
 */
import type { Dtype } from "../registry.ts";

/** Each float16 format and the float32 one with the same quantization. */
const WITHOUT_F16: Partial<Record<Dtype, Dtype>> = { fp16: "fp32", q4f16: "q4" };

export interface DtypeChoice {
  dtype: Dtype;
  /** Set when the asked-for format was replaced: why, in a sentence. */
  reason?: string;
}

/**
 * `wanted` on `backend`, or its float32 equivalent when WebGPU lacks shader-f16 and the model
 * ships that equivalent (`available`; empty = unknown, assume it does). Unchanged otherwise.
 */
export function dtypeForBackend(wanted: Dtype, backend: "webgpu" | "wasm", shaderF16: boolean, available: readonly Dtype[] = []): DtypeChoice {
  const instead = WITHOUT_F16[wanted];
  if (backend !== "webgpu" || shaderF16 || !instead) return { dtype: wanted };
  if (available.length > 0 && !available.includes(instead)) return { dtype: wanted };
  return { dtype: instead, reason: `this GPU lacks WebGPU's shader-f16 feature, which ${wanted} weights need: loading ${instead} instead` };
}
