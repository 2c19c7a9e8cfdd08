import "server-only";

/**
 * SEAM: rate limiting of generation requests (a later issue).
 *
 * Every route that starts a generation calls this after validating the body and before
 * loading the model or queueing, so a limited request costs nothing. Return a Response
 * (429 with Retry-After, e.g. `tooManyRequests()` from lib/http/responses.ts, keyed by
 * user id or `clientIp(request.headers)` from lib/auth/rate-limit.ts) to refuse the
 * request, or null to let it through. Today every request passes; the queue's bounded
 * length (503 + Retry-After) is the only back-pressure.
 */
export function limitGeneration(request: Request, context: { route: string; modelId?: string }): Response | null {
  void request;
  void context;
  return null;
}
