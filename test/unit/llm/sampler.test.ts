/**
 * The sampler against hand-computed cases, stage by stage, then the whole step against a
 * deliberately naive reference implementation (full sorts, no cleverness) on random inputs.
 */
import { describe, expect, it } from "vitest";
import { createRng, type Rng } from "@/lib/llm/prng";
import {
  BOUNDARY_EPSILON,
  TokenOrder,
  applyPresenceFrequencyPenalties,
  applyRepetitionPenalty,
  argmax,
  createSamplerContext,
  logSumExp,
  minP,
  pickByInverseCdf,
  prefixEntropy,
  prefixMass,
  recordGenerated,
  sampleStep,
  softmax,
  topInto,
  topK,
  topP,
} from "@/lib/llm/sampler";
import { DEFAULT_SETTINGS, type SamplingSettings } from "@/lib/llm/trace";
import { stagesOff as settings } from "./settings";


/** An rng that returns the given draws, and counts how many were taken. */
function fixedRng(...draws: number[]): Rng & { taken: number } {
  const r = {
    taken: 0,
    next() {
      return draws[r.taken++];
    },
    nextUint32() {
      return Math.floor(r.next() * 2 ** 32);
    },
    get state() {
      return r.taken;
    },
  };
  return r;
}

/** Logits whose softmax at T = 1 is `probs` (float64, so hand-computed boundaries stay exact to ~1e-16). */
const logitsOf = (probs: number[]) => Float64Array.from(probs, (p) => (p > 0 ? Math.log(p) : -Infinity));
const noContext = () => createSamplerContext([]);
const order = (keys: Float64Array) => new TokenOrder().reset(keys);

describe("repetition penalty (Hugging Face rule)", () => {
  it("divides positive logits and multiplies negative ones, only for seen tokens", () => {
    const x = [2, -1, 0.5, 3, 0];
    applyRepetitionPenalty(x, new Set([0, 1, 4]), 2);
    expect(x).toEqual([1, -2, 0.5, 3, 0]);
  });
  it("counts a token once however often it was seen, and 1 is a no-op", () => {
    const ctx = createSamplerContext([0, 0, 0], [0, 0]);
    const x = [4, 1];
    applyRepetitionPenalty(x, ctx.seen, 2);
    expect(x).toEqual([2, 1]);
    applyRepetitionPenalty(x, ctx.seen, 1);
    expect(x).toEqual([2, 1]);
  });
  it("leaves −Infinity at −Infinity", () => {
    const x = [-Infinity, 1];
    applyRepetitionPenalty(x, new Set([0]), 1.5);
    expect(x[0]).toBe(-Infinity);
  });
});

describe("presence and frequency penalties (OpenAI rule)", () => {
  it("subtracts presence·[count>0] + frequency·count, for positive and negative logits", () => {
    const x = [1, -1, 2];
    applyPresenceFrequencyPenalties(x, new Map([[0, 2], [1, 1]]), 0.5, 0.25);
    expect(x).toEqual([1 - 0.5 - 0.5, -1 - 0.5 - 0.25, 2]);
  });
  it("negative values encourage repeats", () => {
    const x = [0, 0];
    applyPresenceFrequencyPenalties(x, new Map([[1, 3]]), -1, -0.5);
    expect(x).toEqual([0, 2.5]);
  });
  it("counts generated tokens only, not the prompt", () => {
    const ctx = createSamplerContext([0, 0, 1], [1]);
    expect([...ctx.generatedCounts]).toEqual([[1, 1]]);
    expect([...ctx.seen].sort()).toEqual([0, 1]);
    recordGenerated(ctx, 1);
    expect(ctx.generatedCounts.get(1)).toBe(2);
  });
  it("runs after the repetition penalty: (2 / 2) − 1, not (2 − 1) / 2", () => {
    const ctx = createSamplerContext([], [0]);
    const r = sampleStep(
      Float32Array.of(2, 0),
      ctx,
      settings({ repetitionPenalty: 2, presencePenalty: 1 }),
      fixedRng(0.5),
    );
    expect(r.candidates.find((c) => c.id === 0)!.logitAfterPenalty).toBe(0);
  });
});

describe("softmax and logSumExp", () => {
  it("matches the formula", () => {
    const p = softmax([Math.log(1), Math.log(2), Math.log(3)]);
    expect(Array.from(p)).toEqual([1 / 6, 2 / 6, 3 / 6].map((v) => expect.closeTo(v, 15)));
  });
  it("is stable for huge logits (exp would overflow without subtracting the max)", () => {
    expect(Array.from(softmax([1000, 1000]))).toEqual([0.5, 0.5]);
    expect(Array.from(softmax([1e30, 0]))).toEqual([1, 0]);
    expect(Array.from(softmax([-1000, 0]))).toEqual([0, 1]);
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.LN2, 12);
  });
  it("gives −Infinity logits probability 0 and shares +Infinity equally", () => {
    expect(Array.from(softmax([0, -Infinity, 0]))).toEqual([0.5, 0, 0.5]);
    expect(Array.from(softmax([Infinity, 0, Infinity]))).toEqual([0.5, 0, 0.5]);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(() => softmax([-Infinity, -Infinity])).toThrow(/finite/);
  });
  it("applies temperature: T = 0.5 squares the probabilities' ratios, T = 2 takes square roots", () => {
    const x = [Math.log(1), Math.log(2), Math.log(3)];
    expect(Array.from(softmax(x, 0.5))).toEqual([1 / 14, 4 / 14, 9 / 14].map((v) => expect.closeTo(v, 14)));
    const z = 1 + Math.SQRT2 + Math.sqrt(3);
    expect(Array.from(softmax(x, 2))).toEqual([1 / z, Math.SQRT2 / z, Math.sqrt(3) / z].map((v) => expect.closeTo(v, 14)));
  });
  it("T → 0 concentrates on the argmax without overflow", () => {
    const p = softmax([1, 1.01, 0.5], 1e-3);
    expect(p[1]).toBeCloseTo(1, 4);
    expect(p[0]).toBeLessThan(1e-4);
    expect(Array.from(softmax([1, 1.01, 0.5], 1e-9))).toEqual([0, 1, 0]);
  });
});

describe("argmax and greedy decoding", () => {
  it("breaks ties by the lowest id", () => {
    expect(argmax([3, 5, 5, 1])).toBe(1);
    expect(argmax([-Infinity, -Infinity])).toBe(0);
    expect(argmax([])).toBe(-1);
  });
  it("temperature 0 and greedy: argmax, lowest id on ties, no draw, one-hot distribution", () => {
    for (const s of [settings({ temperature: 0 }), settings({ greedy: true, temperature: 1.5, topK: 1 })]) {
      const rng = fixedRng(0.99);
      const r = sampleStep(Float32Array.of(3, 5, 5, 1), noContext(), s, rng);
      expect(r.tokenId).toBe(1);
      expect(r.u).toBeNull();
      expect(rng.taken).toBe(0);
      expect(r.entropy).toBe(0);
      expect(r.kept).toEqual({ afterPenalties: 4, afterTopK: 1, afterTopP: 1, afterMinP: 1 });
      const byId = new Map(r.candidates.map((c) => [c.id, c]));
      expect(byId.get(1)).toMatchObject({ probAtTemperature: 1, probFinal: 1 });
      expect(byId.get(1)!.removedBy).toBeUndefined();
      expect(byId.get(2)).toMatchObject({ probAtTemperature: 0, probFinal: 0, removedBy: "greedy" });
    }
  });
  it("greedy follows the penalised logits, not the raw ones", () => {
    const r = sampleStep(Float32Array.of(2, 1.5), createSamplerContext([0]), settings({ greedy: true, repetitionPenalty: 2 }), fixedRng());
    expect(r.tokenId).toBe(1);
    expect(r.rank).toBe(1); // by raw logit, the chosen token is second
  });
});

describe("top-k", () => {
  it("keeps the k most likely; 0 or k ≥ kept is off", () => {
    expect(topK(10, 3)).toBe(3);
    expect(topK(10, 0)).toBe(10);
    expect(topK(10, 12)).toBe(10);
  });
  it("renormalises over the k survivors", () => {
    const r = sampleStep(logitsOf([0.1, 0.4, 0.2, 0.3]), noContext(), settings({ topK: 2 }), fixedRng(0));
    expect(r.kept).toMatchObject({ afterTopK: 2, afterTopP: 2, afterMinP: 2 });
    const final = Object.fromEntries(r.candidates.map((c) => [c.id, c.probFinal]));
    expect(final[1]).toBeCloseTo(0.4 / 0.7, 12);
    expect(final[3]).toBeCloseTo(0.3 / 0.7, 12);
    expect(final[0]).toBe(0);
    expect(final[2]).toBe(0);
    expect(r.candidates.find((c) => c.id === 0)!.removedBy).toBe("topK");
    expect(r.candidates.find((c) => c.id === 0)!.probAtTemperature).toBeCloseTo(0.1, 12);
  });
  it("breaks ties at the cut by the lowest id", () => {
    const r = sampleStep(Float32Array.of(0, 1, 1, 1), noContext(), settings({ topK: 2 }), fixedRng(0.99));
    const kept = r.candidates.filter((c) => c.probFinal > 0).map((c) => c.id);
    expect(kept).toEqual([1, 2]);
    expect(r.candidates.find((c) => c.id === 3)!.removedBy).toBe("topK");
  });
});

describe("top-p", () => {
  const probs = [0.2, 0.5, 0.3]; // order: id 1 (0.5), id 2 (0.3), id 0 (0.2)
  const p = softmax(logitsOf(probs));
  it("keeps the smallest prefix reaching p; exactly at the boundary the crossing token completes it", () => {
    expect(topP(order(p), p, 3, 0.8)).toBe(2); // 0.5 + 0.3 = 0.8 exactly
    expect(topP(order(p), p, 3, 0.5)).toBe(1); // 0.5 alone reaches 0.5
    expect(topP(order(p), p, 3, 0.49)).toBe(1);
    expect(topP(order(p), p, 3, 0.51)).toBe(2);
    expect(topP(order(p), p, 3, 0.8 + 10 * BOUNDARY_EPSILON)).toBe(3);
    expect(topP(order(p), p, 3, 1)).toBe(3); // off
  });
  it("breaks probability ties by the lowest id", () => {
    const q = softmax(logitsOf([0.3, 0.3, 0.4])); // order: id 2, then id 0 before id 1
    const o = order(q);
    expect(topP(o, q, 3, 0.7)).toBe(2);
    expect([o.at(0), o.at(1), o.at(2)]).toEqual([2, 0, 1]);
  });
  it("works on the distribution renormalised after top-k (as Hugging Face does)", () => {
    // After top-k = 2 of [0.4, 0.3, 0.2, 0.1]: [4/7, 3/7]. 4/7 ≈ 0.571 ≥ 0.55, so one token;
    // without renormalising, 0.4 < 0.55 would keep two.
    const r = sampleStep(logitsOf([0.4, 0.3, 0.2, 0.1]), noContext(), settings({ topK: 2, topP: 0.55 }), fixedRng(0.9));
    expect(r.kept).toMatchObject({ afterTopK: 2, afterTopP: 1, afterMinP: 1 });
    expect(r.tokenId).toBe(0);
    expect(r.candidates.find((c) => c.id === 1)!.removedBy).toBe("topP");
    expect(r.entropy).toBe(0);
  });
});

describe("min-p", () => {
  const p = softmax(logitsOf([0.5, 0.25, 0.15, 0.1]));
  it("keeps tokens with p ≥ minP · p_max (boundary inclusive); 0 is off", () => {
    expect(minP(order(p), p, 4, 0.5)).toBe(2); // threshold 0.25: 0.25 stays
    expect(minP(order(p), p, 4, 0.3)).toBe(3); // threshold 0.15
    expect(minP(order(p), p, 4, 0.9)).toBe(1);
    expect(minP(order(p), p, 4, 0)).toBe(4);
  });
  it("never keeps more than the previous filters did", () => {
    expect(minP(order(p), p, 2, 0.1)).toBe(2);
  });
  it("reports removedBy minP and renormalises", () => {
    const r = sampleStep(logitsOf([0.5, 0.25, 0.15, 0.1]), noContext(), settings({ minP: 0.5 }), fixedRng(0.7));
    expect(r.kept).toMatchObject({ afterTopK: 4, afterTopP: 4, afterMinP: 2 });
    const c = Object.fromEntries(r.candidates.map((x) => [x.id, x]));
    expect(c[0].probFinal).toBeCloseTo(2 / 3, 12);
    expect(c[1].probFinal).toBeCloseTo(1 / 3, 12);
    expect(c[2]).toMatchObject({ probFinal: 0, removedBy: "minP" });
    expect(r.tokenId).toBe(1); // u = 0.7 lies in [2/3, 1)
  });
});

describe("renormalisation, the draw and entropy", () => {
  // ids: 0 → 0.2, 1 → 0.5, 2 → 0.3; the draw walks id 1 [0, 0.5), id 2 [0.5, 0.8), id 0 [0.8, 1).
  const logits = logitsOf([0.2, 0.5, 0.3]);
  const cases: [number, number][] = [
    [0, 1],
    [0.49, 1],
    [0.5, 2],
    [0.79, 2],
    [0.8, 0],
    [0.999999, 0],
  ];
  for (const [u, id] of cases) {
    it(`u = ${u} picks token ${id}`, () => {
      const rng = fixedRng(u);
      const r = sampleStep(logits, noContext(), settings(), rng);
      expect(r.tokenId).toBe(id);
      expect(r.u).toBe(u);
      expect(rng.taken).toBe(1);
    });
  }
  it("final probabilities sum to 1 and entropy is −Σ q ln q of them", () => {
    const r = sampleStep(logits, noContext(), settings(), fixedRng(0.1));
    const sum = r.candidates.reduce((s, c) => s + c.probFinal, 0);
    expect(sum).toBeCloseTo(1, 12);
    const h = -[0.2, 0.5, 0.3].reduce((s, q) => s + q * Math.log(q), 0);
    expect(r.entropy).toBeCloseTo(h, 12);
  });
  it("the draw scales u by the kept mass (top-k 2: mass 0.8, u = 0.7 → 0.56 → token 2)", () => {
    const r = sampleStep(logits, noContext(), settings({ topK: 2 }), fixedRng(0.7));
    expect(r.tokenId).toBe(2);
    expect(r.entropy).toBeCloseTo(-(0.625 * Math.log(0.625) + 0.375 * Math.log(0.375)), 12);
  });
  it("pickByInverseCdf and prefix helpers agree with the hand computation", () => {
    const p = softmax(logits);
    const o = order(p);
    expect(prefixMass(o, p, 2)).toBeCloseTo(0.8, 12);
    expect(prefixMass(o, p, 3)).toBeCloseTo(1, 12);
    expect(pickByInverseCdf(o, p, 2, 0.8, 0.624)).toBe(1);
    expect(pickByInverseCdf(o, p, 2, 0.8, 0.626)).toBe(2);
    expect(prefixEntropy(o, p, 1, p[1])).toBe(0);
  });
  it("never picks a zero-probability token", () => {
    const r = sampleStep(Float32Array.of(0, -Infinity, 0), noContext(), settings(), fixedRng(0.999999));
    expect(r.tokenId).toBe(2);
    expect(r.kept.afterPenalties).toBe(2);
  });
});

describe("sampleStep bookkeeping", () => {
  it("logprob is log softmax of the raw logits at T = 1, whatever the settings", () => {
    const raw = Float32Array.of(1, 2, 3, 0.5);
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(0.5));
    const r = sampleStep(raw, createSamplerContext([2]), settings({ temperature: 0.3, repetitionPenalty: 1.7, topK: 2 }), fixedRng(0));
    expect(r.logprob).toBeCloseTo(raw[r.tokenId] - lse, 6);
  });
  it("rank counts tokens with a higher raw logit (ties: lower id first)", () => {
    const raw = Float32Array.of(5, 7, 7, 1, 3);
    const forcedRank = (id: number) => sampleStep(raw, noContext(), settings(), fixedRng(0), { forcedTokenId: id }).rank;
    expect([1, 2, 0, 4, 3].map(forcedRank)).toEqual([0, 1, 2, 3, 4]);
  });
  it("tracked tokens are reported wherever they rank, every candidate with its rank; nothing else changes", () => {
    // Raw logits 5, 7, 7, 1, 3: by raw logit the order is ids 1, 2, 0, 4, 3.
    const raw = Float32Array.of(5, 7, 7, 1, 3);
    const plain = sampleStep(raw, noContext(), settings({ topK: 2 }), fixedRng(0.3), { candidateCount: 2 });
    const tracked = sampleStep(raw, noContext(), settings({ topK: 2 }), fixedRng(0.3), { candidateCount: 2, trackTokenIds: [3, 1] });
    expect(tracked.tokenId).toBe(plain.tokenId);
    expect(plain.candidates.map((c) => c.id)).toEqual([1, 2]);
    expect(plain.candidates.every((c) => c.rank === undefined)).toBe(true);
    expect(tracked.candidates.map((c) => [c.id, c.rank])).toEqual([
      [1, 0],
      [2, 1],
      [3, 4],
    ]);
    // Token 3 (logit 1): softmax at T = 1 over (5, 7, 7, 1, 3), then removed by top-k = 2.
    const z = Math.exp(5) + 2 * Math.exp(7) + Math.exp(1) + Math.exp(3);
    const three = tracked.candidates.find((c) => c.id === 3)!;
    expect(three.probAtTemperature).toBeCloseTo(Math.exp(1) / z, 12);
    expect(three).toMatchObject({ logit: 1, probFinal: 0, removedBy: "topK" });
  });
  it("candidates: top 20 by raw logit, ties by id, plus the chosen token when it is not among them", () => {
    const V = 50;
    const raw = Float32Array.from({ length: V }, (_, i) => (i % 10) - (i === 49 ? 100 : 0));
    const r = sampleStep(raw, noContext(), settings(), fixedRng(0.5), { forcedTokenId: 49 });
    const ids = r.candidates.map((c) => c.id);
    // logit 9: ids 9, 19, 29, 39; logit 8: 8, 18, 28, 38, 48; ... then the forced token.
    expect(ids.slice(0, 4)).toEqual([9, 19, 29, 39]);
    expect(ids.slice(4, 9)).toEqual([8, 18, 28, 38, 48]);
    expect(ids).toHaveLength(21);
    expect(ids[20]).toBe(49);
    expect(r.rank).toBe(49);
    expect(r.forced).toBe(true);
    expect(r.u).toBeNull();
    const c49 = r.candidates[20];
    expect(c49.logit).toBe(-91);
    expect(c49.probAtTemperature).toBeGreaterThanOrEqual(0);
  });
  it("does not repeat the chosen token when it is already a candidate", () => {
    const r = sampleStep(Float32Array.of(1, 2, 3), noContext(), settings(), fixedRng(0));
    expect(r.candidates.map((c) => c.id)).toEqual([2, 1, 0]);
  });
  it("a forced token still consumes its draw (keeps later draws aligned)", () => {
    const rng = fixedRng(0.3, 0.6);
    sampleStep(Float32Array.of(1, 2, 3), noContext(), settings(), rng, { forcedTokenId: 0 });
    expect(rng.taken).toBe(1);
  });
  it("rejects NaN and +Infinity logits and out-of-range forced tokens", () => {
    expect(() => sampleStep(Float32Array.of(0, NaN), noContext(), settings(), fixedRng(0))).toThrow(/non-finite/);
    expect(() => sampleStep(Float32Array.of(0, Infinity), noContext(), settings(), fixedRng(0))).toThrow(/non-finite/);
    expect(() => sampleStep(Float32Array.of(0, 1), noContext(), settings(), fixedRng(0), { forcedTokenId: 2 })).toThrow(RangeError);
  });
  it("does not modify the logits it is given", () => {
    const raw = Float32Array.of(1, -2, 3);
    sampleStep(raw, createSamplerContext([0, 1, 2]), settings({ repetitionPenalty: 2, frequencyPenalty: 1 }), fixedRng(0.4));
    expect(Array.from(raw)).toEqual([1, -2, 3]);
  });
  it("is deterministic for a seeded rng", () => {
    const raw = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i * 12.9898) * 4);
    const run = () => {
      const rng = createRng(123);
      return Array.from({ length: 5 }, () => sampleStep(raw, noContext(), { ...DEFAULT_SETTINGS }, rng));
    };
    expect(run()).toEqual(run());
  });
});

// ─── partial ordering machinery ──────────────────────────────────────────────────────

function fullOrder(keys: ArrayLike<number>): number[] {
  return Array.from({ length: keys.length }, (_, i) => i).sort((a, b) => keys[b] - keys[a] || a - b);
}

function randomKeys(rng: Rng, n: number, distinct: number): Float64Array {
  // Few distinct values ⇒ many ties, which is where ordering bugs hide.
  return Float64Array.from({ length: n }, () => Math.floor(rng.next() * distinct) - distinct / 2);
}

describe("partial selection (TokenOrder, topInto)", () => {
  it("topInto returns the sorted top m, ties by lower index", () => {
    const rng = createRng(7);
    for (const n of [1, 5, 64, 1000]) {
      for (const m of [1, 3, 20, 300]) {
        const keys = randomKeys(rng, n, 17);
        const out = new Int32Array(m);
        const k = topInto(keys, n, m, out);
        expect(Array.from(out.subarray(0, k))).toEqual(fullOrder(keys).slice(0, Math.min(m, n)));
      }
    }
  });
  it("TokenOrder.at() agrees with a full sort, small and large prefixes, many ties", () => {
    const rng = createRng(11);
    for (const n of [3, 300, 5000]) {
      for (const distinct of [2, 50, 1e9]) {
        const keys = randomKeys(rng, n, distinct);
        const expected = fullOrder(keys);
        const o = order(keys);
        // Grow in irregular jumps to exercise the insertion path, then quickselect extensions.
        for (const m of [1, 7, 40, 257, 1000, n]) {
          o.sortTo(m);
          for (let i = 0; i < Math.min(m, n); i++) expect(o.order[i]).toBe(expected[i]);
        }
        expect(o.inPrefix(expected[0], 1)).toBe(true);
        if (n > 1) expect(o.inPrefix(expected[1], 1)).toBe(false);
      }
    }
  });
  it("handles already sorted and reversed input", () => {
    const asc = Float64Array.from({ length: 3000 }, (_, i) => i);
    const desc = Float64Array.from({ length: 3000 }, (_, i) => -i);
    expect(order(asc).at(2999)).toBe(0);
    expect(order(asc).at(0)).toBe(2999);
    const o = order(desc);
    o.sortTo(1500);
    expect(Array.from(o.order.subarray(0, 1500))).toEqual(Array.from({ length: 1500 }, (_, i) => i));
  });
});

// ─── against a naive reference ───────────────────────────────────────────────────────

/** The pipeline written as plainly as possible: full sorts, full arrays. */
function reference(raw: Float32Array, promptIds: number[], generatedIds: number[], s: SamplingSettings, u: number) {
  const V = raw.length;
  const x = Array.from(raw);
  const seen = new Set([...promptIds, ...generatedIds]);
  for (const id of seen) x[id] = x[id] > 0 ? x[id] / s.repetitionPenalty : x[id] * s.repetitionPenalty;
  const counts = new Map<number, number>();
  for (const id of generatedIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const [id, c] of counts) x[id] -= s.presencePenalty + s.frequencyPenalty * c;
  const max = Math.max(...x);
  const e = x.map((v) => Math.exp((v - max) / s.temperature));
  const z = e.reduce((a, b) => a + b, 0);
  const p = e.map((v) => v / z);
  const sorted = Array.from({ length: V }, (_, i) => i).sort((a, b) => x[b] - x[a] || a - b);
  let kept = sorted.length;
  if (s.topK > 0) kept = Math.min(kept, s.topK);
  const afterTopK = kept;
  if (s.topP < 1) {
    const mass = sorted.slice(0, kept).reduce((a, i) => a + p[i], 0);
    let cum = 0;
    for (let j = 0; j < kept; j++) {
      cum += p[sorted[j]] / mass;
      if (cum >= s.topP - 1e-9) {
        kept = j + 1;
        break;
      }
    }
  }
  const afterTopP = kept;
  if (s.minP > 0) {
    const t = s.minP * p[sorted[0]] * (1 - 1e-9);
    kept = Math.min(kept, sorted.filter((i) => p[i] >= t).length);
  }
  const final = sorted.slice(0, kept);
  const mass = final.reduce((a, i) => a + p[i], 0);
  let cum = 0;
  let chosen = final[final.length - 1];
  for (const i of final) {
    cum += p[i];
    if (cum > u * mass) {
      chosen = i;
      break;
    }
  }
  const entropy = -final.reduce((a, i) => a + (p[i] > 0 ? (p[i] / mass) * Math.log(p[i] / mass) : 0), 0);
  return { chosen, afterTopK, afterTopP, afterMinP: kept, entropy, x, p, finalSet: new Set(final), mass };
}

describe("sampleStep equals the naive reference on random inputs", () => {
  it("over many random logits and settings", () => {
    const rng = createRng(2024);
    for (let trial = 0; trial < 300; trial++) {
      const V = [5, 50, 400, 3000][trial % 4];
      const scale = [0.5, 3, 12][trial % 3];
      const raw = Float32Array.from({ length: V }, () => (rng.next() - 0.5) * 2 * scale);
      // Some exact ties.
      if (trial % 5 === 0) for (let i = 0; i < V; i += 7) raw[i] = raw[0];
      const promptIds = Array.from({ length: 6 }, () => Math.floor(rng.next() * V));
      const generatedIds = Array.from({ length: 5 }, () => Math.floor(rng.next() * V));
      const s = settings({
        temperature: [0.3, 0.7, 1, 1.6][trial % 4],
        topK: [0, 1, 3, 40, 1000][trial % 5],
        topP: [1, 0.9, 0.5, 0.99][trial % 4 === 3 ? 0 : (trial >> 2) % 4],
        minP: [0, 0.05, 0.2, 0][(trial >> 1) % 4],
        repetitionPenalty: [1, 1.3][trial % 2],
        presencePenalty: [0, 0.5, -0.4][trial % 3],
        frequencyPenalty: [0, 0.3][(trial >> 3) % 2],
      });
      const u = rng.next();
      const ctx = createSamplerContext(promptIds, generatedIds);
      const got = sampleStep(raw, ctx, s, fixedRng(u));
      const want = reference(raw, promptIds, generatedIds, s, u);
      expect({ trial, chosen: got.tokenId }).toEqual({ trial, chosen: want.chosen });
      expect(got.kept).toEqual({ afterPenalties: V, afterTopK: want.afterTopK, afterTopP: want.afterTopP, afterMinP: want.afterMinP });
      expect(got.entropy).toBeCloseTo(want.entropy, 9);
      for (const c of got.candidates) {
        expect(c.logitAfterPenalty).toBeCloseTo(want.x[c.id], 12);
        expect(c.probAtTemperature).toBeCloseTo(want.p[c.id], 12);
        expect(c.probFinal).toBeCloseTo(want.finalSet.has(c.id) ? want.p[c.id] / want.mass : 0, 12);
        expect(c.removedBy === undefined).toBe(want.finalSet.has(c.id));
      }
    }
  });
});
