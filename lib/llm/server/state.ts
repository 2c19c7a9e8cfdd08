import "server-only";
import type { LoadedModel } from "../load.ts";
import type { ServerLlmConfig } from "./config.ts";
import type { GroupPasses, StepBatcher } from "../batch.ts";
import type { GenerationQueue } from "./queue.ts";

/**
 * The inference server's process-wide state, kept on globalThis: Next.js may evaluate a
 * module more than once (one instance per route bundle, again after a dev-server reload),
 * and every instance must share the one loaded model and the one queue per model — two
 * copies of a model would double the memory, two queues would double the concurrency.
 */
export interface ServerLlmState {
  /** Loaded (or loading) models by registry id. A failed load is removed, so the next request retries. */
  models: Map<string, Promise<LoadedModel>>;
  /** Ids whose load has finished successfully. */
  loaded: Set<string>;
  /** One FIFO queue per model id. */
  queues: Map<string, GenerationQueue>;
  /** One step batcher per model id: the generations of a model share its forward passes. */
  batchers: Map<string, StepBatcher>;
  /** The worker thread that runs a loaded model's group passes (./pass-runner.ts), where it has one. */
  passWorkers: WeakMap<LoadedModel, GroupPasses>;
  /** Parsed configuration (null until first read; tests may override it). */
  config: ServerLlmConfig | null;
  /** Generations holding a queue slot right now (added when granted, removed when the slot is released). */
  active: Set<ActiveGenerationHandle>;
  /** Set once shutdown has begun: new generations are refused with this Retry-After (seconds). */
  draining: { retryAfter: number } | null;
  /** Test-only fault injection (see ./testing.ts); inert unless a test arms it. */
  faults: FaultState;
}

/** What shutdown needs of a running generation (./generation.ts's ActiveGeneration). */
export interface ActiveGenerationHandle {
  cancel(message?: string): void;
}

export interface FaultState {
  /** Forward passes run by server-loaded models in this process (tests count steps with it). */
  forwardPasses: number;
  /** An armed fault: skip `after` more passes, then make one pass throw or hang. */
  armed: { kind: "throw" | "hang"; after: number } | null;
  /** Rejecters of passes hung by the test hook, so a test can release them. */
  hung: Set<(error: Error) => void>;
}

const KEY = Symbol.for("glassbox.llm.server.state.v1");

export function serverState(): ServerLlmState {
  const g = globalThis as unknown as Record<symbol, ServerLlmState | undefined>;
  const state = (g[KEY] ??= {
    models: new Map(),
    loaded: new Set(),
    queues: new Map(),
    batchers: new Map(),
    passWorkers: new WeakMap(),
    config: null,
    active: new Set(),
    draining: null,
    faults: { forwardPasses: 0, armed: null, hung: new Set() },
  });
  // A state made by an older copy of this module (dev-server reload) may lack newer fields.
  state.active ??= new Set();
  state.batchers ??= new Map();
  state.passWorkers ??= new WeakMap();
  state.draining ??= null;
  return state;
}

/** Ids of the models loaded in this process right now (never loads anything). */
export function loadedModelIds(): string[] {
  return [...serverState().loaded].sort();
}
