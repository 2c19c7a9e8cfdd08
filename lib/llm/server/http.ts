import "server-only";
import { LineCoalescer, ndjsonStreamResponse } from "../../http/ndjson.ts";
import { wireEvent } from "../trace.ts";
import { jsonError } from "../../http/responses.ts";
import { GenerationError } from "./errors.ts";
import type { ActiveGeneration } from "./generation.ts";

/**
 * HTTP glue for generations, shared by /api/generate and any other route that streams a
 * model reply (the tutor): typed errors → status + JSON, and a generation → an NDJSON
 * stream with the error contract of the API (headers and line encoding: lib/http/ndjson.ts).
 */

/** Failure before streaming: the error's status and `{ error, fields? }` (+ Retry-After). Unknown errors ⇒ 500 without details. */
export function generationErrorResponse(error: unknown): Response {
  if (error instanceof GenerationError) {
    const headers = error.retryAfter !== undefined ? { "Retry-After": String(error.retryAfter) } : undefined;
    return jsonError(error.status, error.message, {
      ...(error.field ? { fields: { [error.field]: error.message } } : {}),
      headers,
    });
  }
  console.error("[llm] unexpected error before streaming:", error);
  return jsonError(500, "internal error while starting the generation");
}

/** The stream's last line when it fails part-way: `{"type":"error","error":…,"code":…}`. Never a stack. */
export function streamErrorEvent(error: unknown): { type: "error"; error: string; code: string } {
  if (error instanceof GenerationError) return { type: "error", error: error.message, code: error.code };
  console.error("[llm] unexpected error while streaming:", error);
  return { type: "error", error: "internal error while generating", code: "internal" };
}

/**
 * How far a generation may run ahead of its client's socket. Reading one line per pull, each
 * step waited for the previous line to be written before asking for its next pass, and so
 * missed the batch pass its group was about to run (continuous batching, lib/llm/batch.ts);
 * 64 KB (~20 step lines) keeps up and still bounds what a stalled client makes the server hold.
 */
const RUN_AHEAD_BYTES = 64 * 1024;

/**
 * Stream a generation as NDJSON: one JSON object per line — "prompt", "step" per token,
 * "done" with the trace less its steps (the step lines: lib/llm/trace.ts wireEvent) — or, on a
 * failure part-way, an "error" line, then the end. Lines made within a few milliseconds of
 * each other share a write (LineCoalescer). The generation runs while less than
 * RUN_AHEAD_BYTES wait unread (backpressure: a slow client slows the generation, and the
 * deadline still applies). Cancelling the stream (the client went away) stops the generation.
 * (The tutor streams with lib/tutor/stream.ts instead: it must drain a stopped generation to
 * save the partial reply, where this one lets it go.)
 */
export function ndjsonResponse(generation: ActiveGeneration, init: ResponseInit = {}): Response {
  let stopped = false;
  let wake: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const out = new LineCoalescer((chunk) => {
          if (!stopped) controller.enqueue(chunk);
        });
        const roomToRunAhead = async () => {
          while (!stopped && (controller.desiredSize ?? 1) <= 0) await new Promise<void>((resolve) => (wake = resolve));
        };
        void (async () => {
          try {
            for (;;) {
              await roomToRunAhead();
              if (stopped) return;
              const result = await generation.next();
              if (stopped) return;
              if (result.done) break;
              out.pushEvent(wireEvent(result.value));
              if (result.value.type === "done") break;
            }
          } catch (error) {
            if (stopped) return;
            out.pushEvent(streamErrorEvent(error));
          }
          out.flush();
          stopped = true;
          controller.close();
        })();
      },
      pull() {
        wake?.();
        wake = undefined;
      },
      async cancel() {
        stopped = true;
        wake?.();
        await generation.return();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: RUN_AHEAD_BYTES }),
  );
  return ndjsonStreamResponse(stream, init);
}
