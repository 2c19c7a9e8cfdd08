import { currentUser } from "@/lib/auth";
import { jsonError } from "@/lib/http/responses";
import { listConversations } from "@/lib/tutor/conversations";

/** GET /api/conversations → 200 { conversations: [{ id, title, model, createdAt, updatedAt }] } (newest activity first) | 401 */
export async function GET() {
  const user = await currentUser();
  if (!user) return jsonError(401, "Sign in to see your saved conversations");
  const conversations = await listConversations(user.id);
  return Response.json({ conversations }, { headers: { "Cache-Control": "private, no-store" } });
}
