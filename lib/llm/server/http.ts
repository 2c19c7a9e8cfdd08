import "server-only";
import { ndjsonLine, ndjsonStreamResponse } from "../../http/ndjson.ts";
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
 * Lines a generation may run ahead of its client's socket. With one, each step waited for the
 * previous line to be written before submitting its next pass, and so missed the batch pass
 * its group was about to run (continuous batching, lib/llm/batch.ts); 16 lines (~50 KB) is
 * enough to keep up and still bounds what a stalled client makes the server hold.
 */
const RUN_AHEAD_LINES = 16;

/**
 * Stream a generation as NDJSON: one JSON object per line — "prompt", "step" per token,
 * "done" with the trace less its steps (the step lines: lib/llm/trace.ts wireEvent) — or, on a failure part-way, an "error" line, then the end. Pulls
 * events while fewer than RUN_AHEAD_LINES wait unread (backpressure: a slow client slows the
 * generation, and the deadline still applies). Cancelling the stream (the client went away) stops the generation.
 * (The tutor streams with lib/tutor/stream.ts instead: it must drain a stopped generation to
 * save the partial reply, where this one lets it go.)
 */
export function ndjsonResponse(generation: ActiveGeneration, init: ResponseInit = {}): Response {
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const result = await generation.next();
        if (closed) return;
        if (result.done) {
          closed = true;
          controller.close();
          return;
        }
        controller.enqueue(ndjsonLine(wireEvent(result.value)));
        if (result.value.type === "done") {
          closed = true;
          controller.close();
        }
      } catch (error) {
        if (closed) return;
        closed = true;
        controller.enqueue(ndjsonLine(streamErrorEvent(error)));
        controller.close();
      }
    },
    async cancel() {
      closed = true;
      await generation.return();
    },
  }, { highWaterMark: RUN_AHEAD_LINES });
  return ndjsonStreamResponse(stream, init);
}
