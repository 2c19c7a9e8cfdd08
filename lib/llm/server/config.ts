import "server-only";
import { serverEnv } from "../../env/server.ts";
import { localModelDirFromEnv } from "./files.ts";
import { serverState } from "./state.ts";

/**
 * The inference server's configuration (README "Configuration"; the variables and their
 * ranges are defined in lib/env/server.ts). Every variable is optional; the defaults suit a
 * small CPU server (onnxruntime-node already uses every core for one forward pass, so running
 * two generations at once only makes both slower).
 */
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
    const env = serverEnv();
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
