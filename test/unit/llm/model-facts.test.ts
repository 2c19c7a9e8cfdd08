import { describe, expect, it } from "vitest";
import { modelFacts } from "@/lib/llm/model-facts";

describe("modelFacts (the model bar's line about a model)", () => {
  const qwen = { kind: "hub" as const, parameters: "494M", license: "Apache-2.0", approxDownloadMB: { q4: 790, fp32: 1980 }, defaultDtype: "q4" as const, availableOffline: false, cacheDir: "data/model-cache/onnx-community/Qwen2.5-0.5B-Instruct" };

  it("a hub preset before its download: size in its default format, parameters, licence, backends, and where it will be kept", () => {
    expect(modelFacts(qwen)).toEqual({
      facts: "≈ 790 MB (q4) to download on first use · 494M parameters · licence: Apache-2.0 · runs on the server, or in your browser (WebGPU, else WebAssembly)",
      cache: "On the server it will be kept in data/model-cache/onnx-community/Qwen2.5-0.5B-Instruct; in your browser, in this site's Cache Storage.",
    });
  });

  it("after the download: where it is kept and how to remove it; sizes over 1,000 MB in GB", () => {
    expect(modelFacts({ ...qwen, availableOffline: true }).cache).toBe(
      "Downloaded on the server: kept in data/model-cache/onnx-community/Qwen2.5-0.5B-Instruct (delete that folder to remove it). In your browser it is kept in the page's Cache Storage (clear this site's data to remove it).",
    );
    expect(modelFacts({ ...qwen, defaultDtype: "fp32" }).facts).toMatch(/^≈ 2\.0 GB \(fp32\) to download/);
  });

  it("course-lm ships with the app; a server folder runs on the server only; no cache line for either", () => {
    expect(modelFacts({ kind: "embedded", license: "project", defaultDtype: "fp32", availableOffline: true })).toEqual({
      facts: "ships with the app, works offline · licence: this project's · runs on the server, or in your browser (WebGPU, else WebAssembly)",
      cache: null,
    });
    expect(modelFacts({ kind: "local", defaultDtype: "fp32", availableOffline: true }).facts).toBe("runs on the server only (a folder on the server)");
  });
});
