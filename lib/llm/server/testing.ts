import "server-only";
import { isProduction } from "../../env/client.ts";
import type { GroupPasses } from "../batch.ts";
import type { LoadedModel } from "../load.ts";
import type { ServerLlmConfig } from "./config.ts";
import { serverLlmConfig } from "./config.ts";
import { serverState } from "./state.ts";

/**
 * TEST HOOKS — fault injection for the inference server, used only by tests.
 *
 * A crashed or stuck forward pass is hard to produce on demand with a real model, so every
 * model the server loads has its `forward` (and its worker thread's group passes) wrapped
 * (./models.ts), which counts passes and, only when a test has armed a fault, makes one pass throw or
 * hang. Nothing here is reachable over HTTP; the hooks refuse to arm in production.
 */

/** The error an injected crash throws (recognisable in logs). */
export class InjectedFaultError extends Error {
  constructor(message = "injected fault (test hook): the forward pass failed") {
    super(message);
    this.name = "InjectedFaultError";
  }
}

function assertNotProduction(): void {
  if (isProduction()) throw new Error("generation test hooks are for tests only");
}

export const generationTestHooks = {
  /**
   * Make a forward pass fail: after `afterPasses` more passes (0 = the very next one), one
   * pass either throws ("throw") or never settles ("hang", until `reset()` rejects it).
   * One fault per arming; later passes run normally.
   */
  injectForwardFault(kind: "throw" | "hang", options: { afterPasses?: number } = {}): void {
    assertNotProduction();
    serverState().faults.armed = { kind, after: options.afterPasses ?? 0 };
  },

  /** Forward passes run by server-loaded models so far in this process. */
  forwardPasses(): number {
    return serverState().faults.forwardPasses;
  },

  /** How many forward passes are hung by the hook right now. */
  hungPasses(): number {
    return serverState().faults.hung.size;
  },

  /** Override the configuration (queue limits, deadline, abort grace) for the next requests. */
  configure(overrides: Partial<ServerLlmConfig>): void {
    assertNotProduction();
    const state = serverState();
    state.config = { ...serverLlmConfig(), ...overrides };
  },

  /** Disarm faults, release hung passes (they reject), and re-read the configuration from the environment. */
  reset(): void {
    const { faults } = serverState();
    faults.armed = null;
    for (const reject of faults.hung) reject(new InjectedFaultError("injected hang released by reset()"));
    faults.hung.clear();
    serverState().config = null;
  },
};

/**
 * Installed around every server-loaded model's forward pass, and around the step passes its
 * resident groups run in a worker thread (instrumentGroupPasses). Without an armed fault it
 * returns the real pass's promise untouched (one counter increment of overhead).
 */
export function instrumentForwardPasses(model: LoadedModel): void {
  const inner = model.model;
  const original = inner.forward.bind(inner);
  inner.forward = ((inputs: unknown) => withFaults(() => original(inputs))) as typeof inner.forward;
}

/** The same hooks around a worker thread's group passes (./pass-runner.ts). */
export function instrumentGroupPasses(passes: GroupPasses): void {
  const original = passes.step.bind(passes);
  passes.step = (...args) => withFaults(() => original(...args));
}

function withFaults<T>(pass: () => Promise<T>): Promise<T> {
  const faults = serverState().faults;
  faults.forwardPasses++;
  const armed = faults.armed;
  if (armed) {
    if (armed.after > 0) armed.after--;
    else {
      faults.armed = null;
      if (armed.kind === "throw") return Promise.reject(new InjectedFaultError());
      return new Promise((_, reject) => {
        const release = (error: Error) => {
          faults.hung.delete(release);
          reject(error);
        };
        faults.hung.add(release);
      });
    }
  }
  return pass();
}
