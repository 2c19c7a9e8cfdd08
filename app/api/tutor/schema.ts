import { z } from "zod";
import { parseBody, type ParsedBody } from "@/lib/http/parse-body";
import { GenerationSettingsSchema } from "@/lib/llm/settings";
import { MAX_NEW_TOKENS } from "@/lib/llm/trace";
import { MAX_MESSAGE_CHARS, withTutorDefaultsInput } from "@/lib/tutor/settings";

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
 *   internals?       true: the streamed steps also carry attention and the logit lens (course-lm); the
 *                    saved reply does not (they are recomputed on request, lib/tutor/compact.ts)
 *   history?         without conversationId (a conversation kept in the browser): the earlier
 *                    turns, oldest first, [{ role: "user" | "assistant", content }]
 *
 * Everything is checked here with a message naming the field; what needs the database or the
 * model (whose conversation, which message, whether the question fits the context window)
 * is checked by the route.
 */

export const MAX_TUTOR_BODY_BYTES = 128 * 1024;
export { MAX_MESSAGE_CHARS } from "@/lib/tutor/settings";
export const MAX_HISTORY_TURNS = 40;
export const MAX_HISTORY_CHARS = 4000;

const FIELDS = ["message", "conversationId", "parentId", "settings", "model", "forcedTokens", "history", "internals"] as const;

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
    internals: z.boolean({ error: "internals must be true or false" }).optional(),
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

export type Parsed<T> = ParsedBody<T>;

export function parseTutorBody(value: unknown): Parsed<TutorBody> {
  return parseBody(tutorBodySchema, value, {
    expected: `a JSON object (fields: ${FIELDS.join(", ")})`,
    allowedAt: (at) => (at === "" ? FIELDS : at === "settings" ? Object.keys(GenerationSettingsSchema.shape) : /^history\.\d+$/.test(at) ? ["role", "content"] : []),
  });
}
