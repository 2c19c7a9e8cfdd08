/**
 * One way to check a request body with a zod schema and say what is wrong with it: every
 * invalid field named with the rule it broke (`fields`, for `jsonError(400, error, { fields })`)
 * and a one-line summary (`error`). Unknown keys are named as fields of their own, with the
 * fields allowed there — including keys such as "__proto__" or "constructor", which is why the
 * fields are collected in a Map and only then turned into an object (Object.fromEntries
 * defines own properties; an object literal's `fields[key] = …` would set a prototype).
 *
 * Isomorphic: zod types only.
 */
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type ParsedBody<T> = { ok: true; body: T } | { ok: false; error: string; fields: FieldErrors; issues: readonly z.core.$ZodIssue[] };

export interface ParseBodyOptions {
  /** What a body must be, for the message when it is not an object at all: "a JSON object { text, model? }". */
  expected: string;
  /** The fields allowed at a path ("" the body itself, "settings", "history.0"), to list beside an unknown key. */
  allowedAt: (at: string) => readonly string[];
}

const article = (expected: string) => (expected === "object" ? "an object" : expected === "array" ? "a list" : `a ${expected}`);

/** Zod issues as `{ field: message }` (the first message per field) and a one-line summary. */
export function issuesToFields(issues: readonly z.core.$ZodIssue[], allowedAt: (at: string) => readonly string[] = () => []): { error: string; fields: FieldErrors } {
  const found = new Map<string, string>();
  for (const issue of issues) {
    const at = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedAt(at);
      for (const key of issue.keys) {
        const name = at ? `${at}.${key}` : key;
        const list = allowed.length > 0 ? ` (allowed: ${allowed.join(", ")})` : "";
        if (!found.has(name)) found.set(name, `unknown field ${JSON.stringify(key)}${at ? ` in ${at}` : ""}${list}`);
      }
      continue;
    }
    const name = at || "body";
    let message = issue.message;
    // zod's default for a wrong type reads "Invalid input: expected string, received number"
    // (issues carry the input only when asked to, so the message tells a missing field apart).
    if (issue.code === "invalid_type" && message.startsWith("Invalid input")) {
      message = /received undefined$/.test(message) ? `${name} is required` : `${name} must be ${article(issue.expected)}`;
    }
    if (!found.has(name)) found.set(name, message);
  }
  return {
    error: [...found].map(([field, message]) => `${field}: ${message}`).join("; "),
    fields: Object.fromEntries(found),
  };
}

/** Check a parsed JSON body against `schema`. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown, options: ParseBodyOptions): ParsedBody<z.output<S>> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const error = `the body must be ${options.expected}`;
    return { ok: false, error, fields: { body: error }, issues: [] };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, body: parsed.data };
  return { ok: false, ...issuesToFields(parsed.error.issues, options.allowedAt), issues: parsed.error.issues };
}
