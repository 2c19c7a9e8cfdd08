/**
 * The inference server's FIFO queue on its own: bounded concurrency, bounded waiting,
 * leaving on abort or timeout, idempotent release, Retry-After estimates. No model.
 */
import { describe, expect, it } from "vitest";
import { GenerationAbortedError, QueueFullError, QueueTimeoutError } from "@/lib/llm/server/errors";
import { GenerationQueue, type QueueLimits } from "@/lib/llm/server/queue";

function queue(limits: QueueLimits, clock = { t: 0 }) {
  return { q: new GenerationQueue("test-model", () => limits, () => clock.t), clock };
}

const settled = async <T>(p: Promise<T>) => {
  let state: "pending" | "fulfilled" | "rejected" = "pending";
  p.then(
    () => (state = "fulfilled"),
    () => (state = "rejected"),
  );
  await new Promise((r) => setTimeout(r, 0));
  return state;
};

describe("GenerationQueue", () => {
  it("grants up to `concurrency` slots at once and the rest in FIFO order", async () => {
    const { q } = queue({ concurrency: 2, maxWaiting: 10 });
    const order: string[] = [];
    const a = await q.acquire();
    const b = await q.acquire();
    const c = q.acquire().then((s) => (order.push("c"), s));
    const d = q.acquire().then((s) => (order.push("d"), s));
    const e = q.acquire().then((s) => (order.push("e"), s));
    expect(q.stats()).toMatchObject({ running: 2, waiting: 3 });
    expect(await settled(c)).toBe("pending");
    a.release();
    (await c).release();
    b.release();
    await Promise.all([d, e]);
    expect(order).toEqual(["c", "d", "e"]);
    expect(q.stats()).toMatchObject({ running: 2, waiting: 0 });
  });

  it("refuses with QueueFullError (and a Retry-After) once maxWaiting requests wait", async () => {
    const { q } = queue({ concurrency: 1, maxWaiting: 2 });
    await q.acquire();
    const w1 = q.acquire();
    const w2 = q.acquire();
    const refused = q.acquire();
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await expect(refused).rejects.toMatchObject({ status: 503, code: "queue_full", retryAfter: expect.any(Number) });
    expect(q.stats().waiting).toBe(2);
    void w1;
    void w2;
  });

  it("maxWaiting 0: busy means refused", async () => {
    const { q } = queue({ concurrency: 1, maxWaiting: 0 });
    const s = await q.acquire();
    await expect(q.acquire()).rejects.toBeInstanceOf(QueueFullError);
    s.release();
    await expect(q.acquire()).resolves.toBeDefined();
  });

  it("a waiting request whose signal aborts leaves the queue; the next one moves up", async () => {
    const { q } = queue({ concurrency: 1, maxWaiting: 5 });
    const running = await q.acquire();
    const controller = new AbortController();
    const leaving = q.acquire({ signal: controller.signal });
    const staying = q.acquire();
    expect(q.stats().waiting).toBe(2);
    controller.abort();
    await expect(leaving).rejects.toBeInstanceOf(GenerationAbortedError);
    expect(q.stats().waiting).toBe(1);
    running.release();
    await expect(staying).resolves.toBeDefined();
    expect(q.stats()).toMatchObject({ running: 1, waiting: 0 });
  });

  it("an already-aborted signal never enters the queue", async () => {
    const { q } = queue({ concurrency: 1, maxWaiting: 5 });
    await expect(q.acquire({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(GenerationAbortedError);
    expect(q.stats()).toMatchObject({ running: 0, waiting: 0 });
  });

  it("gives up waiting after timeoutMs with QueueTimeoutError", async () => {
    const { q } = queue({ concurrency: 1, maxWaiting: 5 });
    await q.acquire();
    const waiting = q.acquire({ timeoutMs: 20 });
    await expect(waiting).rejects.toBeInstanceOf(QueueTimeoutError);
    await expect(waiting).rejects.toMatchObject({ status: 503, retryAfter: expect.any(Number) });
    expect(q.stats().waiting).toBe(0);
  });

  it("release is idempotent: releasing twice frees one slot, not two", async () => {
    const { q } = queue({ concurrency: 1, maxWaiting: 5 });
    const a = await q.acquire();
    const b = q.acquire();
    const c = q.acquire();
    a.release();
    a.release();
    await b;
    expect(await settled(c)).toBe("pending");
    expect(q.stats()).toMatchObject({ running: 1, waiting: 1 });
  });

  it("Retry-After grows with the work ahead, from the measured slot hold time (1…300 s)", async () => {
    const { q, clock } = queue({ concurrency: 1, maxWaiting: 50 });
    const s = await q.acquire();
    clock.t += 4_000; // the first generation held its slot for 4 s
    s.release();
    await q.acquire();
    expect(q.retryAfterSeconds()).toBe(4); // one running
    for (let i = 0; i < 3; i++) void q.acquire();
    expect(q.retryAfterSeconds()).toBe(16); // one running + three waiting
    for (let i = 0; i < 46; i++) void q.acquire();
    expect(q.retryAfterSeconds()).toBe(200);
    const idle = queue({ concurrency: 1, maxWaiting: 1 }).q;
    expect(idle.retryAfterSeconds()).toBe(1);
  });

  it("reads its limits at every decision (configuration changes apply to the next request)", async () => {
    const limits = { concurrency: 1, maxWaiting: 0 };
    const q = new GenerationQueue("m", () => limits);
    await q.acquire();
    await expect(q.acquire()).rejects.toBeInstanceOf(QueueFullError);
    limits.maxWaiting = 1;
    const waiting = q.acquire();
    expect(q.stats().waiting).toBe(1);
    void waiting;
  });
});
