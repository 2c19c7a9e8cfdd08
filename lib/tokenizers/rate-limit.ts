import "server-only";
import { clientIp, createRateLimiter, type Limiter } from "../http/rate-limit.ts";
import { tooManyRequests } from "../http/responses.ts";
import { serverEnv } from "../env/server.ts";

/**
 * Rate limit on /api/tokenize, per client IP, fixed one-minute windows: in memory with
 * PGlite, shared by every app server through PostgreSQL when DATABASE_URL names one.
 *
 * Tokenizing runs no model and its input is capped (20,000 characters), so one request is
 * cheap — but the comparison runs up to nine tokenizers, and a script could still keep a
 * core busy. The limit is far above what a learner typing (debounced) or a page of lesson
 * demos sends; GLASSBOX_TOKENIZE_RATE_LIMIT changes it.
 */
const PER_IP = serverEnv().GLASSBOX_TOKENIZE_RATE_LIMIT;
const WINDOW_MS = 60_000;

// On globalThis: Next may evaluate this module once per route bundle; one limiter per process.
const store = globalThis as unknown as { glassboxTokenizeLimiter?: Limiter };

export function createTokenizeLimiter(perIp: number, windowMs = WINDOW_MS, now?: () => number): Limiter {
  return createRateLimiter("tokenize-ip", perIp, windowMs, { now });
}

/** Count one tokenize request: a 429 with Retry-After when the address is over its limit, else null. */
export async function limitTokenize(
  request: Request,
  limiter: Limiter = (store.glassboxTokenizeLimiter ??= createTokenizeLimiter(PER_IP)),
): Promise<Response | null> {
  const hit = await limiter.hit(`ip:${clientIp(request.headers)}`);
  return hit.ok ? null : tooManyRequests(`Too many tokenize requests from this address. Try again in ${hit.retryAfter} seconds.`, hit.retryAfter);
}
