import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseBody } from "@/lib/http/parse-body";

const schema = z.strictObject({ text: z.string().max(5, "text is too long: at most 5 characters"), n: z.number().optional(), inner: z.strictObject({ a: z.number() }).optional() });
const options = { expected: "a JSON object { text, n? }", allowedAt: (at: string) => (at === "" ? ["text", "n", "inner"] : at === "inner" ? ["a"] : []) };

describe("parseBody", () => {
  it("passes a valid body through, as parsed", () => {
    expect(parseBody(schema, { text: "hi", n: 2 }, options)).toEqual({ ok: true, body: { text: "hi", n: 2 } });
  });

  it("names what a body must be when it is not an object", () => {
    for (const value of [null, "text", [1], 3]) {
      const r = parseBody(schema, value, options);
      expect(r).toMatchObject({ ok: false, error: "the body must be a JSON object { text, n? }", fields: { body: "the body must be a JSON object { text, n? }" } });
    }
  });

  it("tells a missing field from one of the wrong type, and keeps the schema's own messages", () => {
    const missing = parseBody(schema, {}, options);
    expect(missing.ok || missing.fields).toEqual({ text: "text is required" });
    const wrong = parseBody(schema, { text: 7 }, options);
    expect(wrong.ok || wrong.fields).toEqual({ text: "text must be a string" });
    const long = parseBody(schema, { text: "too long" }, options);
    expect(long.ok || long.error).toBe("text: text is too long: at most 5 characters");
  });

  it("names unknown keys as fields of their own, with what is allowed there — even __proto__", () => {
    const r = parseBody(schema, JSON.parse('{"text":"x","__proto__":1,"inner":{"a":1,"b":2}}'), options);
    expect(r.ok).toBe(false);
    if (r.ok) throw new Error("unreachable: asserted above");
    expect(Object.keys(r.fields).sort()).toEqual(["__proto__", "inner.b"]);
    expect(Object.getPrototypeOf(r.fields)).toBe(Object.prototype); // set as an own key, not as the prototype
    expect(r.fields["inner.b"]).toBe('unknown field "b" in inner (allowed: a)');
    expect(r.error).toContain('__proto__: unknown field "__proto__" (allowed: text, n, inner)');
  });
});
