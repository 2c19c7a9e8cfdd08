import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatBytes, KV_PRESETS, kvBytesPerToken, kvCacheBytes, presetFromConfig } from "@/lib/course/kv-cache";

describe("kvCacheBytes", () => {
  it("Llama 3 8B, 8,192 tokens, fp16, batch 1 is exactly 1 GiB", () => {
    // 2 × 32 layers × 8 KV heads × 128 × 8192 tokens × 2 bytes = 2^1·2^5·2^3·2^7·2^13·2^1 = 2^30.
    const llama = KV_PRESETS.find((p) => p.id === "llama3-8b")!;
    const bytes = kvCacheBytes({ ...llama.shape, seqLen: 8192, batch: 1, bytesPerValue: 2 });
    expect(bytes).toBe(2 ** 30);
    expect(formatBytes(bytes)).toBe("1 GiB");
  });

  it("Llama 3 70B at the same size is 2.5 × as big (80 layers instead of 32)", () => {
    const bytes = kvCacheBytes({ layers: 80, kvHeads: 8, headDim: 128, seqLen: 8192, batch: 1, bytesPerValue: 2 });
    expect(bytes).toBe(2.5 * 2 ** 30);
    expect(formatBytes(bytes)).toBe("2.5 GiB");
  });

  it("scales linearly in every factor", () => {
    const base = { layers: 2, kvHeads: 3, headDim: 4, seqLen: 5, batch: 1, bytesPerValue: 1 };
    expect(kvCacheBytes(base)).toBe(240);
    expect(kvCacheBytes({ ...base, batch: 4 })).toBe(960);
    expect(kvCacheBytes({ ...base, bytesPerValue: 4 })).toBe(960);
    expect(kvCacheBytes({ ...base, seqLen: 0 })).toBe(0);
    expect(kvBytesPerToken({ layers: 32, kvHeads: 8, headDim: 128, bytesPerValue: 2 })).toBe(131072);
  });

  it("rejects negative or non-finite inputs", () => {
    expect(() => kvCacheBytes({ layers: -1, kvHeads: 1, headDim: 1, seqLen: 1, batch: 1, bytesPerValue: 1 })).toThrow(/layers/);
    expect(() => kvCacheBytes({ layers: 1, kvHeads: 1, headDim: NaN, seqLen: 1, batch: 1, bytesPerValue: 1 })).toThrow(/headDim/);
  });
});

describe("formatBytes", () => {
  it("uses binary units with up to three significant digits", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1 KiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(3 * 2 ** 20)).toBe("3 MiB");
    expect(formatBytes(12.345 * 2 ** 30)).toBe("12.3 GiB");
    expect(formatBytes(2 ** 40)).toBe("1 TiB");
  });
});

describe("presetFromConfig", () => {
  it("reads course-lm's shape from its config.json", () => {
    const config = JSON.parse(fs.readFileSync(path.join(process.cwd(), "public/models/course-lm/config.json"), "utf8"));
    const p = presetFromConfig("course-lm", "course-lm", config);
    expect(p.shape).toEqual({
      layers: config.num_hidden_layers,
      kvHeads: config.num_key_value_heads ?? config.num_attention_heads,
      headDim: config.head_dim ?? config.hidden_size / config.num_attention_heads,
      seqLen: config.max_position_embeddings,
    });
  });

  it("derives head_dim and KV heads when a config leaves them out", () => {
    const p = presetFromConfig("x", "x", { num_hidden_layers: 12, num_attention_heads: 12, hidden_size: 768, max_position_embeddings: 1024 });
    expect(p.shape).toEqual({ layers: 12, kvHeads: 12, headDim: 64, seqLen: 1024 });
    expect(() => presetFromConfig("x", "x", { hidden_size: 8 })).toThrow(/config.json/);
  });
});

describe("kvCacheBytes with a wider object", () => {
  it("ignores fields that are not factors (a form's dtype name)", () => {
    const shape = { layers: 1, kvHeads: 1, headDim: 1, seqLen: 1, batch: 1, bytesPerValue: 2, valueType: "fp16" };
    expect(kvCacheBytes(shape)).toBe(4);
  });
});
