import { currentUser } from "@/lib/auth";
import type { ProgressResponse } from "@/lib/course/api-types";
import { getProgressDashboard } from "@/lib/course/dashboard";
import { jsonError } from "@/lib/http/responses";

/** GET /api/progress → 200 the learner's dashboard | 401 */
export async function GET() {
  const user = await currentUser();
  if (!user) return jsonError(401, "Sign in to see your progress");
  const dashboard: ProgressResponse = await getProgressDashboard(user.id);
  return Response.json(dashboard, { headers: { "Cache-Control": "private, no-store" } });
}
