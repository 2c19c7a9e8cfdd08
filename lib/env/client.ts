/**
 * The configuration that may reach the browser, and the error every configuration check
 * throws. Safe to import from client components: it reads nothing but NODE_ENV, which Next
 * inlines into every bundle. Server variables live in ./server.ts (README "Configuration").
 *
 * There are no NEXT_PUBLIC_* variables today; one would be read here, by its literal name
 * (`process.env.NEXT_PUBLIC_X`), so that Next can inline it.
 */

/** A variable with a value outside what it allows; the message names each variable and its range. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration (README "Configuration"): ${issues.join("; ")}`);
    this.name = "ConfigError";
  }
}

export const NODE_ENVS = ["development", "production", "test"] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/** NODE_ENV as validated, or undefined when unset (plain `tsx` scripts); empty counts as unset. */
export function parseNodeEnv(raw: string | undefined): NodeEnv | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if ((NODE_ENVS as readonly string[]).includes(value)) return value as NodeEnv;
  throw new ConfigError([`NODE_ENV must be one of ${NODE_ENVS.join(", ")} (got ${JSON.stringify(value)})`]);
}

/** Read on every call (cheap), so a test that sets NODE_ENV sees it. */
export function nodeEnv(): NodeEnv | undefined {
  return parseNodeEnv(process.env.NODE_ENV);
}

/** `next dev`: content caches are rebuilt when a file changes. */
export function isDevelopment(): boolean {
  return nodeEnv() === "development";
}

export function isProduction(): boolean {
  return nodeEnv() === "production";
}
