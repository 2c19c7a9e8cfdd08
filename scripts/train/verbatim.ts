// Matching a hand-copied answer against the passage it was copied from (scripts/train/grounded.ts).
// Pure functions, so the tests can check them.

/** Answer sentences (the same split the passages use). */
export function answerSentences(answer: string): string[] {
  return answer.split(/(?<=[.!?:])\s+(?=[A-Z0-9"“($\\[])/).filter((s) => s.trim());
}

/** A pattern for `text` that lets any run of whitespace stand for any other (a table row's line break, a list's "- "). */
function looseWhitespace(text: string): RegExp {
  const escaped = text.trim().replace(/^- /, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(escaped.replace(/\s+/g, "\\s+(?:- )?"));
}

/**
 * The answer as the passage spells it: the hand-written answer may join table rows or list
 * items with a space where the passage has a line break. Whole if it is one stretch of the
 * passage, else sentence by sentence joined by spaces; null when a sentence is not in it.
 */
export function verbatim(passage: string, answer: string): string | null {
  const whole = looseWhitespace(answer).exec(passage);
  if (whole) return whole[0];
  const pieces = answerSentences(answer).map((sentence) => looseWhitespace(sentence).exec(passage)?.[0] ?? null);
  return pieces.every((p) => p !== null) ? pieces.join(" ") : null;
}
