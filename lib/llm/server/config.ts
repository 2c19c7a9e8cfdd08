import "server-only";
import { z } from "zod";
import { localModelDirFromEnv } from "./files.ts";
import { serverState } from "./state.ts";

/**
 * The inference server's configuration, from the environment (README "Configuration").
 * Every variable is optional; the defaults suit a small CPU server (onnxruntime-node
 * already uses every core for one forward pass, so running two generations at once only
 * makes both slower).
 */
const int = (name: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be an integer in [${min}, ${max}]` })
    .int(`${name} must be an integer in [${min}, ${max}]`)
    .min(min, `${name} must be an integer in [${min}, ${max}]`)
    .max(max, `${name} must be an integer in [${min}, ${max}]`)
    .default(fallback);

const schema = z.object({
  /** Generations that may run at the same time, per model. */
  GLASSBOX_GENERATION_CONCURRENCY: int("GLASSBOX_GENERATION_CONCURRENCY", 1, 64, 1),
  /** Requests that may wait for a turn, per model; one more ⇒ 503 with Retry-After. */
  GLASSBOX_QUEUE_LIMIT: int("GLASSBOX_QUEUE_LIMIT", 0, 10_000, 16),
  /** Longest one generation may run, and longest a request may wait in the queue. */
  GLASSBOX_GENERATION_TIMEOUT_MS: int("GLASSBOX_GENERATION_TIMEOUT_MS", 100, 3_600_000, 60_000),
  /** A transformers.js model folder on this server, offered as model "local". */
  GLASSBOX_MODEL_DIR: z.string().trim().optional(),
});

export interface ServerLlmConfig {
  concurrency: number;
  queueLimit: number;
  timeoutMs: number;
  /** Absolute path, or undefined. */
  modelDir: string | undefined;
  /**
   * After a cancel or a deadline, how long to wait for the forward pass in flight to finish
   * (so the next generation does not compete with it for the CPU) before giving its slot
   * away anyway — a pass that hangs must not block the queue forever.
   */
  abortGraceMs: number;
}

const ABORT_GRACE_MS = 2_000;

/** Parsed once per process (and per test override); invalid values fail loudly, naming the variable. */
export function serverLlmConfig(): ServerLlmConfig {
  const state = serverState();
  if (!state.config) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    }
    const env = parsed.data;
    state.config = {
      concurrency: env.GLASSBOX_GENERATION_CONCURRENCY,
      queueLimit: env.GLASSBOX_QUEUE_LIMIT,
      timeoutMs: env.GLASSBOX_GENERATION_TIMEOUT_MS,
      modelDir: localModelDirFromEnv(env.GLASSBOX_MODEL_DIR),
      abortGraceMs: ABORT_GRACE_MS,
    };
  }
  return state.config;
}
