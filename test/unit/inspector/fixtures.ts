/** The real course-lm traces saved by scripts/inspector/sample-traces.ts (lib/inspector/sample-traces/), typed. */
import type { Trace } from "@/lib/llm/trace";
import abortedJson from "@/lib/inspector/sample-traces/aborted.json";
import branchJson from "@/lib/inspector/sample-traces/branch.json";
import bytesJson from "@/lib/inspector/sample-traces/bytes.json";
import greedyJson from "@/lib/inspector/sample-traces/greedy.json";
import sampledJson from "@/lib/inspector/sample-traces/sampled.json";

export const greedy = greedyJson as unknown as Trace;
export const sampled = sampledJson as unknown as Trace;
export const bytes = bytesJson as unknown as Trace;
export const branch = branchJson as unknown as Trace;
export const aborted = abortedJson as unknown as Trace;
export const all = { greedy, sampled, bytes, branch, aborted };
