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
