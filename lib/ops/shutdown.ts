import { serverEnv } from "../env/server.ts";

/**
 * Graceful shutdown (README "Health and shutdown"). On SIGTERM or SIGINT the app server:
 *
 *   1. drain — stops taking new generations (503 + Retry-After; /api/health answers 503
 *      "shutting-down" so a load balancer stops sending traffic) and lets the generations in
 *      flight finish until GLASSBOX_SHUTDOWN_GRACE_MS has passed, then stops the rest;
 *   2. close — once no work holds the database (holdForShutdown: a stopped reply still being
 *      saved), closes it (PGlite flushes and releases its data directory);
 *   3. exits 0. A second signal exits at once (1); so does a shutdown that hangs well past
 *      the grace period.
 *
 * The steps are registered by the modules that own them (lib/llm/server/generation.ts: the
 * drain, lib/db/index.ts: the close) when they are first loaded, so a process that never
 * opened the database or started a generation has nothing to wait for — and this module
 * imports neither, which keeps it loadable from Next's instrumentation hook. Kept on
 * globalThis: Next may evaluate a module once per route bundle, and all copies must share
 * one registry.
 */

export type ShutdownPhase = "drain" | "close";

export interface ShutdownContext {
  /** Date.now() by which the drain phase should be over. */
  deadline: number;
  graceMs: number;
}

export interface ShutdownReport {
  graceMs: number;
  /** What each step returned, by name. */
  results: Record<string, unknown>;
  /** Steps that threw, with their message (logged too). */
  errors: Record<string, string>;
}

interface Step {
  phase: ShutdownPhase;
  run: (context: ShutdownContext) => Promise<unknown>;
}

interface ShutdownState {
  steps: Map<string, Step>;
  /** Work the database must stay open for (a reply being saved), and who waits for it to end. */
  held: Set<symbol>;
  onReleased: (() => void)[];
  started: Promise<ShutdownReport> | null;
  handlersInstalled: boolean;
}

const KEY = Symbol.for("glassbox.ops.shutdown.v1");

function state(): ShutdownState {
  const g = globalThis as unknown as Record<symbol, ShutdownState | undefined>;
  return (g[KEY] ??= { steps: new Map(), held: new Set(), onReleased: [], started: null, handlersInstalled: false });
}

/** Register a shutdown step. The same name registered again replaces it (modules may load more than once). */
export function onShutdown(name: string, phase: ShutdownPhase, run: (context: ShutdownContext) => Promise<unknown>): void {
  state().steps.set(name, { phase, run });
}

/**
 * Hold the database open for a piece of work that may outlive its generation — a tutor reply is
 * saved after its last token, also when the drain stopped it — and release it when done. The
 * "close" steps wait until nothing is held (or the hard exit comes), so no reply that was
 * streamed is lost to the shutdown. Returns the release function (calling it twice is harmless).
 */
export function holdForShutdown(): () => void {
  const s = state();
  const token = Symbol("held");
  s.held.add(token);
  return () => {
    if (!s.held.delete(token) || s.held.size > 0) return;
    for (const resolve of s.onReleased.splice(0)) resolve();
  };
}

/** Resolves once nothing is held. */
function nothingHeld(): Promise<void> {
  const s = state();
  return s.held.size === 0 ? Promise.resolve() : new Promise((resolve) => s.onReleased.push(resolve));
}

/** True from the moment shutdown begins. */
export function isShuttingDown(): boolean {
  return state().started !== null;
}

/**
 * Run the shutdown steps: every "drain" step at once, then every "close" step. Idempotent:
 * a second call returns the first call's promise. A failing step is reported and logged;
 * the others still run.
 */
export function shutdown(options: { graceMs?: number } = {}): Promise<ShutdownReport> {
  const s = state();
  s.started ??= (async () => {
    const graceMs = options.graceMs ?? serverEnv().GLASSBOX_SHUTDOWN_GRACE_MS;
    const context: ShutdownContext = { deadline: Date.now() + graceMs, graceMs };
    const report: ShutdownReport = { graceMs, results: {}, errors: {} };
    for (const phase of ["drain", "close"] as const) {
      // Work holding the database (replies being saved) ends before anything closes.
      if (phase === "close") await nothingHeld();
      const steps = [...s.steps].filter(([, step]) => step.phase === phase);
      await Promise.all(
        steps.map(async ([name, step]) => {
          try {
            report.results[name] = await step.run(context);
          } catch (error) {
            report.errors[name] = error instanceof Error ? error.message : String(error);
            console.error(`[shutdown] ${name} failed:`, error);
          }
        }),
      );
    }
    return report;
  })();
  return s.started;
}

/** How much longer than the grace period a shutdown may take before the process exits anyway. */
const HARD_EXIT_MARGIN_MS = 15_000;

/**
 * Handle SIGTERM and SIGINT in this process (called from instrumentation.ts's register()).
 * `npm start` runs Next with NEXT_MANUAL_SIG_HANDLE=true so that Next leaves these signals to
 * us; otherwise Next would close its HTTP server and exit as soon as its open requests end,
 * racing the database close.
 */
export function installShutdownHandlers(): void {
  const s = state();
  if (s.handlersInstalled) return;
  s.handlersInstalled = true;
  const onSignal = (signal: NodeJS.Signals) => {
    if (isShuttingDown()) {
      console.error(`[shutdown] ${signal} again: exiting now`);
      process.exit(1);
    }
    const graceMs = serverEnv().GLASSBOX_SHUTDOWN_GRACE_MS;
    console.info(`[shutdown] ${signal}: refusing new generations, letting those in flight finish (up to ${graceMs} ms), then closing the database`);
    setTimeout(() => {
      console.error("[shutdown] shutdown did not finish in time: exiting");
      process.exit(1);
    }, graceMs + HARD_EXIT_MARGIN_MS).unref();
    shutdown({ graceMs }).then(
      (report) => {
        const failed = Object.keys(report.errors);
        console.info(`[shutdown] done${failed.length ? ` (failed: ${failed.join(", ")})` : ""}: ${JSON.stringify(report.results)}`);
        process.exit(failed.length ? 1 : 0);
      },
      (error) => {
        console.error("[shutdown] failed:", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

/** Tests: forget that shutdown ran, so the next test starts from a running server. Steps stay registered. */
export function resetShutdownForTests(): void {
  const s = state();
  s.started = null;
  s.held.clear();
  for (const resolve of s.onReleased.splice(0)) resolve();
}
