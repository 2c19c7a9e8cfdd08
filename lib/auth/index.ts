import "server-only";
import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { redirect } from "next/navigation";
import { env } from "../env.ts";
import { signInSchema } from "./credentials.ts";
import { closeSession, isSessionLive, openSession, verifyCredentials } from "./users.ts";

/** Auth.js configuration, in one place. Email + password accounts; JWT cookie naming a
 * revocable server-side session row (see users.ts). */
function config(): NextAuthConfig {
  const { AUTH_SECRET, GLASSBOX_SESSION_MAX_AGE } = env();
  return {
    secret: AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: GLASSBOX_SESSION_MAX_AGE },
    pages: { signIn: "/signin" },
    logger: {
      // A wrong password is an expected outcome, answered in the form; not a server error.
      error(error) {
        // `type` survives minification; `name` does not.
        const type = (error as { type?: string }).type ?? error.name;
        if (type !== "CredentialsSignin") console.error(`[auth] ${type}: ${error.message}`);
      },
    },
    providers: [
      Credentials({
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(raw) {
          const parsed = signInSchema.safeParse(raw);
          if (!parsed.success) return null;
          return verifyCredentials(parsed.data.email, parsed.data.password);
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user?.id) {
          token.sub = user.id;
          token.sid = await openSession(user.id, GLASSBOX_SESSION_MAX_AGE);
          return token;
        }
        // Returning null clears the cookie: the session was signed out or has expired.
        if (typeof token.sid !== "string" || !(await isSessionLive(token.sid))) return null;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    events: {
      async signOut(message) {
        const sid = "token" in message ? message.token?.sid : undefined;
        if (typeof sid === "string") await closeSession(sid);
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());

export interface SessionUser {
  id: string;
  name: string | null;
  email: string;
}

/** The signed-in user, or null. */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.email) return null;
  return { id: user.id, name: user.name ?? null, email: user.email };
}

/** For guarded pages: the user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
