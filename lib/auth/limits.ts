import { createRateLimiter, type Limiter, type RateLimitResult } from "../http/rate-limit.ts";
import { serverEnv } from "../env/server.ts";

/** Attempts per 10 minutes; override for load tests with GLASSBOX_AUTH_RATE_LIMIT. */
const PER_EMAIL = serverEnv().GLASSBOX_AUTH_RATE_LIMIT;
const PER_IP = PER_EMAIL * 5;
const WINDOW_MS = 10 * 60 * 1000;

// On globalThis: Next may evaluate this module once per route bundle, but the limits are
// per process — or, on PostgreSQL, shared by every server (lib/http/rate-limit.ts).
const store = globalThis as unknown as { glassboxAuthLimiters?: { email: Limiter; ip: Limiter } };
const limiters = (store.glassboxAuthLimiters ??= {
  email: createRateLimiter("auth-email", PER_EMAIL, WINDOW_MS),
  ip: createRateLimiter("auth-ip", PER_IP, WINDOW_MS),
});

/** One sign-in or sign-up attempt by `ip` for `email`. */
export async function limitAuthAttempt(kind: "signin" | "signup", ip: string, email: string): Promise<RateLimitResult> {
  const [byEmail, byIp] = await Promise.all([
    limiters.email.hit(`${kind}:${email.trim().toLowerCase()}`),
    limiters.ip.hit(`${kind}:${ip}`),
  ]);
  if (byEmail.ok && byIp.ok) return byEmail;
  return { ok: false, retryAfter: Math.max(byEmail.ok ? 0 : byEmail.retryAfter, byIp.ok ? 0 : byIp.retryAfter), remaining: 0 };
}

export function tooManyAttemptsMessage(retryAfter: number): string {
  const minutes = Math.ceil(retryAfter / 60);
  return `Too many attempts. Try again in ${retryAfter < 90 ? `${retryAfter} seconds` : `${minutes} minutes`}.`;
}
