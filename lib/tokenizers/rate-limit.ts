import "server-only";
import { clientIp, RateLimiter } from "../http/rate-limit.ts";
import { tooManyRequests } from "../http/responses.ts";
import { serverEnv } from "../env/server.ts";

/**
 * Rate limit on /api/tokenize, per client IP, fixed one-minute windows, in memory.
 *
 * Tokenizing runs no model and its input is capped (20,000 characters), so one request is
 * cheap — but the comparison runs up to nine tokenizers, and a script could still keep a
 * core busy. The limit is far above what a learner typing (debounced) or a page of lesson
 * demos sends; GLASSBOX_TOKENIZE_RATE_LIMIT changes it.
 */
const PER_IP = serverEnv().GLASSBOX_TOKENIZE_RATE_LIMIT;
const WINDOW_MS = 60_000;

// On globalThis: Next may evaluate this module once per route bundle; the limit is per process.
const store = globalThis as unknown as { glassboxTokenizeLimiter?: RateLimiter };

export function createTokenizeLimiter(perIp: number, windowMs = WINDOW_MS, now?: () => number): RateLimiter {
  return new RateLimiter(perIp, windowMs, now);
}

/** Count one tokenize request: a 429 with Retry-After when the address is over its limit, else null. */
export function limitTokenize(request: Request, limiter: RateLimiter = (store.glassboxTokenizeLimiter ??= createTokenizeLimiter(PER_IP))): Response | null {
  const hit = limiter.hit(`ip:${clientIp(request.headers)}`);
  return hit.ok ? null : tooManyRequests(`Too many tokenize requests from this address. Try again in ${hit.retryAfter} seconds.`, hit.retryAfter);
}
