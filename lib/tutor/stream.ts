import "server-only";
import { LineCoalescer, ndjsonStreamResponse } from "../http/ndjson.ts";
import { GenerationAbortedError, streamErrorEvent, type ActiveGeneration } from "../llm/server/index.ts";
import { partialTrace, wireEvent, type Trace, type TraceStep } from "../llm/trace.ts";
import { holdForShutdown } from "../ops/shutdown.ts";
import type { TutorEvent } from "./types.ts";

/**
 * The tutor's NDJSON response: its own lines first (conversation, sources, context), then the
 * generation's events exactly as /api/generate streams them (prompt, step…, done, or error),
 * then what `onDone` returns (the "saved" line).
 *
 * Unlike ndjsonResponse() (lib/llm/server), the generation is consumed to its end even when
 * the client stops reading: pressing Stop (or closing the tab) cancels the generation, which
 * ends within one step with finishReason "aborted", and `onDone` still receives that partial
 * trace — so a stopped reply is saved as far as it got.
 */
export function tutorStream(options: {
  prelude: readonly TutorEvent[];
  generation: ActiveGeneration;
  /** Called once with the finished (or stopped) trace; lines it returns follow "done". */
  onDone: (trace: Trace) => Promise<readonly TutorEvent[]>;
}): Response {
  const { generation } = options;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  // Lines made within a few milliseconds share a write (lib/http/ndjson.ts).
  const out = new LineCoalescer((chunk) => {
    if (!open) return;
    try {
      controller.enqueue(chunk);
    } catch {
      open = false;
    }
  });
  const send = <E extends { type: string }>(value: E) => {
    if (open) out.pushEvent(value);
  };
  const close = () => {
    out.flush();
    if (!open) return;
    open = false;
    try {
      controller.close();
    } catch {
      /* already closed */
    }
  };
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      open = false;
      generation.cancel("the client stopped the reply");
    },
  });
  for (const line of options.prelude) send(line);

  // A shutdown waits for this reply to be saved before it closes the database (lib/ops/shutdown.ts).
  const release = holdForShutdown();
  void (async () => {
    try {
      let trace: Trace | null = null;
      let prompt: Extract<TutorEvent, { type: "prompt" }> | null = null;
      const steps: TraceStep[] = [];
      const started = performance.now();
      try {
        for await (const event of generation) {
          if (event.type === "prompt") prompt = event;
          else if (event.type === "step") steps.push(event.step);
          else if (event.type === "done") trace = event.trace;
          send(wireEvent(event));
        }
      } catch (error) {
        // Stopped while a forward pass hung past its grace period: keep what was streamed.
        if (error instanceof GenerationAbortedError && prompt) {
          trace = partialTrace(prompt, steps, performance.now() - started);
        } else send(streamErrorEvent(error));
      }
      if (trace) {
        try {
          for (const line of await options.onDone(trace)) send(line);
        } catch (error) {
          console.error("[tutor] saving a reply failed:", error);
          send({ type: "error", error: "the reply could not be saved", code: "save_failed" });
        }
      }
    } finally {
      close();
      release();
    }
  })();

  return ndjsonStreamResponse(stream);
}
