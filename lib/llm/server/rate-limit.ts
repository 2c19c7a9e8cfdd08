import "server-only";
import { clientIp, createRateLimiter, type Limiter } from "../../http/rate-limit.ts";
import { tooManyRequests } from "../../http/responses.ts";
import { serverEnv } from "../../env/server.ts";

/**
 * Rate limits on starting generations (/api/generate, /api/tutor, /api/score): per signed-in
 * user and per client IP, fixed one-minute windows: in memory with PGlite, shared by every
 * app server through PostgreSQL when DATABASE_URL names one (lib/http/rate-limit.ts).
 *
 * The limits are generous on purpose: the playground's sliders re-run the model as they move
 * (debounced), and a classroom may share one IP. They stop scripts, not learners. The
 * bounded queue (503 + Retry-After) is the other back-pressure, for load rather than abuse.
 * GLASSBOX_GENERATION_RATE_LIMIT sets the per-user limit (the per-IP one is 3×).
 */
const PER_USER = serverEnv().GLASSBOX_GENERATION_RATE_LIMIT;
const WINDOW_MS = 60_000;

export interface GenerationLimiters {
  user: Limiter;
  ip: Limiter;
}

export function createGenerationLimiters(perUser: number, windowMs = WINDOW_MS, now?: () => number): GenerationLimiters {
  return {
    user: createRateLimiter("generation-user", perUser, windowMs, { now }),
    ip: createRateLimiter("generation-ip", perUser * 3, windowMs, { now }),
  };
}

// On globalThis: Next may evaluate this module once per route bundle; one set per process.
const store = globalThis as unknown as { glassboxGenerationLimiters?: GenerationLimiters };

function limiters(): GenerationLimiters {
  return (store.glassboxGenerationLimiters ??= createGenerationLimiters(PER_USER));
}

export interface GenerationLimitContext {
  route: string;
  modelId?: string;
  /** The signed-in user, when the route knows it (counted per user as well as per IP). */
  userId?: string | null;
}

/**
 * Count one generation request; a 429 with Retry-After when the user or the IP is over its
 * limit, else null. Call after validating the body and before loading the model or queueing,
 * so a refused request costs nothing.
 */
export async function limitGeneration(
  request: Request,
  context: GenerationLimitContext,
  using: GenerationLimiters = limiters(),
): Promise<Response | null> {
  const [byIp, byUser] = await Promise.all([
    using.ip.hit(`ip:${clientIp(request.headers)}`),
    context.userId ? using.user.hit(`user:${context.userId}`) : null,
  ]);
  if (byIp.ok && (byUser === null || byUser.ok)) return null;
  const retryAfter = Math.max(byIp.ok ? 0 : byIp.retryAfter, byUser && !byUser.ok ? byUser.retryAfter : 0);
  const who = byUser && !byUser.ok ? "this account" : "this address";
  return tooManyRequests(`Too many generation requests from ${who}. Try again in ${retryAfter} seconds.`, retryAfter);
}
