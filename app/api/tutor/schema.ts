import { z } from "zod";
import { GenerationSettingsSchema, MAX_NEW_TOKENS } from "@/lib/llm/trace";
import { withTutorDefaultsInput } from "@/lib/tutor/settings";

/**
 * POST /api/tutor body:
 *
 *   message          the question (1–800 characters)
 *   conversationId?  a saved conversation to continue (signed in only; 401 anonymous, 404 not yours)
 *   parentId?        with conversationId: the message the new one hangs under —
 *                      a reply: a follow-up question to that reply (default: the newest path's last reply);
 *                      a question: another reply to it (regenerate / replay / branch), a sibling of its replies
 *   settings?        sampling settings (lib/llm/trace.ts)
 *   model?           registry id (GET /api/models), default course-lm
 *   forcedTokens?    branch: the original reply's first i token ids, then the chosen candidate's id
 *   history?         without conversationId (a conversation kept in the browser): the earlier
 *                    turns, oldest first, [{ role: "user" | "assistant", content }]
 *
 * Everything is checked here with a message naming the field; what needs the database or the
 * model (whose conversation, which message, whether the question fits the context window)
 * is checked by the route.
 */

export const MAX_TUTOR_BODY_BYTES = 128 * 1024;
export const MAX_MESSAGE_CHARS = 800;
export const MAX_HISTORY_TURNS = 40;
export const MAX_HISTORY_CHARS = 4000;

const FIELDS = ["message", "conversationId", "parentId", "settings", "model", "forcedTokens", "history"] as const;

const wellFormed = (field: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a string`) })
    .refine((s) => s.isWellFormed(), `${field} must be valid Unicode text (it contains a lone surrogate)`);

const id = (field: string) =>
  z
    .string({ error: `${field} must be a string id` })
    .regex(/^[A-Za-z0-9_-]{1,64}$/, `${field} must be an id (letters, digits, "_" or "-", at most 64)`);

export const tutorBodySchema = z
  .strictObject({
    message: wellFormed("message")
      .transform((s) => s.trim())
      .pipe(
        z
          .string()
          .min(1, "message must not be empty")
          .max(MAX_MESSAGE_CHARS, `message is too long: at most ${MAX_MESSAGE_CHARS} characters`),
      ),
    conversationId: id("conversationId").optional(),
    parentId: id("parentId").optional(),
    // The tutor's own default temperature (lib/tutor/settings.ts) before the app-wide defaults fill in the rest.
    settings: z.preprocess(withTutorDefaultsInput, GenerationSettingsSchema),
    model: z
      .string({ error: "model must be a string: a model id from GET /api/models" })
      .min(1, "model must not be empty")
      .max(200, "model is too long")
      .optional(),
    forcedTokens: z
      .array(z.number({ error: "forcedTokens must hold token ids" }).int("token ids are integers").min(0, "token ids are ≥ 0"), {
        error: "forcedTokens must be a list of token ids",
      })
      .min(1, "forcedTokens must not be empty")
      .max(MAX_NEW_TOKENS, `forcedTokens may hold at most ${MAX_NEW_TOKENS} tokens`)
      .optional(),
    history: z
      .array(
        z.strictObject(
          {
            role: z.enum(["user", "assistant"], { error: 'history roles are "user" or "assistant"' }),
            content: wellFormed("content").max(MAX_HISTORY_CHARS, `history messages are at most ${MAX_HISTORY_CHARS} characters`),
          },
          { error: "each history entry must be { role, content }" },
        ),
        { error: "history must be a list of { role, content }" },
      )
      .max(MAX_HISTORY_TURNS, `history may hold at most ${MAX_HISTORY_TURNS} messages`)
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.parentId !== undefined && body.conversationId === undefined) {
      ctx.addIssue({ code: "custom", path: ["parentId"], message: "parentId needs a conversationId" });
    }
    if (body.history !== undefined && body.conversationId !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["history"],
        message: "history is only for conversations kept in the browser; a saved conversation's history comes from the server",
      });
    }
  });

export type TutorBody = z.output<typeof tutorBodySchema>;

export type Parsed<T> = { ok: true; body: T } | { ok: false; error: string; fields: Record<string, string> };

/** Zod issues → `{ field: message }` (unknown keys named as fields) and a one-line summary. */
export function issuesToFields(error: z.ZodError, known: (at: string) => readonly string[]): { error: string; fields: Record<string, string> } {
  const found = new Map<string, string>();
  for (const issue of error.issues) {
    const at = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const allowed = at === "settings" ? Object.keys(GenerationSettingsSchema.shape) : known(at);
      for (const key of issue.keys) {
        const name = at ? `${at}.${key}` : key;
        if (!found.has(name)) found.set(name, `unknown field ${JSON.stringify(key)}${at ? ` in ${at}` : ""} (allowed: ${allowed.join(", ")})`);
      }
      continue;
    }
    const name = at || "body";
    let message = issue.message;
    if (issue.code === "invalid_type" && message.startsWith("Invalid input")) {
      message = issue.input === undefined ? `${name} is required` : `${name} must be ${issue.expected === "object" ? "an object" : `a ${issue.expected}`}`;
    }
    if (!found.has(name)) found.set(name, message);
  }
  const fields = Object.fromEntries(found);
  return { error: [...found].map(([f, m]) => `${f}: ${m}`).join("; "), fields };
}

function notAnObject(fields: readonly string[]): { ok: false; error: string; fields: Record<string, string> } {
  const error = `the body must be a JSON object (fields: ${fields.join(", ")})`;
  return { ok: false, error, fields: { body: error } };
}

export function parseTutorBody(value: unknown): Parsed<TutorBody> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return notAnObject(FIELDS);
  const parsed = tutorBodySchema.safeParse(value);
  if (parsed.success) return { ok: true, body: parsed.data };
  return { ok: false, ...issuesToFields(parsed.error, (at) => (at === "" ? FIELDS : /^history\.\d+$/.test(at) ? ["role", "content"] : [])) };
}
