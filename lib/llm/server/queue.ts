import "server-only";
import { GenerationAbortedError, QueueFullError, QueueTimeoutError } from "./errors.ts";

/**
 * A FIFO queue of generation turns for one model: at most `concurrency` generations hold a
 * slot at once, at most `maxWaiting` requests wait for one; the next request is refused
 * (QueueFullError ⇒ HTTP 503 + Retry-After) instead of piling up. A waiting request whose
 * client goes away (its AbortSignal fires) leaves the queue at once, and one that has
 * waited `timeoutMs` gives up (QueueTimeoutError).
 *
 * Slots are released explicitly (idempotent `release()`); the queue remembers how long
 * slots were held (a moving average) to tell refused clients when to come back.
 */

export interface QueueLimits {
  /** Slots: generations running at the same time. ≥ 1. */
  concurrency: number;
  /** Requests allowed to wait for a slot. 0 ⇒ no waiting: busy means refused. */
  maxWaiting: number;
}

export interface QueueSlot {
  /** Give the slot to the next waiting request. Safe to call more than once. */
  release(): void;
  /** How long the request waited for this slot. */
  readonly waitedMs: number;
}

export interface AcquireOptions {
  /** Aborting it removes a waiting request from the queue (rejects with GenerationAbortedError). */
  signal?: AbortSignal;
  /** Give up after waiting this long (rejects with QueueTimeoutError). */
  timeoutMs?: number;
}

interface Waiter {
  enqueuedAt: number;
  grant: () => void;
  /** Reject without a slot (the waiter is already out of the queue). */
  refuse: (error: Error) => void;
  cleanup: () => void;
}

/** Assumed slot hold time before any generation has finished (for Retry-After). */
const INITIAL_ESTIMATE_MS = 5_000;
const MAX_RETRY_AFTER_S = 300;

export class GenerationQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private averageHoldMs: number | null = null;
  /** Set by close(): every later acquire() is refused with this error. */
  private refusal: (() => Error) | null = null;

  constructor(
    /** Named in errors ("… waiting for course-lm"). */
    readonly name: string,
    /** Read at every decision, so a changed configuration applies to the next request. */
    private readonly limits: () => QueueLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Wait for a slot (FIFO). Rejects at once with QueueFullError when the queue is full. */
  acquire(options: AcquireOptions = {}): Promise<QueueSlot> {
    const { signal, timeoutMs } = options;
    if (signal?.aborted) return Promise.reject(new GenerationAbortedError("the request was cancelled before it reached the queue"));
    if (this.refusal) return Promise.reject(this.refusal());
    const { concurrency, maxWaiting } = this.limits();
    const enqueuedAt = this.now();
    if (this.running < concurrency && this.waiting.length === 0) {
      this.running++;
      return Promise.resolve(this.slot(enqueuedAt));
    }
    if (this.waiting.length >= maxWaiting) {
      return Promise.reject(new QueueFullError(this.name, this.waiting.length, this.retryAfterSeconds()));
    }
    return new Promise<QueueSlot>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const leave = (error: Error) => {
        const i = this.waiting.indexOf(waiter);
        if (i < 0) return; // already granted
        this.waiting.splice(i, 1);
        waiter.cleanup();
        reject(error);
      };
      const onAbort = () => leave(new GenerationAbortedError("the request was cancelled while waiting for the model"));
      const waiter: Waiter = {
        enqueuedAt,
        grant: () => {
          waiter.cleanup();
          resolve(this.slot(enqueuedAt));
        },
        refuse: (error) => {
          waiter.cleanup();
          reject(error);
        },
        cleanup: () => {
          if (timer !== undefined) clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
        },
      };
      this.waiting.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => leave(new QueueTimeoutError(this.name, this.now() - enqueuedAt, this.retryAfterSeconds())), timeoutMs);
      }
    });
  }

  /**
   * Shutdown: refuse every waiting request and every later one with `refusal()`. Slots
   * already granted are untouched (their generations finish or are cancelled by the caller).
   */
  close(refusal: () => Error): void {
    this.refusal = refusal;
    for (const waiter of this.waiting.splice(0)) waiter.refuse(refusal());
  }

  /** Current occupancy (for tests, /api/models and logs). */
  stats(): { running: number; waiting: number } & QueueLimits {
    return { running: this.running, waiting: this.waiting.length, ...this.limits() };
  }

  /**
   * When a refused client should try again: the requests ahead of it (running + waiting)
   * spread over the slots, times the average time a slot is held. 1 s … 300 s.
   */
  retryAfterSeconds(): number {
    const { concurrency } = this.limits();
    const holdMs = this.averageHoldMs ?? INITIAL_ESTIMATE_MS;
    const ahead = this.running + this.waiting.length;
    const seconds = Math.ceil(((ahead / Math.max(1, concurrency)) * holdMs) / 1000);
    return Math.min(MAX_RETRY_AFTER_S, Math.max(1, seconds));
  }

  private slot(enqueuedAt: number): QueueSlot {
    const grantedAt = this.now();
    let released = false;
    return {
      waitedMs: grantedAt - enqueuedAt,
      release: () => {
        if (released) return;
        released = true;
        this.running--;
        const held = this.now() - grantedAt;
        this.averageHoldMs = this.averageHoldMs === null ? held : 0.7 * this.averageHoldMs + 0.3 * held;
        this.dispatch();
      },
    };
  }

  private dispatch(): void {
    const { concurrency } = this.limits();
    while (this.running < concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.running++;
      next.grant();
    }
  }
}
