/**
 * The quote stage's bookkeeping: a reply that may only be whole sentences of the prompt's
 * passages, chosen and ordered by the model (constrained decoding, as grammar-constrained
 * samplers do, with the grammar "one or more passage sentences, then stop").
 *
 * Why it exists: the tutor's model is a few million parameters trained on a few hundred
 * thousand tokens. It cannot write fluent new prose, and even the copy stage's nudge
 * (./copy.ts) leaves most of its replies drifting from one lesson sentence into another.
 * Constrained to the passages, every reply is made of sentences the course wrote; what the
 * model still decides — and what the inspector shows — is which sentence to start, token by
 * token, and when to stop. It is honest about what it is: a selection, not composition.
 *
 * The quotable text is derived from the prompt alone (so replay reproduces it): the text of
 * the prompt's `<|context|>` turns, or of the whole prompt when it is plain text, cut into
 * sentences; only sentences that read as prose qualify (see isQuotable). Each sentence is
 * tokenized twice by the model's tokenizer: as a reply's first sentence, and after a space,
 * as a later one — so the reply's tokens are the ones the tokenizer itself would produce.
 *
 * Per step the allowed tokens are: the next token of every sentence the reply could still be
 * quoting; after a finished sentence (or at the start), the first token of every sentence
 * not yet used; and the end-of-reply token once at least one sentence is complete — except
 * inside a common question's answer, which is quoted whole (see quotableSentences). A sentence
 * is never quoted twice. A token outside that set (a forced token, in replay or a branch)
 * ends the constraint for the rest of the reply.
 *
 * Isomorphic: no imports.
 */

/** The sentences a reply may quote, tokenized both ways, and the tokens that end a reply. */
export interface QuoteSource {
  readonly sentences: readonly string[];
  /** For a sentence that leans on the one before it ("This is why…"), that sentence's index: it may only follow it. */
  readonly after: readonly (number | undefined)[];
  /** Whether the reply may end right after each sentence (false inside a common question's answer). */
  readonly mayEnd: readonly boolean[];
  /** Each sentence's tokens as a reply's first sentence. */
  readonly first: readonly (readonly number[])[];
  /** Each sentence's tokens after a space (a later sentence). */
  readonly later: readonly (readonly number[])[];
  readonly stopIds: readonly number[];
}

export function createQuoteSource(quotable: readonly QuotableSentence[], encode: (text: string) => number[], stopIds: readonly number[]): QuoteSource {
  const sentences = quotable.map((q) => q.text);
  return {
    sentences,
    after: quotable.map((q) => q.after),
    mayEnd: quotable.map((q) => q.mayEnd !== false),
    first: sentences.map((s) => encode(s)),
    later: sentences.map((s) => encode(` ${s}`)),
    stopIds,
  };
}

/** Whether sentence i may start now: not used yet, and any sentence it leans on was the one just finished. */
const mayStart = (source: QuoteSource, state: QuoteState, i: number, finished: number | undefined) =>
  !state.used.has(i) && i !== finished && (source.after[i] === undefined || source.after[i] === finished);

/** Where a reply stands in its quotation; updated with every token (advanceQuote). */
export interface QuoteState {
  /** Sentences finished so far. */
  done: number;
  /** Tokens into the sentence being quoted (0: between sentences). */
  depth: number;
  /** Sentences the open prefix could still be (indices into the source). */
  open: number[];
  used: Set<number>;
  /** The sentence finished last (undefined before the first). */
  last?: number;
  /** A token left the quotable text (a forced one): no constraint from here on. */
  released: boolean;
}

export function createQuoteState(): QuoteState {
  return { done: 0, depth: 0, open: [], used: new Set(), released: false };
}

/** The quote stage's decision for one step. */
export interface QuoteOptions {
  /** Token ids allowed next, ascending (the stop tokens included when `canStop`). */
  allowed: number[];
  /** A sentence is complete: the reply may end here. */
  canStop: boolean;
  /** How many sentences the reply could be in the middle of (0 between sentences). */
  quoting: number;
}

/** The tokenization of the sentence being quoted, or about to be: the first sentence has no leading space. */
const seqs = (source: QuoteSource, state: QuoteState) => (state.done === 0 ? source.first : source.later);

/** The sentence of `open` the reply has just finished, if any (the first, when several are). */
function completed(source: QuoteSource, state: QuoteState): number | undefined {
  if (state.depth === 0) return undefined;
  const tokens = seqs(source, state);
  return state.open.find((i) => tokens[i].length === state.depth);
}

/** Allowed next tokens; null when the stage has nothing to say (no quotable sentences, or released). */
export function quoteOptions(source: QuoteSource, state: QuoteState): QuoteOptions | null {
  if (state.released || source.sentences.length === 0) return null;
  const allowed = new Set<number>();
  let canStop = false;
  if (state.depth > 0) {
    const tokens = seqs(source, state);
    for (const i of state.open) if (tokens[i].length > state.depth) allowed.add(tokens[i][state.depth]);
    const finished = completed(source, state);
    if (finished !== undefined) {
      canStop = source.mayEnd[finished] !== false;
      source.later.forEach((t, i) => {
        if (mayStart(source, state, i, finished) && t.length > 0) allowed.add(t[0]);
      });
    }
  } else {
    seqs(source, state).forEach((t, i) => {
      if (mayStart(source, state, i, undefined) && t.length > 0) allowed.add(t[0]);
    });
    canStop = state.done > 0 && (state.last === undefined || source.mayEnd[state.last] !== false);
  }
  if (canStop || allowed.size === 0) for (const id of source.stopIds) allowed.add(id);
  return { allowed: [...allowed].sort((a, b) => a - b), canStop, quoting: state.depth > 0 ? state.open.length : 0 };
}

/** Move the state past the token the sampler chose. */
export function advanceQuote(source: QuoteSource, state: QuoteState, id: number): void {
  if (state.released || source.sentences.length === 0) return;
  if (state.depth > 0) {
    const tokens = seqs(source, state);
    const continuing = state.open.filter((i) => tokens[i].length > state.depth && tokens[i][state.depth] === id);
    if (continuing.length > 0) {
      state.open = continuing;
      state.depth++;
      return;
    }
    const finished = completed(source, state);
    if (finished === undefined) {
      state.released = true;
      return;
    }
    state.used.add(finished);
    state.done++;
    state.depth = 0;
    state.last = finished;
  }
  const tokens = seqs(source, state);
  const starting = tokens.flatMap((t, i) => (mayStart(source, state, i, state.last) && t[0] === id ? [i] : []));
  if (starting.length === 0) {
    // A stop token ends the reply; anything else leaves the quotable text.
    if (!source.stopIds.includes(id)) state.released = true;
    return;
  }
  state.open = starting;
  state.depth = 1;
}

// ─── What may be quoted ───────────────────────────────────────────────────────────────────

const CONTEXT_TURN = /<\|context\|>([\s\S]*?)<\|end\|>/g;

export interface QuotableSentence {
  text: string;
  /** Index (in the list) of the sentence this one leans on and may only follow; undefined: it stands alone. */
  after?: number;
  /** false: the reply may not end after this sentence (a common question's answer goes on). Absent: it may. */
  mayEnd?: false;
}

/**
 * A sentence that opens by pointing back ("This is why…", "Then lower the rate…", "It reads
 * as…", a step such as "Append it to the text.") makes no sense on its own: it may be quoted only right after the sentence before it.
 */
const LEANS_BACK = /^(?:(?:this|that|these|those|it|its|they|their|then|so|but|and|or|also|here|such|thus|hence|otherwise|instead|still|yet|again|likewise|both|each|correct|wrong|right|incorrect|yes|no)\b|\S+\s+(?:it|them)\b)/i;

/** Whether a sentence opens by pointing back at the one before it (see LEANS_BACK). */
export const leansBack = (sentence: string): boolean => LEANS_BACK.test(sentence);

/** A chat prompt (course-lm's turns, ChatML, Llama 3's headers): only its context turns are quotable. */
const CHAT_MARKERS = /<\|(?:system|user|assistant|context|im_start|start_header_id)\|>/;

/**
 * The sentences of the prompt a reply may quote: in a chat prompt, those of its `<|context|>`
 * turns (the tutor's passages; a chat prompt without any has nothing to quote, so the stage
 * stays out of the way of models that carry passages in the system turn); in plain text (the
 * next-token lab), the whole prompt. Each once, in prompt order.
 * A sentence that leans on the one before it keeps that link (and is dropped when the one
 * before it is not quotable).
 */
export function quotableSentences(prompt: string): QuotableSentence[] {
  const regions = CHAT_MARKERS.test(prompt) ? [...prompt.matchAll(CONTEXT_TURN)].map((m) => m[1]) : [prompt];
  const out: QuotableSentence[] = [];
  const seen = new Set<string>();
  for (const region of regions) {
    // A passage opens with its source label, "[Lesson § Section]": not part of any sentence.
    const label = region.trim().match(/^\[([^\]\n]*)\]\s*/);
    const text = region.trim().slice(label?.[0].length ?? 0);
    // A label that is a question ("[Temperature § What does temperature do?]") marks a common
    // question's answer: written to be read from its first sentence, which answers the question
    // (the later ones add to it). So each of its sentences may only follow the one before, and
    // the reply may not stop inside it: the answer is quoted whole. course-lm, left to choose,
    // stopped after the first sentence every time (74 of 74 dev replies), and a blind review
    // found the reason, the other side of a comparison or the number asked for was often in the
    // sentences it left out.
    const inOrder = label !== null && label[1].trim().endsWith("?");
    let previous: number | undefined; // index in `out` of the sentence just before, if quotable
    let first = true;
    for (const sentence of splitSentences(text)) {
      const leans = LEANS_BACK.test(sentence) || (inOrder && !first);
      first = false;
      if (!isQuotable(sentence) || seen.has(sentence) || (leans && previous === undefined)) {
        previous = undefined;
        continue;
      }
      seen.add(sentence);
      if (inOrder && leans && previous !== undefined) out[previous] = { ...out[previous]!, mayEnd: false };
      out.push(leans ? { text: sentence, after: previous } : { text: sentence });
      previous = out.length - 1;
    }
  }
  return out;
}

/** Sentences: cut after . ! ? before a space and a capital (outside `$…$` maths), and at line breaks; list bullets dropped. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    const body = line.trim().replace(/^[-*]\s+/, "");
    let from = 0;
    let inMaths = false;
    for (let i = 0; i < body.length; i++) {
      const ch = body[i];
      if (ch === "$") inMaths = !inMaths;
      else if (!inMaths && /[.!?]/.test(ch) && /^["'”’)\]]*\s+(?:- )?["“(]?[A-Z0-9$]/.test(body.slice(i + 1))) {
        const end = i + 1 + (body.slice(i + 1).match(/^["'”’)\]]*/)?.[0].length ?? 0);
        out.push(body.slice(from, end).trim());
        from = end;
      }
    }
    const rest = body.slice(from).trim();
    if (rest) out.push(rest);
  }
  // A list item run into the sentence before it ("… rows. - Causal masking …") is a sentence of its own.
  return out.map((s) => s.replace(/^[-*]\s+/, "")).filter(Boolean);
}

/**
 * A sentence about the lesson page around it (a chart, a demo, "below") means nothing in a chat
 * reply. "Below 1" and "above $T = 2$" compare numbers, not places on the page.
 */
const POINTS_AT_PAGE = /\b(?:(?:below|above)(?!\s*(?:[$\d−-]|zero|one|two|half))|chart|demo|slider|widget|click|drag|hover|the map|the plot|the figure|try it|try this|this lesson|the next lesson|the last lesson|previous lesson|this page)\b/i;

/** Fewer words than this is a heading or a fragment ("The one-hot view."), not an answer. */
export const MIN_QUOTE_WORDS = 5;

/**
 * Whether a sentence reads as prose on its own: a full stop (or ! ?) at the end, at least
 * MIN_QUOTE_WORDS words, no table row (` | ` outside maths), no LaTeX command outside `$…$` (a formula that
 * lost its dollar signs shows as raw markup), balanced `$`, and not a quiz's "Q:"/"A:" line
 * (the question, or an answer that needs it to make sense).
 */
export function isQuotable(sentence: string): boolean {
  if (!/[.!?]["'”’)\]]*$/.test(sentence)) return false;
  if (sentence.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length < MIN_QUOTE_WORDS) return false;
  if (/\s\|\s/.test(sentence.replace(/\$[^$]*\$/g, ""))) return false;
  if (/^[QA]:/.test(sentence)) return false;
  if (POINTS_AT_PAGE.test(sentence)) return false;
  const dollars = (sentence.match(/\$/g) ?? []).length;
  if (dollars % 2 !== 0) return false;
  const outsideMaths = sentence.replace(/\$[^$]*\$/g, "");
  if (/\\[a-zA-Z]+/.test(outsideMaths) || /[_^]\{/.test(outsideMaths)) return false;
  return true;
}
