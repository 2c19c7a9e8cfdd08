/**
 * NDJSON responses — one JSON value per line — the API's streaming format (/api/generate,
 * /api/tutor). Every NDJSON response goes out with the same headers, set here only.
 */

export const NDJSON_HEADERS = {
  "Content-Type": "application/x-ndjson; charset=utf-8",
  "Cache-Control": "no-store, no-transform",
  // Ask reverse proxies (nginx) not to buffer: each line should reach the client as it is made.
  "X-Accel-Buffering": "no",
} as const;

const encoder = new TextEncoder();

/** `value` as one encoded NDJSON line (JSON + "\n"), ready to enqueue on a stream. */
export function ndjsonLine(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value)}\n`);
}

/**
 * How long a line may wait to share a write with the lines after it. A generation makes a line
 * per token, and each line written alone costs a write on the socket and a read on the client
 * (under 32 concurrent replies the socket writes alone were ~8 % of the server's CPU); 8 ms is
 * under a frame at 120 Hz, so a reader sees no difference.
 */
export const COALESCE_MS = 8;

/**
 * Joins lines written in quick succession into one chunk: a line pushed after a quiet spell
 * (COALESCE_MS since the last push went out) goes out at once, and the lines pushed within the
 * window go out together when it ends, or at flush(). Lines that must not wait and should not
 * hold back the next one (what precedes the first token: the prompt, sources) go by writeNow();
 * pushEvent() picks for a generation's events. Call flush() before closing the stream.
 */
export class LineCoalescer {
  private buffered: Uint8Array[] = [];
  private lastWrite = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly write: (chunk: Uint8Array) => void,
    private readonly windowMs = COALESCE_MS,
  ) {}

  push(line: Uint8Array): void {
    const now = performance.now();
    if (this.buffered.length === 0 && now - this.lastWrite >= this.windowMs) {
      this.lastWrite = now;
      this.write(line);
      return;
    }
    this.buffered.push(line);
    this.timer ??= setTimeout(() => this.flush(), Math.max(0, this.lastWrite + this.windowMs - now));
  }

  /**
   * An event of a generation's stream as a line: "step" lines (one per token) share writes;
   * anything else (the prompt and sources before the first token, the end) goes at once.
   */
  pushEvent(event: { type: string }): void {
    const line = ndjsonLine(event);
    if (event.type === "step") this.push(line);
    else this.writeNow(line);
  }

  /** Write `line` now, after anything waiting, without opening a window for the lines after it. */
  writeNow(line: Uint8Array): void {
    const opened = this.lastWrite;
    this.flush();
    this.lastWrite = opened;
    this.write(line);
  }

  /** Write what waits now (one chunk). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffered.length === 0) return;
    const lines = this.buffered;
    this.buffered = [];
    this.lastWrite = performance.now();
    if (lines.length === 1) return this.write(lines[0]!);
    const chunk = new Uint8Array(lines.reduce((n, l) => n + l.length, 0));
    let at = 0;
    for (const line of lines) {
      chunk.set(line, at);
      at += line.length;
    }
    this.write(chunk);
  }
}

/** A streamed NDJSON response; `init` may add headers or override the status (default 200). */
export function ndjsonStreamResponse(stream: ReadableStream<Uint8Array>, init: ResponseInit = {}): Response {
  return new Response(stream, withNdjsonHeaders(init));
}

/** An NDJSON response whose lines are all known up front: sent as one body, not streamed. */
export function ndjsonLinesResponse(lines: readonly unknown[], init: ResponseInit = {}): Response {
  return new Response(lines.map((line) => `${JSON.stringify(line)}\n`).join(""), withNdjsonHeaders(init));
}

function withNdjsonHeaders(init: ResponseInit): ResponseInit {
  return { ...init, status: init.status ?? 200, headers: { ...NDJSON_HEADERS, ...(init.headers as Record<string, string> | undefined) } };
}
