import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_DATA_DIR } from "./db/config";

/**
 * Server configuration, validated once. Every variable has a working default, so a fresh
 * clone runs with no env file; see README "Configuration".
 */
const schema = z.object({
  DATABASE_URL: z.string().optional(),
  GLASSBOX_DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  /** Seconds a sign-in stays valid. */
  GLASSBOX_SESSION_MAX_AGE: z.coerce.number().int().positive().default(30 * 24 * 3600),
});

export type Env = z.infer<typeof schema>;

let cached: (Env & { AUTH_SECRET: string }) | undefined;

export function env(): Env & { AUTH_SECRET: string } {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  cached = { ...parsed.data, AUTH_SECRET: parsed.data.AUTH_SECRET ?? localAuthSecret(parsed.data.GLASSBOX_DATA_DIR) };
  return cached;
}

/**
 * No secret is ever committed. Without AUTH_SECRET we generate one on first start and keep
 * it in the (gitignored) data directory, so sessions survive restarts on this machine.
 */
export function localAuthSecret(dataDir: string): string {
  const file = path.resolve(dataDir, "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = crypto.randomBytes(32).toString("base64url");
    // "wx": if two processes race, the loser reads the winner's secret.
    try {
      fs.writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
      return secret;
    } catch {
      return fs.readFileSync(file, "utf8").trim();
    }
  }
}
