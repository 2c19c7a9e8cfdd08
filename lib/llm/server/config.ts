import "server-only";
import { serverEnv } from "../../env/server.ts";
import { localModelDirFromEnv } from "./files.ts";
import { serverState } from "./state.ts";

/**
 * The inference server's configuration (README "Configuration"; the variables and their
 * ranges are defined in lib/env/server.ts). Every variable is optional; the defaults suit a
 * small CPU server: up to 64 generations at once per model, sharing forward passes of up to 32
 * sequences (continuous batching, lib/llm/batch.ts). Measured on this 2-core machine
 * (`npm run bench:load`): a course-lm step for 32 short sequences costs about 3× one for one;
 * 64 at once (two groups of 32 taking turns) served every stream with a lower time to first
 * token than 32 running and 32 waiting in the queue.
 */
export interface ServerLlmConfig {
  concurrency: number;
  /** Sequences per forward pass at most; 1 ⇒ every generation runs its own passes. */
  batchSize: number;
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
    const env = serverEnv();
    state.config = {
      concurrency: env.GLASSBOX_GENERATION_CONCURRENCY,
      batchSize: env.GLASSBOX_BATCH_SIZE,
      queueLimit: env.GLASSBOX_QUEUE_LIMIT,
      timeoutMs: env.GLASSBOX_GENERATION_TIMEOUT_MS,
      modelDir: localModelDirFromEnv(env.GLASSBOX_MODEL_DIR),
      abortGraceMs: ABORT_GRACE_MS,
    };
  }
  return state.config;
}
