/**
 * Browser-side sign-in against Auth.js's credentials endpoint. We call the endpoint
 * ourselves (as next-auth/react does) so a 429 from our rate limiter reaches the form as a
 * readable message instead of a failed redirect.
 */
export type SignInResult = { ok: true } | { ok: false; error: string };

export async function signInWithPassword(email: string, password: string): Promise<SignInResult> {
  try {
    const { csrfToken } = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
      body: new URLSearchParams({ email, password, csrfToken }),
    });
    const data = (await response.json().catch(() => ({}))) as { url?: string; error?: string };
    if (!response.ok) return { ok: false, error: data.error ?? `Sign-in failed (HTTP ${response.status}).` };
    const error = data.url ? new URL(data.url, window.location.origin).searchParams.get("error") : "unknown";
    if (error) return { ok: false, error: "Wrong email or password." };
    return { ok: true };
  } catch {
    return { ok: false, error: "Could not reach the server. Check your connection and try again." };
  }
}

/** Only same-site paths are followed after sign-in (no open redirects). */
export function safeCallbackUrl(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/learn";
  return raw;
}
