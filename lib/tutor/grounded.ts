/**
 * Which parts of a reply were copied from the lesson passages in its prompt.
 *
 * course-lm is trained to answer by copying sentences from the passages it is given, so the
 * honest measure of "grounded" is literal: a stretch of the reply counts only when its words
 * appear, in order, as a run of at least `minWords` consecutive words of one passage. The
 * chat and the inspector mark those stretches and link them to their lesson; the model eval
 * (scripts/train/eval.ts) reports the share of grounded sentences with the same code, so what
 * the learner sees and what training is measured on cannot drift apart.
 *
 * Words are compared after normalising what a copy may legitimately change: case, spacing,
 * punctuation, curly vs straight apostrophes. Maths (`$…$`, `$$…$$`) and numbers (0.3, 1,000)
 * are single words, so a copied formula must be copied whole and "0.3" never matches "0 3".
 *
 * Isomorphic and pure; fast enough to run on every render of a streaming reply (one hash
 * table of the passages' n-grams, then one left-to-right pass over the reply).
 */

/** A sentence of a text: `text` is `source.slice(start, end)` with no surrounding whitespace. */
export interface TextSentence {
  start: number;
  end: number;
  text: string;
}

/** A stretch of the reply copied from a passage: reply characters [start, end). */
export interface GroundedSpan {
  start: number;
  end: number;
  /** Index of the passage (in the list given) it was copied from. */
  passage: number;
  /** The passage's sentence where the copied run starts (as it reads in the passage). */
  sentence: string;
}

/** How many of a reply's sentences are copies (see sentenceGrounding). */
export interface SentenceGrounding {
  sentences: number;
  grounded: number;
  /** grounded / sentences; 0 when there are no sentences. */
  share: number;
}

/** A word token: its normalised form and where it is in the text. */
interface Word {
  key: string;
  start: number;
  end: number;
}

// Maths first, so its contents are one word; display maths may span lines, inline may not.
// Then words and numbers: letters/digits, joined across an apostrophe ("model's") or a
// decimal/thousands separator between digits ("0.3", "1,000") but not across a hyphen, so
// "next-token" and "next token" read the same. Then runs of maths operators outside `$`
// ("T = 0.3"), which a paraphrase could otherwise slip past.
const WORD = /\$\$[^$]+\$\$|\$[^$\n]+\$|[\p{L}\p{N}_]+(?:(?:['’]|(?<=\p{N})[.,](?=\p{N}))[\p{L}\p{N}_]+)*|[=+×÷<>≤≥≈−*^%]+/gu;

function words(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    const raw = m[0];
    const key = raw.startsWith("$") ? raw.replace(/\s+/g, "").toLowerCase() : raw.toLowerCase().replace(/’/g, "'");
    out.push({ key, start: m.index, end: m.index + raw.length });
  }
  return out;
}

/** Character ranges of `$…$` / `$$…$$` maths, where a "." must not end a sentence. */
function mathRanges(text: string): [number, number][] {
  return [...text.matchAll(/\$\$[^$]+\$\$|\$[^$\n]+\$/g)].map((m) => [m.index, m.index + m[0].length]);
}

// A sentence ends after . ? or ! (and any closing quotes or brackets) when whitespace follows
// and the next sentence starts like one: a capital, a digit, an opening quote, maths or a
// bracket. "e.g. the" and "0.3" do not end one. A line break always ends one: in a reply a
// new line is a new paragraph or list item.
const BOUNDARY = /[.?!]["'”’)\]]*(?=[ \t]+["“'‘$(\[\p{Lu}\p{N}])|\n+/gu;

/**
 * Split a reply (or a passage) into sentences, in order, with their character offsets.
 * Never splits inside maths. Whitespace-only pieces are dropped.
 */
export function replySentences(text: string): TextSentence[] {
  const maths = mathRanges(text);
  const inMaths = (i: number) => maths.some(([a, b]) => i > a && i < b);
  const cuts: number[] = [];
  for (const m of text.matchAll(BOUNDARY)) {
    if (inMaths(m.index)) continue;
    cuts.push(m.index + m[0].length);
  }
  cuts.push(text.length);
  const out: TextSentence[] = [];
  let from = 0;
  for (const cut of cuts) {
    const piece = text.slice(from, cut);
    const lead = piece.length - piece.trimStart().length;
    const body = piece.trim();
    if (body) out.push({ start: from + lead, end: from + lead + body.length, text: body });
    from = cut;
  }
  return out;
}

const SEP = "\u0001";

/**
 * The maximal stretches of `reply` copied from `passages`: runs of at least `minWords`
 * consecutive words that appear, in the same order, consecutively in one passage.
 *
 * Greedy left to right: at each reply word the longest run starting there wins (on a tie the
 * earlier passage, then the earlier place in it); the span then skips past it, so spans never
 * overlap and come sorted. A span ends at its last word, plus any punctuation right after it
 * that the passage has too (the copied sentence's full stop). Shorter coincidences ("of the
 * model") do not count: three common words in a row say nothing about copying.
 */
export function groundedSpans(reply: string, passages: readonly { text: string }[], minWords = 4): GroundedSpan[] {
  const n = Math.max(1, Math.floor(minWords));
  const mine = words(reply);
  if (mine.length < n) return [];
  const theirs = passages.map((p) => words(p.text));

  // Every n-gram of every passage → where it starts.
  const index = new Map<string, { passage: number; at: number }[]>();
  theirs.forEach((ws, passage) => {
    for (let at = 0; at + n <= ws.length; at++) {
      const key = ws.slice(at, at + n).map((w) => w.key).join(SEP);
      const list = index.get(key);
      if (list) list.push({ passage, at });
      else index.set(key, [{ passage, at }]);
    }
  });
  if (index.size === 0) return [];

  const sentencesOf = new Map<number, TextSentence[]>();
  const sentenceAt = (passage: number, offset: number): string => {
    let list = sentencesOf.get(passage);
    if (!list) sentencesOf.set(passage, (list = replySentences(passages[passage].text)));
    return (list.find((s) => offset >= s.start && offset < s.end) ?? list.at(-1))?.text ?? "";
  };

  const out: GroundedSpan[] = [];
  for (let i = 0; i + n <= mine.length; ) {
    const hits = index.get(mine.slice(i, i + n).map((w) => w.key).join(SEP));
    let best: { passage: number; at: number; length: number } | null = null;
    for (const hit of hits ?? []) {
      const ws = theirs[hit.passage];
      let length = n;
      while (i + length < mine.length && hit.at + length < ws.length && mine[i + length].key === ws[hit.at + length].key) length++;
      if (!best || length > best.length) best = { ...hit, length };
    }
    if (!best) {
      i++;
      continue;
    }
    const last = mine[i + best.length - 1];
    const passageText = passages[best.passage].text;
    let end = last.end;
    // Take the punctuation that follows in both (". ", "),"), never whitespace or a word.
    for (let k = theirs[best.passage][best.at + best.length - 1].end; end < reply.length && k < passageText.length; end++, k++) {
      const c = reply[end];
      if (c !== passageText[k] || /[\s\p{L}\p{N}$]/u.test(c)) break;
    }
    out.push({ start: mine[i].start, end, passage: best.passage, sentence: sentenceAt(best.passage, theirs[best.passage][best.at].start) });
    i += best.length;
  }
  return out;
}

/**
 * How many of the reply's sentences are copies: a sentence is grounded when at least
 * `threshold` of its words lie inside grounded spans. Sentences without a single word
 * (a lone "—") are not counted.
 */
export function sentenceGrounding(reply: string, passages: readonly { text: string }[], threshold = 0.9): SentenceGrounding {
  const spans = groundedSpans(reply, passages);
  const mine = words(reply);
  let sentences = 0;
  let grounded = 0;
  for (const s of replySentences(reply)) {
    const inside = mine.filter((w) => w.start >= s.start && w.end <= s.end);
    if (inside.length === 0) continue;
    sentences++;
    const covered = inside.filter((w) => spans.some((sp) => w.start >= sp.start && w.end <= sp.end)).length;
    if (covered / inside.length >= threshold) grounded++;
  }
  return { sentences, grounded, share: sentences === 0 ? 0 : grounded / sentences };
}
