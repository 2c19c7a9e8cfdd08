import "server-only";
import { serverLlmConfig } from "./config.ts";
import { ServerShuttingDownError } from "./errors.ts";
import { serverState, type ServerLlmState } from "./state.ts";

/**
 * Draining the inference server for shutdown (run by lib/ops/shutdown.ts on SIGTERM):
 * refuse new generations and every request still waiting in a queue (503 + Retry-After),
 * let the generations that hold a slot run until `deadline`, then cancel the rest — each
 * stops within one token (or its abort grace, if a forward pass hangs), and a streamed
 * reply ends with its partial trace, finishReason "aborted".
 */

/** Retry-After while draining: behind a load balancer the retry reaches another server. */
export const SHUTDOWN_RETRY_AFTER_S = 5;

const POLL_MS = 20;

export interface DrainResult {
  /** Generations holding a slot when the drain began. */
  inFlight: number;
  /** Of those, stopped at the deadline. */
  stopped: number;
}

export async function drainGenerations(deadline: number): Promise<DrainResult> {
  const state = serverState();
  state.draining ??= { retryAfter: SHUTDOWN_RETRY_AFTER_S };
  const { retryAfter } = state.draining;
  for (const queue of state.queues.values()) queue.close(() => new ServerShuttingDownError(retryAfter));
  const inFlight = state.active.size;

  await idle(state, deadline);
  const left = [...state.active];
  for (const generation of left) generation.cancel("the server is shutting down");
  // Each stops within one forward pass, or frees its slot after the abort grace.
  await idle(state, Date.now() + serverLlmConfig().abortGraceMs + 1_000);
  return { inFlight, stopped: left.length };
}

/** True from the moment the drain began. */
export function isDraining(): boolean {
  return serverState().draining !== null;
}

/** Tests: take generations again (new, open queues) after a drain. */
export function resumeGenerationsForTests(): void {
  const state = serverState();
  state.draining = null;
  state.queues.clear();
}

async function idle(state: ServerLlmState, until: number): Promise<void> {
  while (state.active.size > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, until - Date.now()))));
  }
}
