import { checkHealth } from "@/lib/ops/health";

/**
 * GET /api/health — for load balancers and orchestrators (README "Health and shutdown"):
 * 200 `{ status: "ok", database: { reachable, engine, migrations }, models: { loaded } }`,
 * 503 with the same shape when the database does not answer, migrations are pending, or the
 * server is shutting down. Not rate-limited, never cached, loads nothing.
 */
export async function GET() {
  const { httpStatus, report } = await checkHealth();
  return Response.json(report, { status: httpStatus, headers: { "Cache-Control": "no-store" } });
}
