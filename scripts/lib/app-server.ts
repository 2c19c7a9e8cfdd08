/**
 * Start the app as its own process — the same `scripts/app/start.ts` a user runs (build if
 * needed, migrate, `next start`) — and wait until GET /api/health answers 200. Used by
 * `npm run bench:load` and the two-servers e2e test, which start several of these on one
 * PostgreSQL database.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";

export interface AppServer {
  /** e.g. http://localhost:3291 (Auth.js issues cookies for localhost). */
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGTERM (the app's graceful shutdown), then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface AppServerOptions {
  port: number;
  /** Extra environment: DATABASE_URL, AUTH_SECRET, GLASSBOX_DATA_DIR, … */
  env?: Record<string, string>;
  /** false: serve the existing build (`--no-build`); a start must not rebuild under a running server. */
  build?: boolean;
  /** Where the server's output goes: "inherit" to watch it, "ignore" (default) for quiet runs. */
  output?: "inherit" | "ignore";
  /** How long to wait for /api/health (a first start may build the app: minutes). */
  readyTimeoutMs?: number;
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const url = `http://localhost:${options.port}`;
  const args = ["--import", "tsx", path.resolve("scripts/app/start.ts"), ...(options.build === false ? ["--no-build"] : [])];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env, PORT: String(options.port) },
    stdio: ["ignore", options.output ?? "ignore", options.output === "inherit" ? "inherit" : "pipe"],
    detached: true, // its own process group: stop() reaches `next start` under it too
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const server: AppServer = {
    url,
    child,
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child, "SIGTERM");
      const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 15 * 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app on port ${options.port} exited with code ${child.exitCode}${stderr ? `:\n${stderr}` : ""}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return server;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await server.stop(5_000);
  throw new Error(`${url} was not healthy within ${Math.round((options.readyTimeoutMs ?? 15 * 60_000) / 1000)} s`);
}

/** Several servers started at once; if any fails to start, the others are stopped before the error is thrown. */
export async function startAppServers(options: readonly AppServerOptions[]): Promise<AppServer[]> {
  const settled = await Promise.allSettled(options.map((o) => startAppServer(o)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await Promise.all(settled.flatMap((s) => (s.status === "fulfilled" ? [s.value.stop()] : [])));
    throw failed.reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<AppServer>).value);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    /* already gone */
  }
}

/**
 * A new, empty database on the PostgreSQL server at `serverUrl`; `drop()` removes it. The drop
 * waits (up to 10 s) for the last sessions to go before terminating them (WITH (FORCE)): a
 * pg client still closing when the server kills its session emits an error nobody handles.
 */
export async function createPostgresDatabase(serverUrl: string, prefix = "glassbox"): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await admin(`DROP DATABASE IF EXISTS ${name}`);
      } catch (error) {
        // 55006: "database is being accessed by other users" — sessions still closing.
        if ((error as { code?: string }).code !== "55006") throw error;
        // A session still open after 10 s is not closing: end it rather than leave the database.
        if (attempt >= 100) return await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  return { url: url.toString(), drop };
}
