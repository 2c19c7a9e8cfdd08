import { presetFromConfig, KV_PRESETS, type KvPreset } from "@/lib/course/kv-cache";
import { readCourseLmJson } from "@/lib/embeddings/server";
import { DemoFrame } from "./demo-frame";
import { LazyKvCacheForm as KvCacheForm } from "./client-demos";
import type { DemoProps } from "./types";

/** `<Demo kind="kv-cache-calculator" />`: course-lm's preset comes from its config.json, read at run time. */
export async function KvCacheCalculatorDemo({ kind }: DemoProps) {
  let courseLm: KvPreset | null = null;
  try {
    courseLm = presetFromConfig("course-lm", "course-lm", await readCourseLmJson("config.json"));
  } catch {
    courseLm = null; // the other presets still work; the form says course-lm's is missing
  }
  return (
    <DemoFrame kind={kind} title="KV-cache size calculator">
      <KvCacheForm presets={courseLm ? [courseLm, ...KV_PRESETS] : [...KV_PRESETS]} />
    </DemoFrame>
  );
}
