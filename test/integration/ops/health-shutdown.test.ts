/**
 * GET /api/health and graceful shutdown, on real databases (in-memory and on-disk PGlite,
 * a PostgreSQL URL nobody listens on) and the real course-lm: the health report, refusing
 * new generations while draining, letting one in flight finish or stopping it at the
 * deadline, and a PGlite data directory that reopens intact after the clean close.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ndjsonLines } from "../../helpers/ndjson";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as generate } from "@/app/api/generate/route";
import { GET as health } from "@/app/api/health/route";
import { closeDb, getPrisma } from "@/lib/db";
import { openConnection } from "@/lib/db/connection";
import { applyMigrations, pendingMigrations, readMigrations } from "@/lib/db/migrate";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { preparePrompt } from "@/lib/llm/decode";
import { getServerModel, queueFor, resolveServerModel, unloadServerModels } from "@/lib/llm/server";
import { resumeGenerationsForTests } from "@/lib/llm/server/drain";
import { generationTestHooks as hooks } from "@/lib/llm/server/testing";
import type { Trace } from "@/lib/llm/trace";
import { resetHealthCacheForTests, type HealthReport } from "@/lib/ops/health";
import { holdForShutdown, isShuttingDown, onShutdown, resetShutdownForTests, shutdown } from "@/lib/ops/shutdown";
import { createTestDatabase, useAsAppDatabase as setAppDatabase } from "../../helpers/db";

type Event = { type: "prompt" } | { type: "step" } | { type: "done"; trace: Trace } | { type: "error"; error: string; code: string };

const post = (body: unknown) =>
  generate(new Request("http://localhost/api/generate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));

async function getHealth(): Promise<{ status: number; body: HealthReport; cacheControl: string | null }> {
  const response = await health();
  return { status: response.status, body: (await response.json()) as HealthReport, cacheControl: response.headers.get("cache-control") };
}

/** The response's NDJSON lines (a 200 is asserted first). */
function lines(response: Response) {
  expect(response.status).toBe(200);
  return ndjsonLines<Event>(response);
}

/** A fresh, migrated in-memory PGlite as the app's database (shutdown closes it). */
async function freshAppDatabase() {
  const db = await createTestDatabase();
  setAppDatabase(db);
  return db;
}

function resetAll() {
  resetShutdownForTests();
  resumeGenerationsForTests();
  resetHealthCacheForTests();
}

describe("GET /api/health", () => {
  afterEach(() => {
    resetAll();
    vi.restoreAllMocks();
  });
  afterAll(() => unloadServerModels());

  it("200: database reachable, migrations applied, and which models are loaded (loading none itself)", async () => {
    const db = await freshAppDatabase();
    try {
      const first = await getHealth();
      expect(first.status).toBe(200);
      expect(first.cacheControl).toBe("no-store");
      expect(first.body).toEqual({
        status: "ok",
        // The suite runs on PGlite, and again on PostgreSQL when TEST_POSTGRES_URL is set (CI).
        database: { reachable: true, engine: db.kind, migrations: "applied" },
        models: { loaded: [] },
      });
      // Asking twice loads nothing.
      expect((await getHealth()).body.models.loaded).toEqual([]);

      await getServerModel(resolveServerModel("course-lm"));
      const second = await getHealth();
      expect(second.status).toBe(200);
      expect(second.body.models.loaded).toEqual(["course-lm"]);
    } finally {
      await db.close();
    }
  });

  it("503 migrations-pending on a database that was never migrated, naming the migrations", async () => {
    const connection = await openConnection({ kind: "pglite", dataDir: null });
    const prisma = new PrismaClient({ adapter: connection.adapter });
    setAppDatabase({ prisma, connection, kind: "pglite", close: async () => {} });
    try {
      const { status, body } = await getHealth();
      expect(status).toBe(503);
      expect(body.status).toBe("migrations-pending");
      expect(body.database).toMatchObject({ reachable: true, migrations: "pending", pending: readMigrations().map((m) => m.name) });

      // Once applied, the same server reports ok (the pending answer was not cached).
      await applyMigrations(connection.sql);
      expect((await getHealth()).body.status).toBe("ok");
    } finally {
      await prisma.$disconnect();
      await connection.close();
    }
  });

  it("503 database-unavailable when PostgreSQL does not answer, without leaking the URL", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    // Port 1 on localhost: nothing listens there, the connection is refused at once.
    const connection = await openConnection({ kind: "postgres", url: "postgresql://glassbox:s3cret-pw@127.0.0.1:1/glassbox" });
    const prisma = new PrismaClient({ adapter: connection.adapter });
    setAppDatabase({ prisma, connection, kind: "postgres", close: async () => {} });
    try {
      const response = await health();
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(text).not.toMatch(/s3cret|127\.0\.0\.1|glassbox:/);
      expect(JSON.parse(text)).toEqual({
        status: "database-unavailable",
        database: { reachable: false, engine: "postgres", migrations: "unknown" },
        models: { loaded: expect.any(Array) },
      });
    } finally {
      await connection.close().catch(() => {});
    }
  });

  it("503 database-unavailable once the database has been closed", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    await freshAppDatabase();
    expect((await getHealth()).status).toBe(200);
    expect(await closeDb()).toBe(true);
    const { status, body } = await getHealth();
    expect(status).toBe(503);
    expect(body.status).toBe("database-unavailable");
    expect(body.database.reachable).toBe(false);
  });
});

describe("shutdown", () => {
  /** 200 forced copies of an ordinary token: a reply that cannot end early. */
  let longForced: number[];

  beforeAll(async () => {
    hooks.configure({ concurrency: 1, queueLimit: 4, timeoutMs: 60_000, abortGraceMs: 500 });
    const model = await getServerModel(resolveServerModel("course-lm"));
    const the = preparePrompt(model, { prompt: " the" }, false).ids[0];
    expect(model.eosTokenIds).not.toContain(the);
    longForced = Array(200).fill(the);
  });
  afterEach(() => {
    resetAll();
    hooks.reset();
    hooks.configure({ concurrency: 1, queueLimit: 4, timeoutMs: 60_000, abortGraceMs: 500 });
    expect(queueFor("course-lm").stats()).toMatchObject({ running: 0, waiting: 0 });
  });
  afterAll(async () => {
    hooks.reset();
    await unloadServerModels();
  });

  it("lets a generation in flight finish, refuses queued and new ones with 503 + Retry-After, and reports shutting-down", async () => {
    await freshAppDatabase();
    // Longer than the ~20 lines (64 KB) a generation runs ahead of its reader: unread, it pauses holding its slot.
    const running = lines(await post({ prompt: "A language model", forcedTokens: longForced, settings: { greedy: true, maxNewTokens: 40 } }));
    expect((await running.next())?.type).toBe("prompt"); // it holds the slot now
    const queued = post({ prompt: "Waiting", settings: { greedy: true, maxNewTokens: 2 } }); // waits for the slot
    await vi.waitFor(() => expect(queueFor("course-lm").stats().waiting).toBe(1));

    const done = shutdown({ graceMs: 60_000 });
    expect(isShuttingDown()).toBe(true);

    const refusedWhileQueued = await queued;
    expect(refusedWhileQueued.status).toBe(503);
    expect(refusedWhileQueued.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);

    const fresh = await post({ prompt: "Too late", settings: { greedy: true, maxNewTokens: 2 } });
    expect(fresh.status).toBe(503);
    expect(Number(fresh.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await fresh.json()) as { error: string }).error).toMatch(/shutting down/);

    const draining = await getHealth();
    expect(draining.status).toBe(503);
    expect(draining.body.status).toBe("shutting-down");

    // The one in flight runs to its natural end despite the shutdown.
    const rest = await running.rest();
    const last = rest.at(-1)!;
    expect(last.type).toBe("done");
    expect((last as Extract<Event, { type: "done" }>).trace.finishReason).not.toBe("aborted");
    expect(rest.filter((e) => e.type === "step").length).toBeGreaterThan(0);

    const report = await done;
    expect(report.errors).toEqual({});
    expect(report.results.generations).toEqual({ inFlight: 1, stopped: 0 });
    expect(report.results.database).toBe(true);
  });

  it("stops a generation still running at the deadline: its stream ends with the partial trace, finishReason aborted", async () => {
    await freshAppDatabase();
    // A client that reads one step and then nothing: the generation cannot finish before the deadline.
    const slow = lines(await post({ prompt: "The", forcedTokens: longForced, settings: { greedy: true, maxNewTokens: 200 } }));
    expect((await slow.next())?.type).toBe("prompt");
    expect((await slow.next())?.type).toBe("step");

    const report = await shutdown({ graceMs: 200 });
    expect(report.results.generations).toEqual({ inFlight: 1, stopped: 1 });
    expect(queueFor("course-lm").stats().running).toBe(0);

    const rest = await slow.rest();
    const last = rest.at(-1) as Extract<Event, { type: "done" }>;
    expect(last.type).toBe("done");
    expect(last.trace.finishReason).toBe("aborted");
    expect(last.trace.steps.length).toBeLessThan(200);
  });

  it("closes an on-disk PGlite cleanly: the data directory reopens intact with the row written before", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "glassbox-shutdown-"));
    try {
      const dataDir = path.join(dir, "pglite");
      // As npm start does: migrate in a connection of its own, close it, then the app opens the database.
      const migrator = await openConnection({ kind: "pglite", dataDir });
      await applyMigrations(migrator.sql);
      await migrator.close();
      (globalThis as { glassboxDb?: unknown }).glassboxDb = undefined;
      vi.stubEnv("DATABASE_URL", `pglite:${dataDir}`);

      const prisma = await getPrisma();
      await prisma.user.create({ data: { email: "kept@example.com", name: "Kept across restarts" } });
      expect((await getHealth()).status).toBe(200);

      const report = await shutdown({ graceMs: 1_000 });
      expect(report.errors).toEqual({});
      expect(report.results.database).toBe(true);
      await expect(getPrisma()).rejects.toThrow(/closed/);

      // A fresh connection, as the next start would open it.
      const reopened = await openConnection({ kind: "pglite", dataDir });
      try {
        expect(await pendingMigrations(reopened.sql)).toEqual([]);
        const rows = await reopened.sql.query<{ name: string }>(`SELECT name FROM "User" WHERE email = $1`, ["kept@example.com"]);
        expect(rows).toEqual([{ name: "Kept across restarts" }]);
        const [{ ok }] = await reopened.sql.query<{ ok: number }>("SELECT 1 AS ok");
        expect(ok).toBe(1);
      } finally {
        await reopened.close();
      }
    } finally {
      vi.unstubAllEnvs();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the database open until a reply still being saved is released", async () => {
    const order: string[] = [];
    onShutdown("test-close-probe", "close", async () => {
      order.push("close");
    });
    const release = holdForShutdown(); // as the tutor stream holds it until its reply is saved
    const done = shutdown({ graceMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // well past the grace period
    expect(order).toEqual([]); // nothing closed while the save is pending
    order.push("saved");
    release();
    await done;
    expect(order).toEqual(["saved", "close"]);
  });
});
