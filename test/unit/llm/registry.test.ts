import { describe, expect, it } from "vitest";
import {
  COURSE_LM,
  DEFAULT_MODEL_ID,
  HUB_PRESETS,
  UnknownModelError,
  listModels,
  resolveModel,
} from "@/lib/llm/registry";
import { modelLocation } from "@/lib/llm/load";

describe("model registry", () => {
  it("defaults to the embedded course-lm", () => {
    expect(DEFAULT_MODEL_ID).toBe("course-lm");
    expect(resolveModel(undefined)).toBe(COURSE_LM);
    expect(resolveModel("")).toBe(COURSE_LM);
    expect(resolveModel("course-lm")).toMatchObject({
      kind: "embedded",
      needsNetwork: false,
      dir: "public/models/course-lm",
      urlPath: "/models/course-lm",
    });
  });

  it("lists the hub presets as needing the network, with sizes", () => {
    const ids = HUB_PRESETS.map((m) => m.id);
    expect(ids).toEqual(["SmolLM2-135M-Instruct", "SmolLM2-360M-Instruct", "Qwen2.5-0.5B-Instruct"]);
    for (const m of HUB_PRESETS) {
      expect(m.needsNetwork).toBe(true);
      expect(m.repo).toMatch(/^(HuggingFaceTB|onnx-community)\//);
      expect(m.approxDownloadMB[m.defaultDtype]).toBeGreaterThan(0);
      expect(m.dtypes).toContain(m.defaultDtype);
    }
  });

  it("accepts a preset's hub repository as an alias", () => {
    expect(resolveModel("HuggingFaceTB/SmolLM2-135M-Instruct").id).toBe("SmolLM2-135M-Instruct");
    expect(resolveModel("onnx-community/Qwen2.5-0.5B-Instruct").id).toBe("Qwen2.5-0.5B-Instruct");
    expect(resolveModel("Qwen/Qwen2.5-0.5B-Instruct").id).toBe("Qwen2.5-0.5B-Instruct");
  });

  it("rejects unknown ids with the list of known ones", () => {
    try {
      resolveModel("gpt-5");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownModelError);
      const err = e as UnknownModelError;
      expect(err.message).toContain('"gpt-5"');
      expect(err.message).toContain("course-lm, SmolLM2-135M-Instruct, SmolLM2-360M-Instruct, Qwen2.5-0.5B-Instruct");
      expect(err.knownIds).toContain("course-lm");
    }
  });

  it("rejects path-like and odd ids before any lookup", () => {
    for (const id of [
      "../etc/passwd",
      "..",
      "course-lm/../../secret",
      "/abs/path",
      "some/repo",
      "C:\\models",
      "http://evil.example/model",
      "course-lm\u0000",
      "a".repeat(200),
      " course-lm",
    ]) {
      expect(() => resolveModel(id), id).toThrow(/invalid model id/);
    }
    expect(() => resolveModel("Course-LM")).toThrow(/unknown model id/);
  });

  it("adds `local` only when GLASSBOX_MODEL_DIR is given", () => {
    expect(() => resolveModel("local")).toThrow(/GLASSBOX_MODEL_DIR/);
    expect(listModels().map((m) => m.id)).not.toContain("local");
    const local = resolveModel("local", { localModelDir: "/srv/models/my-lm/" });
    expect(local).toMatchObject({ kind: "local", dir: "/srv/models/my-lm/", label: "Local: my-lm", needsNetwork: false });
    expect(listModels({ localModelDir: "/srv/models/my-lm" }).map((m) => m.id)).toContain("local");
  });

  it("maps entries to loader locations for Node and the browser", () => {
    expect(modelLocation(COURSE_LM, { kind: "node", repoRoot: "/app/" })).toEqual({
      location: "/app/public/models/course-lm",
      localFilesOnly: true,
    });
    expect(modelLocation(COURSE_LM, { kind: "browser" })).toEqual({
      location: "course-lm",
      localModelPath: "/models/",
      localFilesOnly: true,
    });
    expect(modelLocation(HUB_PRESETS[0], { kind: "browser" })).toMatchObject({
      location: "HuggingFaceTB/SmolLM2-135M-Instruct",
      localFilesOnly: false,
    });
    const local = resolveModel("local", { localModelDir: "/srv/m" });
    expect(modelLocation(local, { kind: "node", repoRoot: "/app" }).location).toBe("/srv/m");
    expect(() => modelLocation(local, { kind: "browser" })).toThrow(/server/);
  });
});
