/**
 * Hub presets on the server, downloaded from a local stand-in of the Hugging Face hub
 * (scripts/lib/hub-stand-in.ts serving the offline stand-ins under the presets' repository ids;
 * issue #14): download with progress, a second load from the cache folder with no request, a
 * download cut off midway (a clear error, nothing half-cached, a retry that works), a model the
 * hub does not have and a hub that cannot be reached (clear messages).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateTrace } from "@/lib/llm/decode";
import type { LoadProgress } from "@/lib/llm/load";
import { HUB_PRESETS, resolveModel, type HubModel } from "@/lib/llm/registry";
import { loadRegistryModel } from "@/lib/llm/server/files";
import { ModelDownloadError } from "@/lib/llm/hub-errors";
import { cachedModelDir, hubCacheStatus, type HubSettings } from "@/lib/llm/server/hub";
import { startHubStandIn, type HubStandIn } from "../../../scripts/lib/hub-stand-in";
import { standinDir } from "../../../scripts/lib/standins";

const preset = (id: string) => HUB_PRESETS.find((m) => m.id === id)!;
const QWEN = preset("Qwen2.5-0.5B-Instruct");
const SMOL = preset("SmolLM2-135M-Instruct");
const QWEN_ONNX = `${QWEN.repo}/onnx/model_quantized.onnx`;

let hub: HubStandIn;
const cacheDirs: string[] = [];
const freshCache = (url = hub.url): HubSettings => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "glassbox-hub-cache-"));
  cacheDirs.push(cacheDir);
  return { url, cacheDir };
};
const filesUnder = (dir: string) => (fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).sort() : []);
const greedy = async (model: Awaited<ReturnType<typeof loadRegistryModel>>) =>
  (await generateTrace({ model, messages: [{ role: "user", content: "What is a token?" }], settings: { greedy: true, maxNewTokens: 6 } })).steps.map((s) => s.tokenId);

beforeAll(async () => {
  hub = await startHubStandIn({ [QWEN.repo]: standinDir("qwen2-standin"), [SMOL.repo]: standinDir("llama-standin") });
});
afterAll(async () => {
  await hub?.close();
  for (const dir of cacheDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe("hub presets through a local hub stand-in", () => {
  it("a preset downloads with progress in bytes and %, runs like the same files loaded from a folder, and a second load reads the cache without a request", async () => {
    const settings = freshCache();
    expect(await hubCacheStatus(settings, QWEN, "q8")).toEqual({ cached: false, dir: cachedModelDir(settings, QWEN) });
    const events: LoadProgress[] = [];
    const model = await loadRegistryModel(QWEN, { dtype: "q8", hub: settings, onProgress: (e) => events.push(e) });
    const size = fs.statSync(path.join(standinDir("qwen2-standin"), "onnx/model_quantized.onnx")).size;
    const progress = events.filter((e) => e.status === "progress" && e.file === "onnx/model_quantized.onnx") as (LoadProgress & { loaded: number; total: number; progress: number })[];
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ loaded: size, total: size, progress: 100 });
    expect(progress.map((e) => e.loaded)).toEqual([...progress.map((e) => e.loaded)].sort((a, b) => a - b));
    expect(events.some((e) => e.status === "done" && e.file === "onnx/model_quantized.onnx")).toBe(true);
    expect(filesUnder(cachedModelDir(settings, QWEN))).toEqual(expect.arrayContaining(["config.json", "tokenizer.json", "tokenizer_config.json", path.join("onnx", "model_quantized.onnx")]));
    expect(model).toMatchObject({ id: QWEN.id, revision: QWEN.revision, dtype: "q8", vocabSize: 151936 });
    // The model bar's "works offline" and "cached in": the q8 files are there, the fp32 file is not.
    expect((await hubCacheStatus(settings, QWEN, "q8")).cached).toBe(true);
    expect((await hubCacheStatus(settings, QWEN, "fp32")).cached).toBe(false);

    const local = await loadRegistryModel(resolveModel("local", { localModelDir: standinDir("qwen2-standin") }), { dtype: "q8" });
    expect(await greedy(model)).toEqual(await greedy(local));
    await local.dispose();
    await model.dispose();

    const before = new Map(hub.requests);
    const again = await loadRegistryModel(QWEN, { dtype: "q8", hub: settings });
    expect(hub.requests).toEqual(before);
    await again.dispose();
  });

  it("the SmolLM2 preset downloads in its default weights (q4) and prompts through its (Llama 3) chat template", async () => {
    const model = await loadRegistryModel(SMOL, { hub: freshCache() });
    expect(model).toMatchObject({ dtype: "q4", vocabSize: 128256 });
    const trace = await generateTrace({ model, messages: [{ role: "user", content: "Hi" }], settings: { greedy: true, maxNewTokens: 3 } });
    expect(trace.prompt.tokens.filter((t) => t.special).map((t) => t.text)).toContain("<|start_header_id|>");
    await model.dispose();
  });

  it("a download cut off midway: a clear error, nothing half-cached, and a retry downloads it whole", async () => {
    const settings = freshCache();
    hub.breakDownloads(QWEN_ONNX, 300_000);
    const failed = await loadRegistryModel(QWEN, { dtype: "q8", hub: settings }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ModelDownloadError);
    expect((failed as ModelDownloadError).reason).toBe("interrupted");
    expect((failed as Error).message).toMatch(/^Qwen2\.5-0\.5B-Instruct: the download from 127\.0\.0\.1:\d+ broke off .*Nothing partial was kept/);
    // The load rejects as soon as the weights break off, while a sibling file (tokenizer.json) may
    // still be arriving under its temporary name: wait for those to finish (renamed whole) or go.
    await vi.waitFor(() => expect(filesUnder(cachedModelDir(settings, QWEN)).filter((f) => f.includes(".tmp."))).toEqual([]), { timeout: 10_000, interval: 50 });
    expect(filesUnder(cachedModelDir(settings, QWEN)).filter((f) => f.includes("model_quantized"))).toEqual([]);

    hub.heal(QWEN_ONNX);
    const model = await loadRegistryModel(QWEN, { dtype: "q8", hub: settings });
    expect(fs.statSync(path.join(cachedModelDir(settings, QWEN), "onnx", "model_quantized.onnx")).size).toBe(fs.statSync(path.join(standinDir("qwen2-standin"), "onnx/model_quantized.onnx")).size);
    expect((await greedy(model)).length).toBe(6);
    await model.dispose();
  });

  it("a model the hub does not have, and a hub that cannot be reached, get plain messages", async () => {
    const missing: HubModel = { ...QWEN, id: "missing-model", repo: "nobody/missing-model" };
    const notFound = await loadRegistryModel(missing, { dtype: "q8", hub: freshCache() }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(ModelDownloadError);
    expect((notFound as ModelDownloadError).reason).toBe("not-found");
    expect((notFound as Error).message).toMatch(/^missing-model: nobody\/missing-model \(revision main\) was not found on 127\.0\.0\.1:\d+\.$/);

    const closed = await startHubStandIn({});
    const deadUrl = closed.url;
    await closed.close();
    const unreachable = await loadRegistryModel(QWEN, { dtype: "q8", hub: freshCache(deadUrl) }).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(ModelDownloadError);
    expect((unreachable as ModelDownloadError).reason).toBe("unreachable");
    expect((unreachable as Error).message).toMatch(/cannot be reached .*needs the network for its first download/);
  });
});
