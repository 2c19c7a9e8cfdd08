/**
 * POST /api/tokenize, called directly with Request objects: per-tokenizer results from the
 * real tokenizers, and 4xx JSON naming the field for every kind of bad input (never a 500).
 */
import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/tokenize/route";
import { MAX_TOKENIZE_BODY_BYTES } from "@/app/api/tokenize/schema";
import { COMPARE_TOKENIZER_IDS, MAX_TOKENIZE_CHARS } from "@/lib/tokenizers/catalog";
import type { TokenizeOutcome } from "@/lib/tokenizers/compare";

function post(body: unknown, raw = false): Promise<Response> {
  return POST(
    new Request("http://localhost/api/tokenize", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: raw ? (body as string) : JSON.stringify(body),
    }),
  );
}

async function error(response: Response, status: number): Promise<{ error: string; fields?: Record<string, string> }> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: string; fields?: Record<string, string> };
  expect(typeof body.error).toBe("string");
  return body;
}

describe("POST /api/tokenize", () => {
  it("tokenizes with the tokenizers asked for, in that order", async () => {
    const response = await post({ text: "hello world", tokenizers: ["gpt-4o", "gpt2", "course-lm"] });
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: TokenizeOutcome[] };
    expect(results.map((r) => r.tokenizer)).toEqual(["gpt-4o", "gpt2", "course-lm"]);
    const gpt2 = results[1];
    expect(gpt2.ok && gpt2.tokens).toEqual([
      { id: 31373, text: "hello" },
      { id: 995, text: " world" },
    ]);
    expect(gpt2.ok && [gpt2.count, gpt2.chars, gpt2.charsPerToken]).toEqual([2, 11, 5.5]);
  });

  it("uses every tokenizer when none is named, and adds chat templates on request", async () => {
    const response = await post({ text: "naïve café 🤖", chatTemplate: true });
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: TokenizeOutcome[] };
    expect(results.map((r) => r.tokenizer)).toEqual([...COMPARE_TOKENIZER_IDS]);
    for (const r of results) {
      expect(r.ok, r.tokenizer).toBe(true);
      if (!r.ok) continue;
      expect(r.count).toBeGreaterThan(0);
      expect(r.tokens.map((t) => t.text).join("")).not.toContain("\uFFFD");
      if (r.tokenizer === "gpt2") expect(r.chatTemplate).toBeNull();
      else expect(r.chatTemplate?.special.length).toBeGreaterThan(0);
    }
  });

  it("rejects an unknown tokenizer, listing the known ones", async () => {
    const body = await error(await post({ text: "hi", tokenizers: ["gpt2", "gpt-5"] }), 400);
    expect(body.fields?.["tokenizers.1"]).toMatch(/unknown tokenizer "gpt-5"/);
    for (const id of COMPARE_TOKENIZER_IDS) expect(body.fields?.["tokenizers.1"]).toContain(id);
  });

  it("rejects text over the cap with 413 and says the limit", async () => {
    const body = await error(await post({ text: "a".repeat(MAX_TOKENIZE_CHARS + 1) }), 413);
    expect(body.fields?.text).toMatch(/at most 20,000 characters/);
  });

  it("accepts text exactly at the cap", async () => {
    const response = await post({ text: "a ".repeat(MAX_TOKENIZE_CHARS / 2), tokenizers: ["gpt2"] });
    expect(response.status).toBe(200);
  });

  it("rejects a lone surrogate", async () => {
    const body = await error(await post('{"text":"half a pair: \\ud83e"}', true), 400);
    expect(body.fields?.text).toMatch(/lone surrogate/);
  });

  it.each([
    ["missing text", {}, "text", /text must be a string/],
    ["text not a string", { text: 42 }, "text", /text must be a string/],
    ["tokenizers not a list", { text: "x", tokenizers: "gpt2" }, "tokenizers", /must be a list/],
    ["empty tokenizers", { text: "x", tokenizers: [] }, "tokenizers", /must not be empty/],
    ["tokenizer id not a string", { text: "x", tokenizers: [7] }, "tokenizers.0", /string id/],
    ["chatTemplate not boolean", { text: "x", chatTemplate: "yes" }, "chatTemplate", /true or false/],
    ["unknown field", { text: "x", model: "gpt2" }, "model", /unknown field "model"/],
    ["__proto__ field", JSON.parse('{"text":"x","__proto__":{"a":1}}'), "__proto__", /unknown field/],
  ])("400 for %s, naming the field", async (_, payload, field, message) => {
    const body = await error(await post(payload), 400);
    expect(Object.hasOwn(body.fields ?? {}, field), JSON.stringify(body)).toBe(true);
    expect(body.fields?.[field]).toMatch(message);
  });

  it.each([
    ["not JSON", "{text:", 400],
    ["a JSON array", "[1,2]", 400],
    ["JSON null", "null", 400],
  ])("400 for a body that is %s", async (_, raw, status) => {
    await error(await post(raw, true), status);
  });

  it("413 for a body larger than the limit", async () => {
    await error(await post({ text: "x".repeat(MAX_TOKENIZE_BODY_BYTES) }), 413);
  });

  it("answers 429 with Retry-After once an address passes its per-minute limit (counted before the body is read)", async () => {
    const from = (ip: string) => POST(new Request("http://localhost/api/tokenize", { method: "POST", headers: { "x-forwarded-for": ip }, body: "{" }));
    const statuses = new Set<number>();
    for (let i = 0; i < 600; i++) statuses.add((await from("203.0.113.9")).status);
    expect([...statuses]).toEqual([400]); // malformed JSON, but within the limit
    const refused = await from("203.0.113.9");
    expect((await error(refused, 429)).error).toMatch(/Too many tokenize requests/);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await from("203.0.113.10")).status).toBe(400); // another address is not affected
  });
});
