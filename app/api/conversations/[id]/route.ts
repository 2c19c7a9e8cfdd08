import { z } from "zod";
import { currentUser } from "@/lib/auth";
import { jsonError, readJson, validationError } from "@/lib/http/responses";
import { deleteConversation, getConversation, MAX_TITLE_LENGTH, renameConversation } from "@/lib/tutor/conversations";

/**
 * One saved conversation. Someone else's id answers 404, exactly like an id that does not exist.
 *
 *   GET    → 200 { conversation: { id, title, model, createdAt, updatedAt }, messages: [{ id, role, content,
 *            parentId, branchFromStep, createdAt, trace, grounding }] } | 401 | 404
 *   PATCH  { title } → 200 { conversation } | 400 | 401 | 404        (rename)
 *   DELETE → 204 | 401 | 404                                          (with all its messages)
 */
type Context = { params: Promise<{ id: string }> };

const renameSchema = z.strictObject({
  title: z
    .string({ error: "title must be a string" })
    .transform((s) => s.replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, "title must not be empty").max(MAX_TITLE_LENGTH, `title is at most ${MAX_TITLE_LENGTH} characters`)),
});

const NOT_FOUND = "No such conversation";

export async function GET(_request: Request, { params }: Context) {
  const { id } = await params;
  const user = await currentUser();
  if (!user) return jsonError(401, "Sign in to see your saved conversations");
  const found = await getConversation(user.id, id);
  if (!found) return jsonError(404, NOT_FOUND);
  return Response.json(found, { headers: { "Cache-Control": "private, no-store" } });
}

export async function PATCH(request: Request, { params }: Context) {
  const { id } = await params;
  const user = await currentUser();
  if (!user) return jsonError(401, "Sign in to rename a conversation");
  const body = await readJson(request, 4 * 1024);
  if (!body.ok) return body.response;
  const parsed = renameSchema.safeParse(body.value);
  if (!parsed.success) return validationError(parsed.error);
  const conversation = await renameConversation(user.id, id, parsed.data.title);
  if (!conversation) return jsonError(404, NOT_FOUND);
  return Response.json({ conversation });
}

export async function DELETE(_request: Request, { params }: Context) {
  const { id } = await params;
  const user = await currentUser();
  if (!user) return jsonError(401, "Sign in to delete a conversation");
  if (!(await deleteConversation(user.id, id))) return jsonError(404, NOT_FOUND);
  return new Response(null, { status: 204 });
}
