/**
 * Database errors that mean "busy, try again" rather than "broken": a transaction that could
 * not get a connection from the pool in time (Prisma P2024, P2028) or lost a write conflict
 * or deadlock (P2034). Routes answer them with 503 + Retry-After; a quiz submission retried
 * with the same idempotency key is stored once.
 */
const BUSY_CODES = new Set(["P2024", "P2028", "P2034"]);

export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && BUSY_CODES.has(code);
}
