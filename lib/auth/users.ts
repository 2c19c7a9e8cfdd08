import "server-only";
import crypto from "node:crypto";
import bcrypt from "bcryptjs";
import { getPrisma } from "../db/index.ts";
import type { SignUpInput } from "./credentials.ts";

const BCRYPT_COST = 10;
// Compared against when the email is unknown, so a miss costs as long as a wrong password.
const DUMMY_HASH = bcrypt.hashSync("glassbox-timing-equaliser", BCRYPT_COST);

export class EmailTakenError extends Error {
  constructor() {
    super("An account with this email already exists");
  }
}

export async function createUser(input: SignUpInput) {
  const prisma = await getPrisma();
  const passwordHash = await bcrypt.hash(input.password, BCRYPT_COST);
  try {
    return await prisma.user.create({
      data: { name: input.name, email: input.email, passwordHash },
      select: { id: true, name: true, email: true },
    });
  } catch (error) {
    // The unique index on email decides races between two sign-ups with the same address.
    if ((error as { code?: string }).code === "P2002") throw new EmailTakenError();
    throw error;
  }
}

/** The user if the password matches, else null. */
export async function verifyCredentials(email: string, password: string) {
  const prisma = await getPrisma();
  const user = await prisma.user.findUnique({ where: { email } });
  const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
  return ok && user ? { id: user.id, name: user.name, email: user.email } : null;
}

// ---- server-side session records ------------------------------------------------------
// Auth.js keeps Credentials sessions in a signed JWT cookie, which by itself cannot be
// revoked. Each JWT therefore names a row here; sign-out deletes the row, and a JWT whose
// row is gone or expired is treated as signed out.

export async function openSession(userId: string, maxAgeSeconds: number): Promise<string> {
  const prisma = await getPrisma();
  const sessionToken = crypto.randomBytes(32).toString("base64url");
  await prisma.session.create({
    data: { sessionToken, userId, expires: new Date(Date.now() + maxAgeSeconds * 1000) },
  });
  return sessionToken;
}

export async function isSessionLive(sessionToken: string): Promise<boolean> {
  const prisma = await getPrisma();
  const session = await prisma.session.findUnique({ where: { sessionToken }, select: { expires: true } });
  return !!session && session.expires > new Date();
}

export async function closeSession(sessionToken: string): Promise<void> {
  const prisma = await getPrisma();
  await prisma.session.deleteMany({ where: { sessionToken } });
}
