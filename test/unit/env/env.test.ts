import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError, isDevelopment, parseNodeEnv } from "@/lib/env/client";
import { parseServerEnv, SERVER_ENV_NAMES, serverEnv } from "@/lib/env/server";

/** Every integer variable: its range and default, as README "Configuration" states them. */
const INTEGERS: [name: string, min: number, max: number, fallback: number][] = [
  ["GLASSBOX_SESSION_MAX_AGE", 1, 315_360_000, 2_592_000],
  ["GLASSBOX_AUTH_RATE_LIMIT", 1, 1_000_000, 10],
  ["GLASSBOX_TOKENIZE_RATE_LIMIT", 1, 1_000_000, 600],
  ["GLASSBOX_GENERATION_RATE_LIMIT", 1, 1_000_000, 120],
  ["GLASSBOX_GENERATION_CONCURRENCY", 1, 256, 64],
  ["GLASSBOX_BATCH_SIZE", 1, 64, 32],
  ["GLASSBOX_ORT_THREADS", 1, 64, 1],
  ["GLASSBOX_QUEUE_LIMIT", 0, 10_000, 16],
  ["GLASSBOX_GENERATION_TIMEOUT_MS", 100, 3_600_000, 60_000],
  ["GLASSBOX_SHUTDOWN_GRACE_MS", 0, 600_000, 20_000],
];

const SECRET = "s".repeat(32);
const escape = (s: string) => s.replace(/[[\]]/g, "\\$&");

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe("parseServerEnv", () => {
  it("gives every documented default when nothing is set", () => {
    expect(parseServerEnv({})).toEqual({
      NODE_ENV: undefined,
      DATABASE_URL: undefined,
      GLASSBOX_DATA_DIR: "data",
      AUTH_SECRET: undefined,
      GLASSBOX_SESSION_MAX_AGE: 2_592_000,
      GLASSBOX_AUTH_RATE_LIMIT: 10,
      GLASSBOX_TOKENIZE_RATE_LIMIT: 600,
      GLASSBOX_GENERATION_RATE_LIMIT: 120,
      GLASSBOX_GENERATION_CONCURRENCY: 64,
      GLASSBOX_BATCH_SIZE: 32,
      GLASSBOX_ORT_THREADS: 1,
      GLASSBOX_PASS_WORKER: "on",
      GLASSBOX_QUEUE_LIMIT: 16,
      GLASSBOX_GENERATION_TIMEOUT_MS: 60_000,
      GLASSBOX_MODEL_DIR: undefined,
      GLASSBOX_HUB_URL: "https://huggingface.co/",
      GLASSBOX_MODEL_CACHE_DIR: undefined,
      GLASSBOX_SHUTDOWN_GRACE_MS: 20_000,
    });
  });

  it("GLASSBOX_HUB_URL takes an http(s) URL (a mirror or the tests' hub stand-in) and refuses anything else", () => {
    expect(parseServerEnv({ GLASSBOX_HUB_URL: "http://127.0.0.1:8080/" }).GLASSBOX_HUB_URL).toBe("http://127.0.0.1:8080/");
    for (const bad of ["huggingface.co", "ftp://hub.example/", "file:///etc/"]) {
      expect(() => parseServerEnv({ GLASSBOX_HUB_URL: bad }), bad).toThrow(/GLASSBOX_HUB_URL must be an http\(s\) URL/);
    }
    expect(parseServerEnv({ GLASSBOX_MODEL_CACHE_DIR: "/srv/models" }).GLASSBOX_MODEL_CACHE_DIR).toBe("/srv/models");
  });

  it('GLASSBOX_PASS_WORKER is "on" or "off", nothing else', () => {
    expect(parseServerEnv({ GLASSBOX_PASS_WORKER: "off" }).GLASSBOX_PASS_WORKER).toBe("off");
    expect(() => parseServerEnv({ GLASSBOX_PASS_WORKER: "yes" })).toThrow(/GLASSBOX_PASS_WORKER must be "on" or "off"/);
  });

  it.each(INTEGERS)("%s: absent or empty ⇒ the default; the range's ends are accepted", (name, min, max, fallback) => {
    expect(parseServerEnv({ [name]: "" })[name as keyof ReturnType<typeof parseServerEnv>]).toBe(fallback);
    expect(parseServerEnv({ [name]: "   " })[name as keyof ReturnType<typeof parseServerEnv>]).toBe(fallback);
    expect(parseServerEnv({ [name]: String(min) })[name as keyof ReturnType<typeof parseServerEnv>]).toBe(min);
    expect(parseServerEnv({ [name]: ` ${max} ` })[name as keyof ReturnType<typeof parseServerEnv>]).toBe(max);
  });

  it.each(INTEGERS)("%s: a bad value is an error naming the variable and its range, never the default", (name, min, max) => {
    const message = new RegExp(`${name} must be an integer in ${escape(`[${min}, ${max}]`)}`);
    for (const bad of ["abc", String(min - 1), "-5", "2.5", String(max + 1), "12abc"]) {
      expect(() => parseServerEnv({ [name]: bad }), bad).toThrow(message);
      expect(() => parseServerEnv({ [name]: bad }), bad).toThrow(`(got "${bad}")`);
    }
  });

  it("0 is a valid queue limit (no waiting) but not a valid rate limit", () => {
    expect(parseServerEnv({ GLASSBOX_QUEUE_LIMIT: "0" }).GLASSBOX_QUEUE_LIMIT).toBe(0);
    expect(() => parseServerEnv({ GLASSBOX_AUTH_RATE_LIMIT: "0" })).toThrow(/GLASSBOX_AUTH_RATE_LIMIT must be an integer in \[1, 1000000\]/);
  });

  it("lists every bad variable at once, as a ConfigError", () => {
    let error: unknown;
    try {
      parseServerEnv({ GLASSBOX_QUEUE_LIMIT: "abc", GLASSBOX_TOKENIZE_RATE_LIMIT: "0", GLASSBOX_GENERATION_TIMEOUT_MS: "50" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toHaveLength(3);
    expect((error as ConfigError).message).toMatch(/^Invalid configuration.*GLASSBOX_TOKENIZE_RATE_LIMIT.*GLASSBOX_QUEUE_LIMIT.*GLASSBOX_GENERATION_TIMEOUT_MS/);
  });

  it("AUTH_SECRET: at least 32 characters; an empty one is an error, not a generated secret", () => {
    expect(parseServerEnv({ AUTH_SECRET: SECRET }).AUTH_SECRET).toBe(SECRET);
    expect(() => parseServerEnv({ AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET must be at least 32 characters/);
    expect(() => parseServerEnv({ AUTH_SECRET: "" })).toThrow(/AUTH_SECRET must be at least 32 characters/);
  });

  it("DATABASE_URL: the accepted forms, and a bad one refused without echoing it (it may hold a password)", () => {
    for (const url of ["postgres://u:p@h/db", "postgresql://h/db", "pglite:memory", "pglite:./x"]) expect(parseServerEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    expect(parseServerEnv({ DATABASE_URL: " " }).DATABASE_URL).toBeUndefined();
    expect(() => parseServerEnv({ DATABASE_URL: "mysql://root:hunter2@db/app" })).toThrow(/DATABASE_URL must be postgres:\/\/.*pglite:PATH/);
    expect(() => parseServerEnv({ DATABASE_URL: "mysql://root:hunter2@db/app" })).not.toThrow(/hunter2/);
  });

  it("paths are trimmed; an empty data directory is the default", () => {
    expect(parseServerEnv({ GLASSBOX_DATA_DIR: " /srv/gb ", GLASSBOX_MODEL_DIR: " models/x " })).toMatchObject({ GLASSBOX_DATA_DIR: "/srv/gb", GLASSBOX_MODEL_DIR: "models/x" });
    expect(parseServerEnv({ GLASSBOX_DATA_DIR: "" }).GLASSBOX_DATA_DIR).toBe("data");
    expect(parseServerEnv({ GLASSBOX_MODEL_DIR: "" }).GLASSBOX_MODEL_DIR).toBeUndefined();
  });

  it("NODE_ENV: development, production or test; unset stays unset", () => {
    expect(parseNodeEnv(undefined)).toBeUndefined();
    expect(parseServerEnv({ NODE_ENV: "production" }).NODE_ENV).toBe("production");
    expect(() => parseServerEnv({ NODE_ENV: "staging" })).toThrow(/NODE_ENV must be one of development, production, test \(got "staging"\)/);
  });

  it("ignores variables it does not define", () => {
    expect(parseServerEnv({ PATH: "/bin", GLASSBOX_UNKNOWN: "x" })).not.toHaveProperty("PATH");
  });
});

describe("serverEnv / isDevelopment read process.env when called", () => {
  it("sees a variable set before the call", () => {
    vi.stubEnv("GLASSBOX_QUEUE_LIMIT", "3");
    expect(serverEnv().GLASSBOX_QUEUE_LIMIT).toBe(3);
    vi.stubEnv("GLASSBOX_QUEUE_LIMIT", "abc");
    expect(() => serverEnv()).toThrow(/GLASSBOX_QUEUE_LIMIT must be an integer in \[0, 10000\]/);
  });

  it("isDevelopment follows NODE_ENV, and a bad NODE_ENV fails", () => {
    vi.stubEnv("NODE_ENV", "development");
    expect(isDevelopment()).toBe(true);
    vi.stubEnv("NODE_ENV", "test");
    expect(isDevelopment()).toBe(false);
    vi.stubEnv("NODE_ENV", "dev");
    expect(() => isDevelopment()).toThrow(/NODE_ENV must be one of/);
  });

  it("refuses to run in a browser", () => {
    vi.stubGlobal("window", {});
    expect(() => serverEnv()).toThrow(/client code imports lib\/env\/client\.ts/);
  });

  it("the client module never reads a server variable", () => {
    const source = fs.readFileSync(path.resolve("lib/env/client.ts"), "utf8");
    expect([...source.matchAll(/process\.env\.(\w+)/g)].map((m) => m[1]).filter((name) => name !== "NEXT_PUBLIC_X")).toEqual(["NODE_ENV"]);
    expect(source).not.toMatch(/from "\.\/server/);
  });
});

describe("the modules that read the configuration", () => {
  const store = globalThis as Record<string, unknown>;
  beforeEach(() => {
    delete store.glassboxTokenizeLimiter;
    delete store.glassboxAuthLimiters;
    delete store.glassboxGenerationLimiters;
  });
  afterEach(() => {
    delete store.glassboxTokenizeLimiter;
    delete store.glassboxAuthLimiters;
    delete store.glassboxGenerationLimiters;
  });

  const tokenize = (ip = "10.0.0.1") => new Request("http://localhost/api/tokenize", { method: "POST", headers: { "x-forwarded-for": ip } });

  it("the tokenize limit comes from GLASSBOX_TOKENIZE_RATE_LIMIT, and a bad one fails on load instead of becoming 600", async () => {
    vi.stubEnv("GLASSBOX_TOKENIZE_RATE_LIMIT", "2");
    const { limitTokenize } = await import("@/lib/tokenizers/rate-limit");
    expect(await limitTokenize(tokenize())).toBeNull();
    expect(await limitTokenize(tokenize())).toBeNull();
    expect((await limitTokenize(tokenize()))?.status).toBe(429);

    vi.resetModules();
    vi.stubEnv("GLASSBOX_TOKENIZE_RATE_LIMIT", "abc");
    await expect(import("@/lib/tokenizers/rate-limit")).rejects.toThrow(/GLASSBOX_TOKENIZE_RATE_LIMIT must be an integer in \[1, 1000000\] \(got "abc"\)/);
  });

  it("the sign-in limit comes from GLASSBOX_AUTH_RATE_LIMIT; 0 is refused instead of becoming 10", async () => {
    vi.stubEnv("GLASSBOX_AUTH_RATE_LIMIT", "1");
    const { limitAuthAttempt } = await import("@/lib/auth/limits");
    expect((await limitAuthAttempt("signin", "10.0.0.1", "a@b.co")).ok).toBe(true);
    expect((await limitAuthAttempt("signin", "10.0.0.1", "a@b.co")).ok).toBe(false);

    vi.resetModules();
    delete store.glassboxAuthLimiters;
    vi.stubEnv("GLASSBOX_AUTH_RATE_LIMIT", "0");
    await expect(import("@/lib/auth/limits")).rejects.toThrow(/GLASSBOX_AUTH_RATE_LIMIT must be an integer in \[1, 1000000\] \(got "0"\)/);
  });

  it("the generation limit comes from GLASSBOX_GENERATION_RATE_LIMIT; a negative one is refused", async () => {
    vi.stubEnv("GLASSBOX_GENERATION_RATE_LIMIT", "1");
    const { limitGeneration } = await import("@/lib/llm/server/rate-limit");
    const request = () => new Request("http://localhost/api/generate", { method: "POST", headers: { "x-forwarded-for": "10.0.0.9" } });
    expect(await limitGeneration(request(), { route: "generate", userId: "u1" })).toBeNull();
    expect((await limitGeneration(request(), { route: "generate", userId: "u1" }))?.status).toBe(429);

    vi.resetModules();
    delete store.glassboxGenerationLimiters;
    vi.stubEnv("GLASSBOX_GENERATION_RATE_LIMIT", "-1");
    await expect(import("@/lib/llm/server/rate-limit")).rejects.toThrow(/GLASSBOX_GENERATION_RATE_LIMIT must be an integer/);
  });

  it("the inference server's configuration: defaults, overrides, and a clear error for a bad value", async () => {
    const { serverLlmConfig } = await import("@/lib/llm/server/config");
    const { generationTestHooks } = await import("@/lib/llm/server/testing");
    try {
      generationTestHooks.reset();
      expect(serverLlmConfig()).toEqual({ concurrency: 64, batchSize: 32, queueLimit: 16, timeoutMs: 60_000, modelDir: undefined, abortGraceMs: 2_000 });
      vi.stubEnv("GLASSBOX_QUEUE_LIMIT", "0");
      vi.stubEnv("GLASSBOX_MODEL_DIR", "models/mine");
      generationTestHooks.reset();
      expect(serverLlmConfig()).toMatchObject({ queueLimit: 0, modelDir: path.resolve("models/mine") });
      vi.stubEnv("GLASSBOX_GENERATION_CONCURRENCY", "0");
      generationTestHooks.reset();
      expect(() => serverLlmConfig()).toThrow(/GLASSBOX_GENERATION_CONCURRENCY must be an integer in \[1, 256\] \(got "0"\)/);
    } finally {
      vi.unstubAllEnvs();
      generationTestHooks.reset();
    }
  });

  it("the database configuration, and start-up (which resolves it first) failing on any bad variable", async () => {
    const { resolveDatabaseConfig } = await import("@/lib/db/config");
    expect(resolveDatabaseConfig()).toEqual({ kind: "pglite", dataDir: path.resolve("data/pglite") });
    vi.stubEnv("GLASSBOX_DATA_DIR", "/tmp/gb");
    expect(resolveDatabaseConfig()).toEqual({ kind: "pglite", dataDir: "/tmp/gb/pglite" });
    vi.stubEnv("DATABASE_URL", "pglite:memory");
    expect(resolveDatabaseConfig()).toEqual({ kind: "pglite", dataDir: null });
    vi.stubEnv("GLASSBOX_GENERATION_TIMEOUT_MS", "abc");
    expect(() => resolveDatabaseConfig()).toThrow(/^Invalid configuration.*GLASSBOX_GENERATION_TIMEOUT_MS must be an integer in \[100, 3600000\]/);
  });

  it("env(): the session lifetime and secret, validated", async () => {
    vi.stubEnv("AUTH_SECRET", SECRET);
    vi.stubEnv("GLASSBOX_SESSION_MAX_AGE", "3600");
    const { env } = await import("@/lib/env");
    expect(env()).toMatchObject({ AUTH_SECRET: SECRET, GLASSBOX_SESSION_MAX_AGE: 3600 });

    vi.resetModules();
    vi.stubEnv("GLASSBOX_SESSION_MAX_AGE", "0");
    const fresh = await import("@/lib/env");
    expect(() => fresh.env()).toThrow(/GLASSBOX_SESSION_MAX_AGE must be an integer in \[1, 315360000\] \(got "0"\)/);
  });
});

describe("README", () => {
  it('"Configuration" lists every variable exactly once', () => {
    const readme = fs.readFileSync(path.resolve("README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 3));
    const rows = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(new Set(rows).size).toBe(rows.length);
    for (const name of SERVER_ENV_NAMES.filter((n) => n !== "NODE_ENV")) expect(rows, name).toContain(name);
    for (const [name, min, max] of INTEGERS) {
      const row = section.split("\n").find((line) => line.startsWith(`| \`${name}\``))!;
      expect(row, name).toContain(`${min.toLocaleString("en-US")}–${max.toLocaleString("en-US")}`);
    }
  });
});
