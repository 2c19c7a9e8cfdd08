/**
 * The server's configuration: every environment variable the app reads, validated in one
 * place (README "Configuration" lists them, with defaults and ranges). Nothing else in lib/
 * reads `process.env`.
 *
 * Every variable is optional and has a working default, so a fresh clone runs with no env
 * file. An empty value counts as unset (except AUTH_SECRET, where an empty value is an
 * error). A value that is set but out of range is an error naming the variable and what it
 * allows — never silently the default.
 *
 * Deliberately NOT `server-only`: the CLI scripts (`npm start`'s migration step, the model
 * CLI) import it under plain Node, where that marker throws. It refuses to run in a browser
 * instead, and no server variable is inlined into a client bundle (Next inlines only
 * NEXT_PUBLIC_* and NODE_ENV). Client code imports ./client.ts.
 */
import { z } from "zod";
import { ConfigError, NODE_ENVS, parseNodeEnv } from "./client.ts";

export const DEFAULT_DATA_DIR = "data";

const integer = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: "custom", message: `${name} must be an integer in [${min}, ${max}] (got ${JSON.stringify(raw)})` });
        return z.NEVER;
      }
      return value;
    });

const schema = z.object({
  NODE_ENV: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      try {
        return parseNodeEnv(raw);
      } catch {
        ctx.addIssue({ code: "custom", message: `NODE_ENV must be one of ${NODE_ENVS.join(", ")} (got ${JSON.stringify(raw)})` });
        return z.NEVER;
      }
    }),
  /** Unset: embedded PGlite under GLASSBOX_DATA_DIR. Forms: lib/db/config.ts. */
  DATABASE_URL: z
    .string()
    .optional()
    .refine((url) => url === undefined || /^(postgres(ql)?:\/\/|pglite:)/.test(url), {
      // Never echo the value: it may hold a password.
      message: "DATABASE_URL must be postgres://…, postgresql://…, pglite:memory or pglite:PATH",
    }),
  /** Where embedded data lives (PGlite, the generated auth secret). */
  GLASSBOX_DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  /** Signs session cookies; unset ⇒ generated into the data directory (lib/env.ts). */
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  /** Seconds a sign-in stays valid (30 days). */
  GLASSBOX_SESSION_MAX_AGE: integer("GLASSBOX_SESSION_MAX_AGE", 1, 315_360_000, 30 * 24 * 3600),
  /** Sign-in / sign-up attempts per email per 10 minutes (5× per IP). */
  GLASSBOX_AUTH_RATE_LIMIT: integer("GLASSBOX_AUTH_RATE_LIMIT", 1, 1_000_000, 10),
  /** /api/tokenize requests per IP per minute. */
  GLASSBOX_TOKENIZE_RATE_LIMIT: integer("GLASSBOX_TOKENIZE_RATE_LIMIT", 1, 1_000_000, 600),
  /** Generation requests per signed-in user per minute (3× per IP). */
  GLASSBOX_GENERATION_RATE_LIMIT: integer("GLASSBOX_GENERATION_RATE_LIMIT", 1, 1_000_000, 120),
  /** Generations that may run at the same time, per model (they share forward passes: GLASSBOX_BATCH_SIZE). */
  GLASSBOX_GENERATION_CONCURRENCY: integer("GLASSBOX_GENERATION_CONCURRENCY", 1, 256, 64),
  /** Sequences one forward pass may hold at most (continuous batching, lib/llm/batch.ts); 1 ⇒ no batching. */
  GLASSBOX_BATCH_SIZE: integer("GLASSBOX_BATCH_SIZE", 1, 64, 32),
  /**
   * Threads onnxruntime-node gives one forward pass (intra-op). 1: course-lm's passes are too
   * small to share — a second thread made them no faster and spent a whole core spinning
   * (`npm run bench:load`); raise it for larger models on a machine with cores to spare.
   */
  GLASSBOX_ORT_THREADS: integer("GLASSBOX_ORT_THREADS", 1, 64, 1),
  /**
   * "on": the step passes of sequences batched together run in a worker thread
   * (lib/llm/server/pass-runner.ts) while the main thread samples and streams — onnxruntime-node
   * runs a pass on the thread that asks for it. "off": every pass on the main thread.
   */
  GLASSBOX_PASS_WORKER: z.enum(["on", "off"], { error: 'GLASSBOX_PASS_WORKER must be "on" or "off"' }).default("on"),
  /** Requests that may wait for a turn, per model; one more ⇒ 503 with Retry-After. */
  GLASSBOX_QUEUE_LIMIT: integer("GLASSBOX_QUEUE_LIMIT", 0, 10_000, 16),
  /** Longest one generation may run, and longest a request may wait in the queue. */
  GLASSBOX_GENERATION_TIMEOUT_MS: integer("GLASSBOX_GENERATION_TIMEOUT_MS", 100, 3_600_000, 60_000),
  /** A transformers.js model folder on this server, offered as model "local" (as given; lib/llm/server/files.ts resolves it). */
  GLASSBOX_MODEL_DIR: z.string().optional(),
  /** Where hub presets download from (lib/llm/server/hub.ts): the Hugging Face hub, or a mirror with its URL layout. */
  GLASSBOX_HUB_URL: z.url({ protocol: /^https?$/, error: "GLASSBOX_HUB_URL must be an http(s) URL" }).default("https://huggingface.co/"),
  /** Where downloaded hub presets are kept; unset ⇒ model-cache/ under GLASSBOX_DATA_DIR. */
  GLASSBOX_MODEL_CACHE_DIR: z.string().optional(),
  /** On SIGTERM, how long generations in flight may run on before they are stopped (lib/ops/shutdown.ts). */
  GLASSBOX_SHUTDOWN_GRACE_MS: integer("GLASSBOX_SHUTDOWN_GRACE_MS", 0, 600_000, 20_000),
});

export type ServerEnv = z.output<typeof schema>;
export type ServerEnvName = keyof ServerEnv;
export const SERVER_ENV_NAMES = Object.keys(schema.shape) as ServerEnvName[];

/** Variables where an empty value is an error rather than "unset". */
const EMPTY_IS_INVALID: ReadonlySet<ServerEnvName> = new Set(["AUTH_SECRET"]);

/**
 * Validate a set of variables (pure: tests pass their own record). Values are trimmed, and
 * an empty one counts as unset. Throws a ConfigError listing every bad variable.
 */
export function parseServerEnv(source: Readonly<Record<string, string | undefined>>): ServerEnv {
  const input: Record<string, string | undefined> = {};
  for (const name of SERVER_ENV_NAMES) {
    const raw = source[name];
    if (raw === undefined) continue;
    if (EMPTY_IS_INVALID.has(name)) input[name] = raw;
    else if (raw.trim() !== "") input[name] = raw.trim();
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  return parsed.data;
}

/**
 * The server's configuration, from `process.env`. Parsed on every call (microseconds), so a
 * test that sets a variable before the code under test reads it sees its value; the callers
 * that need one value for the life of the process (rate limiters, the inference queue, the
 * auth secret) keep what they read.
 */
export function serverEnv(): ServerEnv {
  if (typeof window !== "undefined") throw new Error("lib/env/server.ts is server configuration; client code imports lib/env/client.ts");
  return parseServerEnv(process.env);
}
