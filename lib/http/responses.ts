import { NextResponse } from "next/server";
import type { z } from "zod";
import { issuesToFields } from "./parse-body.ts";

/** JSON error bodies are always `{ error: string, fields?: {name: message} }`. */
export function jsonError(status: number, error: string, init?: { fields?: Record<string, string>; headers?: HeadersInit }) {
  return NextResponse.json(init?.fields ? { error, fields: init.fields } : { error }, { status, headers: init?.headers });
}

/** A 400 that names each invalid field and the rule it broke (lib/http/parse-body.ts's wording). */
export function validationError(error: z.ZodError) {
  const { error: summary, fields } = issuesToFields(error.issues);
  return jsonError(400, summary, { fields });
}

export function tooManyRequests(message: string, retryAfter: number) {
  return jsonError(429, message, { headers: { "Retry-After": String(retryAfter) } });
}

/** Parses a JSON body with a size cap; returns a Response to send back on failure. */
export async function readJson(request: Request, maxBytes = 64 * 1024): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > maxBytes) return { ok: false, response: jsonError(413, `Request body is larger than ${maxBytes} bytes`) };
  const text = await readCapped(request, maxBytes);
  if (text === null) return { ok: false, response: jsonError(413, `Request body is larger than ${maxBytes} bytes`) };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: jsonError(400, "Request body must be valid JSON") };
  }
}

/** The body as text, or null as soon as it exceeds `maxBytes` (without reading the rest). */
async function readCapped(request: Request, maxBytes: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
