/** The real course-lm traces saved by test/fixtures/traces/generate.ts, typed. */
import type { Trace } from "@/lib/llm/trace";
import abortedJson from "../../fixtures/traces/aborted.json";
import branchJson from "../../fixtures/traces/branch.json";
import bytesJson from "../../fixtures/traces/bytes.json";
import greedyJson from "../../fixtures/traces/greedy.json";
import sampledJson from "../../fixtures/traces/sampled.json";

export const greedy = greedyJson as unknown as Trace;
export const sampled = sampledJson as unknown as Trace;
export const bytes = bytesJson as unknown as Trace;
export const branch = branchJson as unknown as Trace;
export const aborted = abortedJson as unknown as Trace;
export const all = { greedy, sampled, bytes, branch, aborted };
