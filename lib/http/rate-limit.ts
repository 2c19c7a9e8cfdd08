/**
 * A fixed-window rate limiter kept in memory. Good for one app server; behind a load
 * balancer each server limits independently (documented in the README).
 */
export interface RateLimitResult {
  ok: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
  remaining: number;
}

export class RateLimiter {
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

/** Client IP as the proxy chain reports it; "local" when there is no proxy header. */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "local";
}
