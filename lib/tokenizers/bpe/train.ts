/**
 * Byte-level BPE training — the algorithm of the BPE lessons, made fast enough to use.
 *
 * 1. Pre-tokenise the corpus into words and count each distinct word once
 *    ("the" appearing 5,000 times is one entry with count 5,000).
 * 2. Spell every word as bytes. The starting vocabulary is all 256 byte values, so any
 *    text can be encoded later, even characters the corpus never contained.
 * 3. Repeat until the vocabulary is full: find the adjacent pair of symbols that occurs
 *    most often (counting each word's pairs × the word's count), add the pair glued
 *    together as a new symbol, and rewrite every word that contains it.
 *
 * The textbook version recounts every pair after every merge. This one keeps the counts
 * and updates them: an index pair → words containing it says which words a merge
 * touches, and only those words' pairs change. A max-heap of pairs finds the best one;
 * entries are not updated when a count drops — a popped entry whose count is out of date
 * is pushed back with its current count ("lazy invalidation"). That is safe because a
 * pair's count can only fall, except for pairs containing the brand-new symbol, which
 * are pushed fresh after each merge: a stored count is never lower than the true one.
 *
 * Tie-breaking (so that training is deterministic, whatever the platform or Map order):
 * the pair with the higher count wins; among equal counts, the pair whose left token's
 * bytes sort first wins; then the one whose right token's bytes sort first. Bytes are
 * compared as unsigned values, lexicographically ("a" < "ab" < "b").
 *
 * Isomorphic: plain TypeScript, runs in Node, the browser and Web Workers.
 */

import { BYTE_TO_UNICODE } from "../bytes.ts";
import { BinaryHeap } from "./heap.ts";
import { splitSpecialTokens, splitWords } from "./pretokenize.ts";

export interface MergeStep {
  /** 0 for the first merge learned, 1 for the next...: the merge's priority when encoding. */
  rank: number;
  /** The two byte-level tokens merged, and the result. */
  left: string;
  right: string;
  merged: string;
  /** The merged token's id in the final vocabulary. */
  id: number;
  /** How many times the pair occurred in the corpus when it was chosen. */
  count: number;
}

export interface TrainProgress {
  /** New tokens learned so far (equal to merges, unless a merge re-created an existing token). */
  merges: number;
  target: number;
  lastMerge: MergeStep | null;
}

export interface TrainOptions {
  /** Total vocabulary: special tokens + 256 bytes + merges. */
  vocabSize: number;
  /** Given the first ids, in order; cut out of the corpus before counting, never merged. */
  specialTokens?: readonly string[];
  /** Stop early when the best pair occurs fewer times than this. Default 2: a pair seen once
   * compresses nothing worth a vocabulary slot. */
  minFrequency?: number;
  onProgress?: (progress: TrainProgress) => void;
  /** Merges between two onProgress calls; default 1 % of the target. */
  progressEvery?: number;
  /** Called after every merge (e.g. to animate training in the playground). */
  onMerge?: (step: MergeStep) => void;
}

export interface BpeModel {
  /** tokens[id] is the byte-level string of token `id`. */
  tokens: string[];
  /** token → id (the same information as `tokens`, in tokenizer.json's shape). */
  vocab: Record<string, number>;
  /** Merges in rank order, as pairs of byte-level tokens. */
  merges: [string, string][];
  specialTokens: string[];
}

export interface TrainResult extends BpeModel {
  /** Every merge with the count it had when chosen — the "watch merges happen" timeline. */
  history: MergeStep[];
  stats: {
    /** Pre-tokenised words in the corpus, and how many were distinct. */
    words: number;
    uniqueWords: number;
    /** True when minFrequency stopped training before vocabSize was reached. */
    stoppedEarly: boolean;
    ms: number;
  };
}

/** Pair keys pack two symbol ids into one number so that a Map can index them cheaply. */
const PAIR_SHIFT = 2 ** 21; // room for two million symbols
const pairKey = (left: number, right: number) => left * PAIR_SHIFT + right;

interface HeapEntry {
  left: number;
  right: number;
  count: number;
}

/** Count the distinct pre-tokenised words of a corpus (special tokens removed). */
export function countWords(texts: Iterable<string>, specialTokens: readonly string[] = []): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const segment of splitSpecialTokens(text, specialTokens)) {
      if (segment.special) continue;
      for (const word of splitWords(segment.text)) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * The trainer as a step-by-step machine: `step()` learns one merge. trainBpe() runs it to
 * the end; a UI can call step() itself, and peek() shows the merge that would come next.
 *
 * Symbols are small integers internally: 0..255 are the bytes, 256.. the merged tokens in
 * the order they were created. Final ids are these plus the number of special tokens.
 */
export class BpeTrainer {
  readonly specialTokens: string[];
  readonly history: MergeStep[] = [];
  readonly totalWords: number;

  /** Per symbol: its bytes as a "binary string" (char code = byte; compares like bytes), */
  private readonly symbolBytes: string[] = [];
  /** ...its byte-level spelling, */
  private readonly symbolToken: string[] = [];
  /** ...and the reverse lookup, so the same byte string never gets two ids. */
  private readonly symbolIdByBytes = new Map<string, number>();

  /** Each distinct word as a list of symbols, and how often the word occurs. */
  private readonly words: number[][] = [];
  private readonly wordCounts: number[] = [];

  private readonly pairCounts = new Map<number, number>();
  /** pair → words that contain (or once contained) it. Never shrunk: a word that no longer
   * has the pair is simply left unchanged by the merge. */
  private readonly pairWords = new Map<number, Set<number>>();
  private readonly heap: BinaryHeap<HeapEntry>;

  constructor(wordCounts: ReadonlyMap<string, number>, specialTokens: readonly string[] = []) {
    this.specialTokens = [...specialTokens];
    for (let b = 0; b < 256; b++) this.addSymbol(String.fromCharCode(b), BYTE_TO_UNICODE[b]);

    this.heap = new BinaryHeap<HeapEntry>((a, b) => this.before(a, b));

    const utf8 = new TextEncoder();
    let total = 0;
    for (const [word, count] of wordCounts) {
      const w = this.words.length;
      const symbols = Array.from(utf8.encode(word));
      this.words.push(symbols);
      this.wordCounts.push(count);
      total += count;
      for (let i = 0; i + 1 < symbols.length; i++) this.addPair(symbols[i], symbols[i + 1], count, w);
    }
    this.totalWords = total;
    for (const [key, count] of this.pairCounts) {
      this.heap.push({ left: Math.floor(key / PAIR_SHIFT), right: key % PAIR_SHIFT, count });
    }
  }

  /** Train from raw texts: count words, then build the trainer. */
  static fromTexts(texts: Iterable<string>, specialTokens: readonly string[] = []): BpeTrainer {
    return new BpeTrainer(countWords(texts, specialTokens), specialTokens);
  }

  get uniqueWords(): number {
    return this.words.length;
  }

  /** Current vocabulary size, special tokens included. */
  get vocabSize(): number {
    return this.specialTokens.length + this.symbolBytes.length;
  }

  /** The pair the next step() would merge, with its count; null when no pair is left. */
  peek(): { left: string; right: string; count: number } | null {
    const top = this.freshTop();
    if (!top) return null;
    return { left: this.symbolToken[top.left], right: this.symbolToken[top.right], count: top.count };
  }

  /** Learn one merge. Returns null when there is no pair left to merge. */
  step(): MergeStep | null {
    const best = this.freshTop();
    if (!best) return null;
    this.heap.pop();
    const { left, right, count } = best;
    const key = pairKey(left, right);

    const bytes = this.symbolBytes[left] + this.symbolBytes[right];
    const merged =
      this.symbolIdByBytes.get(bytes) ?? // the same token reached by another merge path
      this.addSymbol(bytes, this.symbolToken[left] + this.symbolToken[right]);

    // Rewrite only the words that contain the pair, updating pair counts as we go.
    const touched = new Set<number>();
    for (const w of this.pairWords.get(key) ?? []) this.mergeInWord(w, left, right, merged, touched);
    this.pairWords.delete(key);
    this.pairCounts.delete(key);
    // Pairs that gained occurrences (all contain the new symbol) go into the heap fresh.
    for (const k of touched) {
      const c = this.pairCounts.get(k);
      if (c) this.heap.push({ left: Math.floor(k / PAIR_SHIFT), right: k % PAIR_SHIFT, count: c });
    }

    const step: MergeStep = {
      rank: this.history.length,
      left: this.symbolToken[left],
      right: this.symbolToken[right],
      merged: this.symbolToken[merged],
      id: this.specialTokens.length + merged,
      count,
    };
    this.history.push(step);
    return step;
  }

  /** The model learned so far. */
  model(): BpeModel {
    const tokens = [...this.specialTokens, ...this.symbolToken];
    const clash = this.specialTokens.find((s) => this.symbolToken.includes(s));
    if (clash) throw new Error(`special token ${JSON.stringify(clash)} was also learned as an ordinary token`);
    return {
      tokens,
      vocab: Object.fromEntries(tokens.map((t, id) => [t, id])), // fromEntries: safe even for "__proto__"
      merges: this.history.map((m) => [m.left, m.right]),
      specialTokens: [...this.specialTokens],
    };
  }

  /** Every distinct word as its current tokens (byte-level), with its count. For tests and UIs. */
  segmentedWords(): { tokens: string[]; count: number }[] {
    return this.words.map((w, i) => ({ tokens: w.map((s) => this.symbolToken[s]), count: this.wordCounts[i] }));
  }

  /** The maintained pair counts, keyed "left right" (byte-level tokens never contain a space). */
  pairCountsSnapshot(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [k, c] of this.pairCounts) {
      out.set(`${this.symbolToken[Math.floor(k / PAIR_SHIFT)]} ${this.symbolToken[k % PAIR_SHIFT]}`, c);
    }
    return out;
  }

  private addSymbol(bytes: string, token: string): number {
    const id = this.symbolBytes.length;
    this.symbolBytes.push(bytes);
    this.symbolToken.push(token);
    this.symbolIdByBytes.set(bytes, id);
    return id;
  }

  /** The tie-breaking rule of the header comment: count, then left bytes, then right bytes. */
  private before(a: HeapEntry, b: HeapEntry): boolean {
    if (a.count !== b.count) return a.count > b.count;
    if (a.left !== b.left) return this.symbolBytes[a.left] < this.symbolBytes[b.left];
    return this.symbolBytes[a.right] < this.symbolBytes[b.right];
  }

  /** Pop stale heap entries until the top one carries its pair's true count. */
  private freshTop(): HeapEntry | null {
    for (;;) {
      const top = this.heap.peek();
      if (!top) return null;
      const actual = this.pairCounts.get(pairKey(top.left, top.right)) ?? 0;
      if (actual === top.count) return top;
      this.heap.pop();
      if (actual > 0) this.heap.push({ ...top, count: actual });
    }
  }

  private addPair(left: number, right: number, delta: number, word: number, touched?: Set<number>): void {
    const key = pairKey(left, right);
    const count = (this.pairCounts.get(key) ?? 0) + delta;
    if (count === 0) this.pairCounts.delete(key);
    else this.pairCounts.set(key, count);
    if (delta > 0) {
      let words = this.pairWords.get(key);
      if (!words) this.pairWords.set(key, (words = new Set()));
      words.add(word);
      touched?.add(key);
    }
  }

  /**
   * Replace each (left, right) in word w by `merged`, left to right, and adjust the counts
   * of the neighbouring pairs: in "x a b y" → "x M y", the pairs (x,a) (a,b) (b,y) lose one
   * occurrence per occurrence of the word and (x,M) (M,y) gain one. The left neighbour is
   * read from the output, so back-to-back matches ("a b a b" → "M M") come out right.
   */
  private mergeInWord(w: number, left: number, right: number, merged: number, touched: Set<number>): void {
    const word = this.words[w];
    const n = this.wordCounts[w];
    const out: number[] = [];
    let i = 0;
    while (i < word.length) {
      if (i + 1 < word.length && word[i] === left && word[i + 1] === right) {
        this.addPair(left, right, -n, w);
        if (out.length > 0) {
          const prev = out[out.length - 1];
          this.addPair(prev, left, -n, w);
          this.addPair(prev, merged, n, w, touched);
        }
        if (i + 2 < word.length) {
          const next = word[i + 2];
          this.addPair(right, next, -n, w);
          this.addPair(merged, next, n, w, touched);
        }
        out.push(merged);
        i += 2;
      } else {
        out.push(word[i]);
        i += 1;
      }
    }
    this.words[w] = out;
  }
}

/**
 * Train a byte-level BPE tokenizer on one text or several.
 * Vocabulary layout: special tokens (ids 0..k-1), the 256 bytes in byte order, then one
 * token per merge in the order learned.
 */
export function trainBpe(input: string | Iterable<string>, options: TrainOptions): TrainResult {
  const started = performance.now();
  const specialTokens = options.specialTokens ?? [];
  const base = specialTokens.length + 256;
  if (!Number.isInteger(options.vocabSize) || options.vocabSize < base) {
    throw new Error(`vocabSize must be an integer ≥ ${base} (special tokens + 256 bytes)`);
  }
  const minFrequency = options.minFrequency ?? 2;
  const target = options.vocabSize - base; // new tokens to learn
  const every = Math.max(1, options.progressEvery ?? Math.floor(target / 100));

  const trainer = BpeTrainer.fromTexts(typeof input === "string" ? [input] : input, specialTokens);
  let stoppedEarly = false;
  let lastMerge: MergeStep | null = null;
  while (trainer.vocabSize < options.vocabSize) {
    const next = trainer.peek();
    if (!next || next.count < minFrequency) {
      stoppedEarly = true;
      break;
    }
    lastMerge = trainer.step();
    if (!lastMerge) break;
    options.onMerge?.(lastMerge);
    const learned = trainer.vocabSize - base;
    if (learned % every === 0) options.onProgress?.({ merges: learned, target, lastMerge });
  }
  options.onProgress?.({ merges: trainer.vocabSize - base, target, lastMerge });

  return {
    ...trainer.model(),
    history: trainer.history,
    stats: {
      words: trainer.totalWords,
      uniqueWords: trainer.uniqueWords,
      stoppedEarly,
      ms: performance.now() - started,
    },
  };
}
