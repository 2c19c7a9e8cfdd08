import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { serverEnv, type ServerEnv } from "./env/server.ts";

export { ConfigError, isDevelopment, isProduction, nodeEnv } from "./env/client.ts";
export { DEFAULT_DATA_DIR, parseServerEnv, serverEnv, type ServerEnv } from "./env/server.ts";

/**
 * Server configuration with the auth secret resolved (README "Configuration"). The variables
 * and their ranges are defined once, in ./env/server.ts; client code imports ./env/client.ts.
 */
export type Env = ServerEnv;

let cached: (Env & { AUTH_SECRET: string }) | undefined;

/** Validated once per process; a bad value throws a ConfigError naming the variable and its range. */
export function env(): Env & { AUTH_SECRET: string } {
  if (cached) return cached;
  const parsed = serverEnv();
  cached = { ...parsed, AUTH_SECRET: parsed.AUTH_SECRET ?? localAuthSecret(parsed.GLASSBOX_DATA_DIR) };
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
