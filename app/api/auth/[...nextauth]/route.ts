import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { limitAuthAttempt, tooManyAttemptsMessage } from "@/lib/auth/limits";
import { clientIp } from "@/lib/http/rate-limit";
import { tooManyRequests } from "@/lib/http/responses";

export const { GET } = handlers;

/** Auth.js, with sign-in attempts rate-limited per email and per IP before they reach it. */
export async function POST(request: NextRequest) {
  if (request.nextUrl.pathname.endsWith("/callback/credentials")) {
    const form = await request.clone().formData().catch(() => null);
    const email = String(form?.get("email") ?? "");
    const limit = await limitAuthAttempt("signin", clientIp(request.headers), email);
    if (!limit.ok) return tooManyRequests(tooManyAttemptsMessage(limit.retryAfter), limit.retryAfter);
  }
  return handlers.POST(request);
}
