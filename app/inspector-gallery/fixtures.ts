/**
 * The trace fixtures the gallery shows: real runs of course-lm saved by
 * scripts/inspector/sample-traces.ts into lib/inspector/sample-traces/ (see there for how each
 * was made).
 */
import type { Trace } from "@/lib/llm/trace";
import aborted from "@/lib/inspector/sample-traces/aborted.json";
import branch from "@/lib/inspector/sample-traces/branch.json";
import bytes from "@/lib/inspector/sample-traces/bytes.json";
import greedy from "@/lib/inspector/sample-traces/greedy.json";
import sampled from "@/lib/inspector/sample-traces/sampled.json";

export interface GalleryFixture {
  id: string;
  title: string;
  description: string;
  trace: Trace;
  /** For a branch: the step where the learner's pick took over. */
  branchPoint?: number;
}

export const FIXTURES: readonly GalleryFixture[] = [
  {
    id: "sampled",
    title: "Sampled",
    description: "Temperature 0.9 with top-k, top-p, min-p and all three penalties on: every stage of the pipeline does something.",
    trace: sampled as unknown as Trace,
  },
  {
    id: "greedy",
    title: "Greedy",
    description: "Argmax at every step, no draw. A barely trained model falls into a loop — which the penalties exist to break.",
    trace: greedy as unknown as Trace,
  },
  {
    id: "bytes",
    title: "Partial UTF-8",
    description: "An emoji and two CJK characters split into single bytes by a 2,048-token vocabulary; sampled hot (T = 1.5, no filters), the reply picks up stray bytes and a special token.",
    trace: bytes as unknown as Trace,
  },
  {
    id: "branch",
    title: "Branch",
    description: "The sampled reply branched at step 6: steps 1–5 replayed (forced), step 6 forced to another candidate, then sampled on with the same seed.",
    trace: branch as unknown as Trace,
    branchPoint: 5,
  },
  {
    id: "aborted",
    title: "Stopped",
    description: "Generation cancelled before the first token: a prompt and an empty reply.",
    trace: aborted as unknown as Trace,
  },
];
