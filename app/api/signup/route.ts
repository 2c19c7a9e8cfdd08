import { limitAuthAttempt, tooManyAttemptsMessage } from "@/lib/auth/limits";
import { clientIp } from "@/lib/http/rate-limit";
import { createUser, EmailTakenError } from "@/lib/auth/users";
import { jsonError, readJson, tooManyRequests, validationError } from "@/lib/http/responses";
import { postSignUpSchema } from "./schema";

/** POST /api/signup {name, email, password} → 201 {user} | 400 | 409 | 413 | 429 */
export async function POST(request: Request) {
  const body = await readJson(request, 4 * 1024);
  if (!body.ok) return body.response;
  const parsed = postSignUpSchema.safeParse(body.value);
  const email = typeof (body.value as { email?: unknown })?.email === "string" ? (body.value as { email: string }).email : "";
  const limit = await limitAuthAttempt("signup", clientIp(request.headers), email);
  if (!limit.ok) return tooManyRequests(tooManyAttemptsMessage(limit.retryAfter), limit.retryAfter);
  if (!parsed.success) return validationError(parsed.error);
  try {
    const user = await createUser(parsed.data);
    return Response.json({ user }, { status: 201 });
  } catch (error) {
    if (error instanceof EmailTakenError) return jsonError(409, error.message, { fields: { email: error.message } });
    throw error;
  }
}
