/**
 * Beam search, one step at a time: the bookkeeping only (expand, score, prune), with the
 * model behind a callback, so the same code runs on the real model (the lesson demo, the
 * integration test) and on a fixed table (the unit tests).
 *
 * A beam is a partial continuation of the prompt and its log-probability, the sum of its
 * tokens' log-probabilities. One step expands every live beam by its `width` most likely
 * next tokens (no beam needs more: the best `width` extensions overall never include a
 * beam's (width+1)-th token), carries finished beams over unchanged, and keeps the best
 * `width` of all these candidates. Ties are broken by the token ids, lowest first (compared
 * as sequences), so the result never depends on the order the callback lists tokens in.
 * With width 1 this is exactly greedy decoding (argmax, lower id on a tie).
 *
 * A beam is finished when the callback has no next token for it (the text ended with an end
 * token, or the context is full); it keeps competing with its score as it is.
 *
 * Isomorphic, no dependencies.
 */

/** One possible next token and its log-probability under the model (natural log, ≤ 0). */
export interface NextToken {
  id: number;
  logprob: number;
}

/**
 * The model's next-token log-probabilities after the prompt and the generated `ids`: at
 * least the most likely `k` tokens (more is fine, in any order), or none when the text
 * cannot go on. `k` is the beam width: a callback may use it to ask the model for no more.
 */
export type NextLogprobs<T extends NextToken = NextToken> = (ids: readonly number[], k: number) => Promise<readonly T[]> | readonly T[];

export interface Beam<T extends NextToken = NextToken> {
  /** The generated tokens, each with its own step log-probability. */
  tokens: readonly T[];
  /** Σ log P of the tokens: the log-probability of the whole continuation. */
  logprob: number;
  /** The model cannot continue it (it ended, or the context is full). */
  done: boolean;
}

export interface BeamOptions {
  /** B: how many beams survive each step (a positive integer). */
  width: number;
  /** Rank by the mean log-probability per token instead of the sum (favours longer beams). */
  lengthNormalized?: boolean;
}

/** One candidate of a step: a beam extended by one token, or a finished beam carried over. */
export interface BeamCandidate<T extends NextToken = NextToken> {
  /** Index of the beam it comes from, in the step's input beams. */
  parent: number;
  /** The appended token; null for a finished beam carried over unchanged. */
  token: T | null;
  beam: Beam<T>;
  /** What the ranking compares: beam.logprob, or its mean per token when length-normalised. */
  score: number;
  /** Its place among the kept beams (0 = best), or null when it was pruned. */
  keptRank: number | null;
}

export interface BeamStepResult<T extends NextToken = NextToken> {
  /** The kept beams, best first (at most `width`). */
  beams: Beam<T>[];
  /** Every candidate considered, best first, kept ones marked with their rank. */
  candidates: BeamCandidate<T>[];
  /** Every kept beam is finished: further steps change nothing. */
  finished: boolean;
}

/** Before the first step: one empty, live beam. */
export function initialBeams<T extends NextToken = NextToken>(): Beam<T>[] {
  return [{ tokens: [], logprob: 0, done: false }];
}

/** A beam's ranking score: the summed log-probability, or its mean per token. */
export function beamScore(beam: Pick<Beam, "tokens" | "logprob">, lengthNormalized = false): number {
  return lengthNormalized && beam.tokens.length > 0 ? beam.logprob / beam.tokens.length : beam.logprob;
}

/** Token ids compared as sequences: element by element, a prefix first. */
function compareIds(a: readonly NextToken[], b: readonly NextToken[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i].id !== b[i].id) return a[i].id - b[i].id;
  return a.length - b.length;
}

/** Best first: higher score, then lower token ids. */
function byScore<T extends NextToken>(a: Omit<BeamCandidate<T>, "keptRank">, b: Omit<BeamCandidate<T>, "keptRank">): number {
  return b.score - a.score || compareIds(a.beam.tokens, b.beam.tokens);
}

/** The `k` most likely tokens, best first (ties: lower id first); non-finite log-probabilities dropped. */
export function topTokens<T extends NextToken>(tokens: readonly T[], k: number): T[] {
  return tokens
    .filter((t) => Number.isFinite(t.logprob))
    .sort((a, b) => b.logprob - a.logprob || a.id - b.id)
    .slice(0, k);
}

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`beam width must be a positive integer, got ${width}`);
}

/**
 * One step, given each beam's next tokens (`next[i]` for `beams[i]`; ignored for a finished
 * beam, and an empty list finishes a live one). Pure and synchronous: beamStep() below asks
 * the model and calls this.
 */
export function selectBeams<T extends NextToken>(beams: readonly Beam<T>[], next: readonly (readonly T[])[], options: BeamOptions): BeamStepResult<T> {
  checkWidth(options.width);
  const norm = options.lengthNormalized ?? false;
  const pool: Omit<BeamCandidate<T>, "keptRank">[] = [];
  beams.forEach((beam, parent) => {
    const tokens = beam.done ? [] : topTokens(next[parent] ?? [], options.width);
    if (tokens.length === 0) {
      const carried: Beam<T> = beam.done ? beam : { ...beam, done: true };
      pool.push({ parent, token: null, beam: carried, score: beamScore(carried, norm) });
      return;
    }
    for (const token of tokens) {
      const extended: Beam<T> = { tokens: [...beam.tokens, token], logprob: beam.logprob + token.logprob, done: false };
      pool.push({ parent, token, beam: extended, score: beamScore(extended, norm) });
    }
  });
  pool.sort(byScore);
  const candidates = pool.map((c, i) => ({ ...c, keptRank: i < options.width ? i : null }));
  const kept = candidates.filter((c) => c.keptRank !== null).map((c) => c.beam);
  return { beams: kept, candidates, finished: kept.every((b) => b.done) };
}

/** One step on a model: asks `next` for every live beam (concurrently), then selectBeams(). */
export async function beamStep<T extends NextToken>(beams: readonly Beam<T>[], next: NextLogprobs<T>, options: BeamOptions): Promise<BeamStepResult<T>> {
  checkWidth(options.width);
  const expansions = await Promise.all(beams.map((b) => (b.done ? [] : next(b.tokens.map((t) => t.id), options.width))));
  return selectBeams(beams, expansions, options);
}

/**
 * `steps` steps from the prompt (fewer when every beam finishes first): each step's result,
 * in order. The last result's beams[0] is the best sequence found.
 */
export async function beamSearch<T extends NextToken>(next: NextLogprobs<T>, steps: number, options: BeamOptions): Promise<BeamStepResult<T>[]> {
  checkWidth(options.width);
  const history: BeamStepResult<T>[] = [];
  let beams = initialBeams<T>();
  for (let i = 0; i < steps; i++) {
    const result = await beamStep(beams, next, options);
    history.push(result);
    beams = result.beams;
    if (result.finished) break;
  }
  return history;
}
