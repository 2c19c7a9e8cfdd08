import "server-only";
import type { LoadedModel } from "../llm/load.ts";
import { GenerationAbortedError, NDJSON_HEADERS, streamErrorEvent, type ActiveGeneration } from "../llm/server/index.ts";
import type { Trace, TraceStep } from "../llm/trace.ts";
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
  model: LoadedModel;
  /** Called once with the finished (or stopped) trace; lines it returns follow "done". */
  onDone: (trace: Trace) => Promise<readonly TutorEvent[]>;
}): Response {
  const { generation, model } = options;
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const send = (value: unknown) => {
    if (!open) return;
    try {
      controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
    } catch {
      open = false;
    }
  };
  const close = () => {
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

  void (async () => {
    let trace: Trace | null = null;
    let prompt: Extract<TutorEvent, { type: "prompt" }> | null = null;
    const steps: TraceStep[] = [];
    const started = performance.now();
    try {
      for await (const event of generation) {
        if (event.type === "prompt") prompt = event;
        else if (event.type === "step") steps.push(event.step);
        else if (event.type === "done") trace = event.trace;
        send(event);
      }
    } catch (error) {
      // Stopped while a forward pass hung past its grace period: keep what was streamed.
      if (error instanceof GenerationAbortedError && prompt) {
        trace = partialTrace(prompt, steps, model, performance.now() - started);
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
    close();
  })();

  return new Response(stream, { headers: NDJSON_HEADERS });
}

/** A trace for a reply stopped before the decode loop could write its own: what was streamed, finishReason "aborted". */
export function partialTrace(
  prompt: Extract<TutorEvent, { type: "prompt" }>,
  steps: readonly TraceStep[],
  model: Pick<LoadedModel, "tokens" | "vocabSize" | "contextLength">,
  totalMs: number,
): Trace {
  return {
    version: 1,
    model: prompt.model,
    settings: prompt.settings,
    prompt: prompt.prompt,
    steps: [...steps],
    reply: { text: model.tokens.decode(steps.map((s) => s.tokenId)) },
    timings: { prefillMs: 0, ttftMs: 0, tokensPerSecond: null, totalMs },
    finishReason: "aborted",
    vocabSize: model.vocabSize,
    contextLength: model.contextLength,
  };
}
