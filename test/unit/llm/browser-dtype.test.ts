import { describe, expect, it } from "vitest";
import { dtypeForBackend } from "@/lib/llm/browser/dtype";

describe("dtypeForBackend (float16 weights on WebGPU need shader-f16)", () => {
  it("without shader-f16, fp16 becomes fp32 and q4f16 becomes q4, saying why", () => {
    expect(dtypeForBackend("q4f16", "webgpu", false, ["fp32", "fp16", "q4", "q4f16"])).toEqual({
      dtype: "q4",
      reason: "this GPU lacks WebGPU's shader-f16 feature, which q4f16 weights need: loading q4 instead",
    });
    expect(dtypeForBackend("fp16", "webgpu", false)).toMatchObject({ dtype: "fp32" });
  });

  it("leaves the format alone with shader-f16, on WebAssembly, for formats without float16, and when no equivalent ships", () => {
    expect(dtypeForBackend("q4f16", "webgpu", true)).toEqual({ dtype: "q4f16" });
    expect(dtypeForBackend("q4f16", "wasm", false)).toEqual({ dtype: "q4f16" });
    expect(dtypeForBackend("q4", "webgpu", false)).toEqual({ dtype: "q4" });
    expect(dtypeForBackend("fp16", "webgpu", false, ["fp16", "q4f16"])).toEqual({ dtype: "fp16" });
  });
});
