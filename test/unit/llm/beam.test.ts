/**
 * Beam search's bookkeeping (lib/llm/beam.ts) on a test double: FAKE_MODEL, a fixed table of
 * next-token probabilities standing in for the model. Every expected value below is worked
 * out by hand from that table (products of its probabilities), not by running the code.
 */
import { describe, expect, it } from "vitest";
import { beamScore, beamSearch, beamStep, initialBeams, selectBeams, topTokens, type Beam, type NextLogprobs, type NextToken } from "@/lib/llm/beam";

// Token ids of the test double's tiny vocabulary.
const END = 0;
const COFFEE = 1;
const HOT = 2;
const CHOCOLATE = 3;
const DOT = 4;
const TEA = 5;

/**
 * Test double for the model: next-token probabilities after each generated prefix (ids
 * joined by ","). A prefix ending in END has no entry: the text is over there. It is the
 * lesson's "cup of" example: greedy takes " coffee" (0.5) and ends on a path worth
 * 0.5 × 0.4 = 0.20, while " hot chocolate" is worth 0.4 × 0.9 = 0.36.
 */
const FAKE_MODEL: Readonly<Record<string, Readonly<Record<number, number>>>> = {
  "": { [COFFEE]: 0.5, [HOT]: 0.4, [TEA]: 0.1 },
  [`${COFFEE}`]: { [DOT]: 0.4, [END]: 0.35, [TEA]: 0.25 },
  [`${HOT}`]: { [CHOCOLATE]: 0.9, [TEA]: 0.1 },
  [`${TEA}`]: { [DOT]: 0.6, [END]: 0.4 },
  [`${COFFEE},${DOT}`]: { [END]: 1 },
  [`${COFFEE},${TEA}`]: { [END]: 1 },
  [`${HOT},${CHOCOLATE}`]: { [END]: 0.7, [DOT]: 0.3 },
  [`${HOT},${TEA}`]: { [END]: 1 },
  [`${HOT},${CHOCOLATE},${DOT}`]: { [END]: 1 },
  [`${TEA},${DOT}`]: { [END]: 1 },
};

/** The callback over a table: every listed token (in table order), or none past the end. */
function tableModel(table: Readonly<Record<string, Readonly<Record<number, number>>>>): NextLogprobs & { calls: string[] } {
  const calls: string[] = [];
  const next = (ids: readonly number[]): NextToken[] => {
    const key = ids.join(",");
    calls.push(key);
    const row = table[key];
    return row ? Object.entries(row).map(([id, p]) => ({ id: Number(id), logprob: Math.log(p) })) : [];
  };
  return Object.assign(next, { calls });
}

const ids = (beam: Beam) => beam.tokens.map((t) => t.id);
/** The probability of a beam's whole continuation. */
const prob = (beam: Beam) => Math.exp(beam.logprob);

/** Reference greedy decoding over the table: argmax (lower id on a tie) until the text ends. */
function greedyOnTable(table: Readonly<Record<string, Readonly<Record<number, number>>>>, steps: number): { ids: number[]; logprob: number } {
  const out: number[] = [];
  let logprob = 0;
  for (let i = 0; i < steps; i++) {
    const row = table[out.join(",")];
    if (!row) break;
    const [id, p] = Object.entries(row)
      .map(([k, v]) => [Number(k), v] as const)
      .reduce((best, cur) => (cur[1] > best[1] || (cur[1] === best[1] && cur[0] < best[0]) ? cur : best));
    out.push(id);
    logprob += Math.log(p);
  }
  return { ids: out, logprob };
}

describe("beam search on a fixed table (test double)", () => {
  it("step 1 from the prompt keeps the B most likely first tokens", async () => {
    const model = tableModel(FAKE_MODEL);
    const r = await beamStep(initialBeams(), model, { width: 2 });
    expect(model.calls).toEqual([""]);
    expect(r.beams.map(ids)).toEqual([[COFFEE], [HOT]]);
    expect(r.beams.map(prob).map((p) => +p.toFixed(12))).toEqual([0.5, 0.4]);
    // Only the top B tokens of a beam are candidates: tea (0.1) is never considered.
    expect(r.candidates.map((c) => c.token?.id)).toEqual([COFFEE, HOT]);
    expect(r.candidates.map((c) => c.keptRank)).toEqual([0, 1]);
    expect(r.finished).toBe(false);
  });

  it("step 2: a runner-up first token wins, by the product of its probabilities", async () => {
    const history = await beamSearch(tableModel(FAKE_MODEL), 2, { width: 2 });
    const step2 = history[1];
    // Candidates (hand-computed): hot·chocolate 0.4 × 0.9 = 0.36, coffee·. 0.5 × 0.4 = 0.20,
    // coffee·END 0.5 × 0.35 = 0.175, hot·tea 0.4 × 0.1 = 0.04. Keep the best two.
    expect(step2.candidates.map((c) => ids(c.beam))).toEqual([
      [HOT, CHOCOLATE],
      [COFFEE, DOT],
      [COFFEE, END],
      [HOT, TEA],
    ]);
    expect(step2.candidates.map((c) => prob(c.beam))).toEqual([0.36, 0.2, 0.175, 0.04].map((p) => expect.closeTo(p, 12)));
    expect(step2.candidates.map((c) => c.keptRank)).toEqual([0, 1, null, null]);
    // Each candidate names the beam it extends (step 1's beams: 0 = coffee, 1 = hot) and its token's own log P.
    expect(step2.candidates.map((c) => c.parent)).toEqual([1, 0, 0, 1]);
    expect(step2.candidates[0].token).toEqual({ id: CHOCOLATE, logprob: Math.log(0.9) });
    expect(step2.beams[0].logprob).toBeCloseTo(Math.log(0.36), 12);
    expect(step2.beams[0].tokens.map((t) => t.logprob)).toEqual([Math.log(0.4), Math.log(0.9)]);
  });

  it("finished beams are carried over and compete with their score; search stops when all have ended", async () => {
    const model = tableModel(FAKE_MODEL);
    const history = await beamSearch(model, 10, { width: 2 });
    // Step 3: hot·chocolate·END 0.36 × 0.7 = 0.252, coffee·.·END 0.2 × 1 = 0.2, hot·chocolate·. 0.36 × 0.3 = 0.108.
    expect(history[2].candidates.map((c) => ids(c.beam))).toEqual([
      [HOT, CHOCOLATE, END],
      [COFFEE, DOT, END],
      [HOT, CHOCOLATE, DOT],
    ]);
    expect(history[2].candidates.map((c) => prob(c.beam))).toEqual([0.252, 0.2, 0.108].map((p) => expect.closeTo(p, 12)));
    // Step 4: both beams ended in END, so the model has nothing to add: carried unchanged, done.
    expect(history).toHaveLength(4);
    const last = history[3];
    expect(last.finished).toBe(true);
    expect(last.candidates.map((c) => c.token)).toEqual([null, null]);
    expect(last.beams.map(ids)).toEqual([
      [HOT, CHOCOLATE, END],
      [COFFEE, DOT, END],
    ]);
    expect(last.beams.every((b) => b.done)).toBe(true);
    expect(prob(last.beams[0])).toBeCloseTo(0.252, 12);
  });

  it("B = 1 is exactly greedy decoding: the same tokens and the same log-probability, bit for bit", async () => {
    const greedy = greedyOnTable(FAKE_MODEL, 10);
    // By hand: coffee (0.5), "." (0.4), END (1): 0.2 in all.
    expect(greedy.ids).toEqual([COFFEE, DOT, END]);
    for (const steps of [1, 2, 3, 10]) {
      const history = await beamSearch(tableModel(FAKE_MODEL), steps, { width: 1 });
      const best = history.at(-1)!.beams[0];
      const expected = greedyOnTable(FAKE_MODEL, steps);
      expect(ids(best)).toEqual(expected.ids);
      expect(best.logprob).toBe(expected.logprob);
      expect(history.every((h) => h.beams.length === 1)).toBe(true);
    }
    const best = (await beamSearch(tableModel(FAKE_MODEL), 10, { width: 1 })).at(-1)!.beams[0];
    expect(prob(best)).toBeCloseTo(0.2, 12);
  });

  it("a wider beam finds the more probable sequence greedy misses", async () => {
    const greedy = (await beamSearch(tableModel(FAKE_MODEL), 3, { width: 1 })).at(-1)!.beams[0];
    const beam = (await beamSearch(tableModel(FAKE_MODEL), 3, { width: 2 })).at(-1)!.beams[0];
    expect(prob(greedy)).toBeCloseTo(0.2, 12);
    expect(prob(beam)).toBeCloseTo(0.252, 12);
    expect(beam.logprob).toBeGreaterThan(greedy.logprob);
  });

  it("breaks ties by token id, lowest first, whatever order the model lists them in", async () => {
    // Test double: ids 7 and 3 tie at 0.3 behind id 5 at 0.4; listed 7 first.
    const tied = { "": { 7: 0.3, 5: 0.4, 3: 0.3 }, "3": { 9: 1 }, "5": { 9: 0.5, 8: 0.5 }, "7": { 9: 1 } };
    const step1 = (await beamSearch(tableModel(tied), 1, { width: 2 }))[0];
    expect(step1.beams.map(ids)).toEqual([[5], [3]]);
    // Greedy on a tie of two tokens takes the lower id: 5 then 8 (8 and 9 both 0.5).
    const greedy = (await beamSearch(tableModel(tied), 2, { width: 1 })).at(-1)!;
    expect(greedy.beams.map(ids)).toEqual([[5, 8]]);
    expect(greedyOnTable(tied, 2).ids).toEqual([5, 8]);
    // Across beams: 3·9 and 7·9 both score 0.3, 5·8 and 5·9 both 0.2; lower ids first at each tie.
    const step2 = (await beamSearch(tableModel(tied), 2, { width: 3 }))[1];
    expect(step2.candidates.map((c) => ids(c.beam))).toEqual([
      [3, 9],
      [7, 9],
      [5, 8],
      [5, 9],
    ]);
    expect(step2.candidates.map((c) => c.keptRank)).toEqual([0, 1, 2, null]);
  });

  it("length normalisation ranks by the mean log-probability per token instead of the sum", () => {
    // Test double, as one step's inputs: beam [END] (0.4) has ended; beam [1] (0.6) goes on
    // with 2 (0.6) or END (0.4).
    const ended: Beam = { tokens: [{ id: END, logprob: Math.log(0.4) }], logprob: Math.log(0.4), done: true };
    const live: Beam = { tokens: [{ id: 1, logprob: Math.log(0.6) }], logprob: Math.log(0.6), done: false };
    const next = [[], [{ id: 2, logprob: Math.log(0.6) }, { id: END, logprob: Math.log(0.4) }]];
    // Sums: [END] ln 0.4 = −0.916, [1,2] ln 0.36 = −1.022, [1,END] ln 0.24 = −1.427.
    const plain = selectBeams([ended, live], next, { width: 2 });
    expect(plain.beams.map(ids)).toEqual([[END], [1, 2]]);
    expect(plain.candidates.map((c) => c.keptRank)).toEqual([0, 1, null]);
    // Means: [1,2] ln 0.36 / 2 = −0.511, [1,END] ln 0.24 / 2 = −0.714, [END] −0.916: the short one is dropped.
    const normalized = selectBeams([ended, live], next, { width: 2, lengthNormalized: true });
    expect(normalized.beams.map(ids)).toEqual([[1, 2], [1, END]]);
    expect(normalized.candidates.map((c) => ids(c.beam))).toEqual([[1, 2], [1, END], [END]]);
    expect(normalized.candidates[0].score).toBeCloseTo(Math.log(0.36) / 2, 12);
    expect(normalized.candidates[2].token).toBeNull();
    expect(beamScore(live, true)).toBe(Math.log(0.6));
    expect(beamScore({ tokens: [], logprob: 0 }, true)).toBe(0);
  });

  it("a live beam the model cannot continue is finished and carried as it is", () => {
    const live: Beam = { tokens: [{ id: 1, logprob: Math.log(0.5) }], logprob: Math.log(0.5), done: false };
    const r = selectBeams([live], [[]], { width: 2 });
    expect(r.beams).toEqual([{ ...live, done: true }]);
    expect(r.finished).toBe(true);
  });

  it("topTokens sorts by log-probability then id and drops −∞", () => {
    const tokens = [
      { id: 4, logprob: -1 },
      { id: 2, logprob: -Infinity },
      { id: 9, logprob: -0.5 },
      { id: 1, logprob: -1 },
    ];
    expect(topTokens(tokens, 3).map((t) => t.id)).toEqual([9, 1, 4]);
    expect(topTokens(tokens, 10).map((t) => t.id)).toEqual([9, 1, 4]);
  });

  it("refuses a width that is not a positive integer", async () => {
    for (const width of [0, -1, 1.5, NaN]) {
      expect(() => selectBeams(initialBeams(), [[]], { width })).toThrow(RangeError);
      await expect(beamSearch(tableModel(FAKE_MODEL), 1, { width })).rejects.toThrow(RangeError);
    }
  });
});
