import crypto from "node:crypto";
import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { resolveDatabaseConfig, type DatabaseConfig } from "../db/config.ts";

/**
 * Rate limiters, fixed windows. Where the counts live follows the database:
 * - PGlite (one process): in memory, `RateLimiter` below;
 * - PostgreSQL (`DATABASE_URL=postgresql://…`, possibly several app servers): in the
 *   `rate_limits` table through rate-limiter-flexible's `RateLimiterPostgres`, so every
 *   server counts against the same limit (`SharedRateLimiter`). The table is created by the
 *   migration `…_rate_limits`, applied by `npm start` like every other.
 *
 * A limiter never fails a request: if PostgreSQL errors or does not answer within
 * `SHARED_TIMEOUT_MS`, that server counts in memory for a while (logged once per outage)
 * and then tries PostgreSQL again.
 */
export interface RateLimitResult {
  ok: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
  remaining: number;
}

/** What the routes' limits need: count one hit for a key. */
export interface Limiter {
  readonly limit: number;
  readonly windowMs: number;
  hit(key: string): RateLimitResult | Promise<RateLimitResult>;
}

/** The in-memory limiter: one process. */
export class RateLimiter implements Limiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit for `key` and says whether it is within the limit. */
  hit(key: string): RateLimitResult {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.sweep(now);
    }
    window.count += 1;
    const retryAfter = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    return { ok: window.count <= this.limit, retryAfter, remaining: Math.max(0, this.limit - window.count) };
  }

  /** Hits every key; the request is allowed only if all of them allow it. */
  hitAll(keys: string[]): RateLimitResult {
    const results = keys.map((key) => this.hit(key));
    const blocked = results.filter((r) => !r.ok);
    if (blocked.length === 0) return { ok: true, retryAfter: 0, remaining: Math.min(...results.map((r) => r.remaining)) };
    return { ok: false, retryAfter: Math.max(...blocked.map((r) => r.retryAfter)), remaining: 0 };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}

/** Longest a shared-limit query may take before the request is counted in memory instead. */
export const SHARED_TIMEOUT_MS = 1_000;
/** After a failure, how long a server counts in memory before trying PostgreSQL again. */
const SHARED_RETRY_MS = 10_000;
const TABLE = "rate_limits";

/** Shared through PostgreSQL (the `rate_limits` table); in memory while PostgreSQL fails. */
export class SharedRateLimiter implements Limiter {
  private readonly store: RateLimiterPostgres;
  private readonly fallback: RateLimiter;
  private failedAt: number | null = null;

  /** `name` keeps this limiter's keys apart from the others' in the one table. */
  constructor(
    readonly name: string,
    readonly limit: number,
    readonly windowMs: number,
    pool: pg.Pool,
    private readonly timeoutMs = SHARED_TIMEOUT_MS,
  ) {
    this.store = new RateLimiterPostgres({
      storeClient: pool,
      storeType: "pool",
      tableName: TABLE,
      tableCreated: true, // by the migration
      keyPrefix: name,
      points: limit,
      duration: windowMs / 1000,
    });
    this.fallback = new RateLimiter(limit, windowMs);
  }

  async hit(key: string): Promise<RateLimitResult> {
    if (this.failedAt !== null && Date.now() - this.failedAt < SHARED_RETRY_MS) return this.fallback.hit(key);
    try {
      const res = await withTimeout(this.store.consume(storeKey(key)), this.timeoutMs);
      if (this.failedAt !== null) console.info(`[rate-limit] ${this.name}: PostgreSQL answers again; limits are shared again`);
      this.failedAt = null;
      return { ok: true, retryAfter: seconds(res.msBeforeNext), remaining: res.remainingPoints };
    } catch (error) {
      // Over the limit: rate-limiter-flexible rejects with the counts.
      if (error instanceof RateLimiterRes) return { ok: false, retryAfter: seconds(error.msBeforeNext), remaining: 0 };
      if (this.failedAt === null) {
        console.warn(
          `[rate-limit] ${this.name}: PostgreSQL failed (${error instanceof Error ? error.message : String(error)}); ` +
            `counting in memory on this server until it answers again`,
        );
      }
      this.failedAt = Date.now();
      return this.fallback.hit(key);
    }
  }
}

/**
 * The limiter for this deployment: shared through PostgreSQL when DATABASE_URL names a
 * PostgreSQL server, else in memory. `now` (tests) applies to the in-memory limiter.
 */
export function createRateLimiter(
  name: string,
  limit: number,
  windowMs: number,
  options: { now?: () => number; database?: DatabaseConfig } = {},
): Limiter {
  const database = options.database ?? resolveDatabaseConfig();
  if (database.kind === "postgres") return new SharedRateLimiter(name, limit, windowMs, sharedPool(database.url));
  return new RateLimiter(limit, windowMs, options.now);
}

// One small pool per process for all the limiters (Next may evaluate this module once per
// route bundle). It connects on first use, never at import, and lets the process exit when idle.
const pools = globalThis as unknown as { glassboxRateLimitPools?: Map<string, pg.Pool> };

function sharedPool(url: string): pg.Pool {
  const all = (pools.glassboxRateLimitPools ??= new Map());
  let pool = all.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: SHARED_TIMEOUT_MS, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    pool.on("error", () => {});
    all.set(url, pool);
  }
  return pool;
}

/** Keys fit the table's VARCHAR(255): long ones (an absurd email) are hashed. */
function storeKey(key: string): string {
  return key.length <= 200 ? key : `sha256:${crypto.createHash("sha256").update(key).digest("hex")}`;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Client IP as the proxy chain reports it; "local" when there is no proxy header. */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "local";
}
