/**
 * From retrieval and prompt building to what a reply shows and stores: its sources (one per
 * lesson section, best first, marked when the prompt had no room for them) and, when nothing
 * relevant was found, the fixed "not in the course" reply with lessons to try instead.
 *
 * The fallback reply is deliberately not generated: a small model asked about something the
 * course does not cover would invent an answer. It is built from the lesson index, and the
 * tutor says so wherever it shows one.
 *
 * Isomorphic: pure functions.
 */
import type { PromptPassage } from "./prompt.ts";
import type { LessonSuggestion, PassageDoc, RetrievedPassage, Source } from "./types.ts";

/** One source per lesson section, best first; `used` when any of its passages went into the prompt. */
export function sourcesFrom(retrieved: readonly RetrievedPassage[], inPrompt: readonly PromptPassage[]): Source[] {
  const out: Source[] = [];
  const key = (p: PassageDoc) => `${p.lessonSlug}#${p.sectionSlug}`;
  for (const p of retrieved) {
    const used = inPrompt.find((x) => x.passage.id === p.id);
    const existing = out.find((s) => `${s.lessonSlug}#${s.sectionSlug}` === key(p));
    if (existing) {
      if (used && !existing.used) {
        existing.used = true;
        existing.excerpt = used.text;
      }
      continue;
    }
    out.push({
      lessonSlug: p.lessonSlug,
      lessonTitle: p.lessonTitle,
      sectionSlug: p.sectionSlug,
      heading: p.heading,
      href: p.href,
      score: p.score,
      used: Boolean(used),
      excerpt: used ? used.text : p.text,
    });
  }
  return out;
}

/** Lesson titles as a readable list with links: "[A](…), [B](…) or [C](…)". */
function titleList(suggestions: readonly LessonSuggestion[]): string {
  const links = suggestions.map((s) => `[${s.title}](${s.href})`);
  if (links.length <= 1) return links.join("");
  return `${links.slice(0, -1).join(", ")} or ${links.at(-1)}`;
}

/** The fixed reply when retrieval found nothing relevant (Markdown, links to the suggested lessons). */
export function fallbackReply(suggestions: readonly LessonSuggestion[]): string {
  const intro = "I couldn't find this in the course, so I won't guess an answer.";
  if (suggestions.length === 0) return `${intro} Try asking about tokens, sampling, embeddings or how models are trained.`;
  return `${intro} The nearest lessons are ${titleList(suggestions)}. Try one of them, or ask me about something they cover.`;
}

/** Title of a new conversation: its first question, cut at a word to at most `max` characters. */
export function conversationTitle(question: string, max = 80): string {
  const flat = question.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, "")}…`;
}
