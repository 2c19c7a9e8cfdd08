import { currentUser } from "@/lib/auth";
import type { ReadResponse } from "@/lib/course/api-types";
import { getLesson } from "@/lib/course/lessons";
import { markLessonRead } from "@/lib/course/progress-store";
import { jsonError } from "@/lib/http/responses";

/** POST /api/progress/[lesson]/read → 200 {progress} | 401 | 404. Idempotent. */
export async function POST(_request: Request, { params }: { params: Promise<{ lesson: string }> }) {
  const { lesson } = await params;
  const user = await currentUser();
  if (!user) return jsonError(401, "Sign in to save your progress");
  if (!getLesson(lesson)) return jsonError(404, `No lesson "${lesson}"`);
  const progress = await markLessonRead(user.id, lesson);
  return Response.json({ progress } satisfies ReadResponse);
}
