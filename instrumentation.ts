/**
 * Next.js calls register() once when a server process starts, before it handles requests:
 * the place for process-level set-up. Here: graceful shutdown on SIGTERM/SIGINT
 * (lib/ops/shutdown.ts). Only in the Node.js runtime (NEXT_RUNTIME is set by Next itself,
 * the documented way to tell the runtimes apart; it is not app configuration).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installShutdownHandlers } = await import("./lib/ops/shutdown.ts");
    installShutdownHandlers();
  }
}
