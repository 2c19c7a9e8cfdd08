/**
 * Building the tutor's prompt within the model's context window.
 *
 * course-lm sees 512 tokens in all: the prompt and its reply. The prompt is built to fit in
 * `limit − reserved` (a fixed share kept for the reply), from these parts, by priority:
 *
 *   1. the question (never cut: a question too long for the window is refused),
 *   2. a short system turn (dropped only if the question alone needs its room),
 *   3. the retrieved passages, best first — each formatted `[Lesson title § Section] text` as
 *      course-lm was trained on; a passage that does not fit whole is cut at a token boundary
 *      (then back to the last whole sentence or word), one too small to be worth it is dropped,
 *   4. from the conversation so far, only what a follow-up needs (see usableHistory):
 *      - course-lm: the previous question alone ("why?" means nothing without it), never an
 *        earlier reply. The model's replies may be wrong, and a small model reads whatever is
 *        in its prompt as fact: a wrong reply fed back would be repeated and built on. The
 *        passages are the facts, so they get the room (PASSAGE_SHARE) that older turns had;
 *      - other chat models: the last exchange (question and reply) at most, never older ones.
 *      What does not fit is left out whole.
 *
 * Every count is the real tokenizer's count of the whole rendered prompt (chat markers
 * included), never an estimate per word, so the prompt is guaranteed to fit.
 *
 * Order in the prompt: system, previous question (or last exchange), passages (best one last,
 * nearest the question), question — in training the passage always came right before the
 * question.
 *
 * The context report counts earlier exchanges: keptTurns is 1 when the previous question (or
 * last exchange) went in, droppedTurns every other exchange of the history, whether it was left
 * out by these rules or for room.
 *
 * Isomorphic: it runs on the server and, for the "in my browser" backend, in the page.
 */
import type { PassageDoc, ContextReport, Turn } from "./types.ts";
import type { PromptFormat, PromptMessage, PromptTokenizer } from "./tokenizer.ts";

/** The system turn: the first of the phrasings course-lm was trained with (scripts/train/format.ts). */
export const TUTOR_SYSTEM_PROMPT =
  "You are the Glassbox tutor. Answer questions about how language models work in one to four plain, precise sentences.";

/** The system turn for other chat models, which get the passages inside it. */
export const CHAT_SYSTEM_PROMPT =
  "You are the Glassbox tutor, a friendly tutor for a course on how large language models work. Answer in one to four plain, precise sentences, using the lesson passages below when they help. If they do not cover the question, say so.";

/** Tokens kept free for the reply: up to this many, and at most a quarter of the window. */
export const REPLY_RESERVE = 128;
/** Passages included at most (course-lm was trained with one; more dilutes a small model). */
export const MAX_PASSAGES = 2;
/** A passage cut shorter than this many tokens is dropped instead. */
export const MIN_PASSAGE_TOKENS = 24;
/**
 * Passages may take at most this share of the budget left after the system turn and the
 * question. Only the previous question (a few dozen tokens) competes with them now that earlier
 * replies stay out, so they get most of it; 0.6 was sized for a whole exchange of history.
 */
export const PASSAGE_SHARE = 0.85;

export class QuestionTooLongError extends Error {
  constructor(
    readonly tokens: number,
    readonly budget: number,
  ) {
    super(`the question is ${tokens} tokens; with the reply's share kept free, a question may use at most ${budget} of the model's context window`);
    this.name = "QuestionTooLongError";
  }
}

/** `[Lesson title § Section] text` — the context format of course-lm's training dialogues. */
export function formatPassage(p: Pick<PassageDoc, "lessonTitle" | "heading">, text: string): string {
  return `[${p.lessonTitle} § ${p.heading}] ${text}`;
}

export interface PromptPassage {
  passage: PassageDoc;
  /** The passage text as it went into the prompt (cut when trimmed). */
  text: string;
  trimmed: boolean;
}

export interface TutorPrompt {
  format: PromptFormat["kind"];
  /** The turns, in order. */
  messages: PromptMessage[];
  /** course-lm: the exact prompt text to generate from (no special tokens to add). */
  text?: string;
  context: ContextReport;
  /** Passages that went in (best first), and those left out for room. */
  passages: PromptPassage[];
  dropped: PassageDoc[];
}

export interface BuildPromptInput {
  question: string;
  /** Retrieved passages, best first. */
  passages: readonly PassageDoc[];
  /** Earlier turns, oldest first (user, assistant, user, assistant…). */
  history: readonly Turn[];
  tokenizer: PromptTokenizer;
  format: PromptFormat;
  contextLength: number;
  /** Override the reply's reserve (default: min(REPLY_RESERVE, contextLength / 4)). */
  reserved?: number;
  maxPassages?: number;
}

export function replyReserve(contextLength: number): number {
  return Math.min(REPLY_RESERVE, Math.floor(contextLength / 4));
}

/** Earlier turns grouped into exchanges (a question and its reply), oldest first. */
function exchanges(history: readonly Turn[]): Turn[][] {
  const out: Turn[][] = [];
  for (const turn of history) {
    if (turn.role === "user" || out.length === 0) out.push([turn]);
    else out[out.length - 1].push(turn);
  }
  return out;
}

/**
 * The earlier turns a format may see, and how many exchanges the history holds. course-lm: the
 * last question alone (without its reply); other chat models: the last exchange. Nothing older.
 */
export function usableHistory(kind: PromptFormat["kind"], history: readonly Turn[]): { turns: Turn[]; exchanges: number } {
  const groups = exchanges(history);
  const last = groups.at(-1) ?? [];
  if (kind !== "course-lm") return { turns: [...last], exchanges: groups.length };
  const question = last.find((t) => t.role === "user");
  return { turns: question ? [{ role: "user", content: question.content }] : [], exchanges: groups.length };
}

/** Assemble the turns in prompt order for one format. */
function assemble(
  kind: PromptFormat["kind"],
  system: boolean,
  history: readonly Turn[],
  passages: readonly { passage: PassageDoc; text: string }[],
  question: string,
): PromptMessage[] {
  const messages: PromptMessage[] = [];
  // Best passage last: nearest the question, as in training.
  const ordered = [...passages].reverse();
  if (kind === "course-lm") {
    if (system) messages.push({ role: "system", content: TUTOR_SYSTEM_PROMPT });
    for (const t of history) messages.push({ role: t.role, content: t.content });
    for (const p of ordered) messages.push({ role: "context", content: formatPassage(p.passage, p.text) });
  } else {
    const lines = ordered.map((p) => formatPassage(p.passage, p.text));
    const content = system
      ? lines.length > 0
        ? `${CHAT_SYSTEM_PROMPT}\n\nLesson passages:\n${lines.join("\n")}`
        : CHAT_SYSTEM_PROMPT
      : lines.join("\n");
    if (content) messages.push({ role: "system", content });
    for (const t of history) messages.push({ role: t.role, content: t.content });
  }
  messages.push({ role: "user", content: question });
  return messages;
}

/**
 * Cut `text` to its longest prefix that (a) is a whole number of tokens of the original —
 * re-encoding it gives exactly the first ids, so no token is split — and (b) makes `fits`
 * true. The cut then moves back to the end of the last whole sentence (if that keeps at least
 * half of it) or word. Returns null when even MIN_PASSAGE_TOKENS tokens do not fit.
 */
export function trimToFit(text: string, tokenizer: PromptTokenizer, fits: (candidate: string) => boolean): string | null {
  const ids = tokenizer.encode(text);
  const prefixAt = (n: number): string | null => {
    const candidate = tokenizer.decode(ids.slice(0, n));
    const again = tokenizer.encode(candidate);
    // A token boundary: the prefix re-encodes to the same first n ids (no half token, no half character).
    return again.length === n && again.every((id, i) => id === ids[i]) ? candidate : null;
  };
  let lo = MIN_PASSAGE_TOKENS;
  let hi = ids.length - 1;
  let best: string | null = null;
  // Binary search for the longest token prefix that fits.
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    let n = mid;
    let candidate = prefixAt(n);
    while (candidate === null && n > lo) candidate = prefixAt(--n);
    if (candidate !== null && fits(candidate)) {
      best = candidate;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best === null) return null;
  // Prefer ending at a sentence, else at a word, if that prefix is itself a token boundary.
  const sentenceEnd = Math.max(best.lastIndexOf(". "), best.lastIndexOf("? "), best.lastIndexOf("! "));
  const atSentence = sentenceEnd >= best.length / 2 ? best.slice(0, sentenceEnd + 1) : null;
  const wordEnd = best.search(/\s+\S*$/);
  const atWord = wordEnd > 0 ? best.slice(0, wordEnd) : null;
  for (const candidate of [atSentence, atWord]) {
    if (candidate === null) continue;
    const cIds = tokenizer.encode(candidate);
    if (cIds.length >= MIN_PASSAGE_TOKENS && cIds.every((id, i) => id === ids[i])) return candidate.trimEnd();
  }
  return best;
}

/** Build the prompt: see the module comment. Throws QuestionTooLongError when even the bare question does not fit. */
export function buildTutorPrompt(input: BuildPromptInput): TutorPrompt {
  const { question, tokenizer, format, contextLength } = input;
  const kind = format.kind;
  const reserved = input.reserved ?? replyReserve(contextLength);
  const budget = contextLength - reserved;
  const maxPassages = input.maxPassages ?? MAX_PASSAGES;
  const count = (m: readonly PromptMessage[]) => format.count(m);

  // 1–2. The question, with the system turn when there is room for both.
  let system = true;
  if (count(assemble(kind, true, [], [], question)) > budget) {
    system = false;
    const bare = count(assemble(kind, false, [], [], question));
    if (bare > budget) throw new QuestionTooLongError(bare, budget);
  }

  // 3. Passages, best first, within their share of the budget.
  const base = count(assemble(kind, system, [], [], question));
  const passageCap = base + Math.floor((budget - base) * PASSAGE_SHARE);
  const included: PromptPassage[] = [];
  const dropped: PassageDoc[] = [];
  for (const passage of input.passages) {
    if (included.length >= maxPassages) {
      dropped.push(passage);
      continue;
    }
    const withText = (text: string) => assemble(kind, system, [], [...included, { passage, text }], question);
    if (count(withText(passage.text)) <= passageCap) {
      included.push({ passage, text: passage.text, trimmed: false });
      continue;
    }
    const cut = trimToFit(passage.text, tokenizer, (text) => count(withText(text)) <= passageCap);
    if (cut === null) dropped.push(passage);
    else included.push({ passage, text: cut, trimmed: true });
  }

  // 4. The previous question (course-lm) or last exchange (other models), whole, if it fits.
  const usable = usableHistory(kind, input.history);
  const fits = usable.turns.length > 0 && count(assemble(kind, system, usable.turns, included, question)) <= budget;
  const kept: Turn[] = fits ? usable.turns : [];
  const keptTurns = fits ? 1 : 0;

  const messages = assemble(kind, system, kept, included, question);
  const used = count(messages);
  const without = (parts: { system?: boolean; history?: boolean; passages?: boolean }) =>
    count(
      assemble(
        kind,
        parts.system === false ? false : system,
        parts.history === false ? [] : kept,
        parts.passages === false ? [] : included,
        question,
      ),
    );
  const systemTokens = system ? used - without({ system: false }) : 0;
  const passageTokens = included.length > 0 ? used - without({ passages: false }) : 0;
  const historyTokens = kept.length > 0 ? used - without({ history: false }) : 0;

  const context: ContextReport = {
    used,
    limit: contextLength,
    reserved,
    parts: {
      system: systemTokens,
      passages: passageTokens,
      history: historyTokens,
      question: used - systemTokens - passageTokens - historyTokens,
    },
    keptTurns,
    droppedTurns: usable.exchanges - keptTurns,
    passages: included.length,
    droppedPassages: dropped.length,
    trimmedPassages: included.filter((p) => p.trimmed).length,
    ...(format.estimated ? { estimated: true as const } : {}),
  };
  return {
    format: kind,
    messages,
    ...(format.render ? { text: format.render(messages) } : {}),
    context,
    passages: included,
    dropped,
  };
}
