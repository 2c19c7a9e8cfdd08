import { expect } from "vitest";
import { createStreamedSteps } from "@/lib/llm/trace";

/**
 * Reads an NDJSON response body one line per call, pulling only as much as it needs (an unread
 * stream pauses the generation behind it, which the queue and shutdown tests rely on). A
 * generation's "done" line comes back with its trace whole, as the app's readers see it (the
 * wire leaves the steps out: lib/llm/trace.ts wireEvent).
 */
export function ndjsonLines<Event>(response: Response) {
  const restore = createStreamedSteps();
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const next = async (): Promise<Event | null> => {
    for (;;) {
      const nl = buffer.indexOf("\n");
      if (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        return restore(JSON.parse(line) as Event & { type: string });
      }
      const { value, done } = await reader.read();
      if (done) {
        expect(buffer, "no partial line at the end").toBe("");
        return null;
      }
      buffer += decoder.decode(value, { stream: true });
    }
  };
  return {
    next,
    async rest(): Promise<Event[]> {
      const out: Event[] = [];
      for (let e = await next(); e; e = await next()) out.push(e);
      return out;
    },
    cancel: () => reader.cancel(),
  };
}
