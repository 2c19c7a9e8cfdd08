/**
 * The quote stage (lib/llm/quote.ts and its place in lib/llm/sampler.ts), by hand.
 *
 * A toy tokenizer stands in for the model's (named so: it is a test double; the real one is
 * exercised by the decode integration test): each word with its leading space is one token,
 * ids handed out in order of first use, so " cat" and "cat" are different tokens as in a
 * byte-level BPE.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "@/lib/llm/prng";
import { advanceQuote, createQuoteSource, createQuoteState, isQuotable, quotableSentences, quoteOptions, splitSentences, type QuotableSentence } from "@/lib/llm/quote";
import { createSamplerContext, recordGenerated, sampleStep } from "@/lib/llm/sampler";
import { stagesOff as settings } from "./settings";

function toyTokenizer() {
  const ids = new Map<string, number>();
  const STOP = "<stop>";
  ids.set(STOP, 0);
  const encode = (text: string) =>
    (text.match(/\s?\S+/g) ?? []).map((piece) => {
      if (!ids.has(piece)) ids.set(piece, ids.size);
      return ids.get(piece)!;
    });
  const id = (piece: string) => ids.get(piece)!;
  return { encode, id, stop: 0 };
}

const sentences: QuotableSentence[] = [
  { text: "The cat sat down." }, // 0
  { text: "The cat ran off." }, // 1
  { text: "Dogs bark at night." }, // 2
  { text: "This is why owls hoot.", after: 2 }, // 3: leans on 2
];

function setup() {
  const tok = toyTokenizer();
  const source = createQuoteSource(sentences, tok.encode, [tok.stop]);
  return { tok, source, state: createQuoteState() };
}

describe("quotable sentences", () => {
  it("come from the context turns only, without the source label, with leaning sentences linked", () => {
    const prompt =
      "<|system|>You are a tutor. Answer in plain, precise sentences please.<|end|>\n" +
      "<|context|>[Temperature § Why] Temperature divides every logit by T. This keeps the order of the tokens. Look at the chart above to see it move.<|end|>\n" +
      "<|user|>What does temperature do to the logits?<|end|>\n<|assistant|>";
    expect(quotableSentences(prompt)).toEqual([{ text: "Temperature divides every logit by T." }, { text: "This keeps the order of the tokens.", after: 0 }]);
  });

  it("a chat prompt without context turns has nothing to quote; plain text is quoted whole", () => {
    expect(quotableSentences("<|im_start|>system\nSome long system sentence is here.<|im_end|>")).toEqual([]);
    expect(quotableSentences("Tokens are pieces of text. Models read tokens, not words.")).toEqual([
      { text: "Tokens are pieces of text." },
      { text: "Models read tokens, not words." },
    ]);
  });

  it("a common question's answer (its label is a question) is read in order and whole: each sentence only after the one before, no end before its last", () => {
    const prompt =
      "<|context|>[Temperature § What does temperature do?] Temperature divides every logit by T. A temperature below 1 sharpens the distribution. A temperature of 1 changes nothing at all.<|end|>\n" +
      "<|context|>[Temperature § Choosing a value] Low values suit code and facts. Higher values suit brainstorming and poems.<|end|>\n<|user|>What does temperature do?<|end|>\n<|assistant|>";
    expect(quotableSentences(prompt)).toEqual([
      { text: "Temperature divides every logit by T.", mayEnd: false },
      { text: "A temperature below 1 sharpens the distribution.", after: 0, mayEnd: false },
      { text: "A temperature of 1 changes nothing at all.", after: 1 },
      { text: "Low values suit code and facts." },
      { text: "Higher values suit brainstorming and poems." },
    ]);
  });

  it("'below 1' and 'above $T$' compare numbers and stay quotable; 'the chart below' points at the page", () => {
    expect(isQuotable("A temperature below 1 sharpens the distribution.")).toBe(true);
    expect(isQuotable("Values above $T = 2$ make nonsense likely.")).toBe(true);
    expect(isQuotable("The chart below shows the distribution.")).toBe(false);
    expect(isQuotable("As shown above, the distribution is flat.")).toBe(false);
  });

  it("a sentence that leans on a dropped one is dropped too", () => {
    expect(quotableSentences("Short one. It then goes on for a while here.")).toEqual([]);
    expect(quotableSentences("Pick a token from the list. Append it to the text now.")).toEqual([{ text: "Pick a token from the list." }, { text: "Append it to the text now.", after: 0 }]);
  });

  it("splits at sentence ends but not inside maths, and at line breaks (list bullets dropped)", () => {
    expect(splitSentences("The ratio is $e^{1.5/0.5}. Big$ here. Next one.\n- A list item ends.")).toEqual(["The ratio is $e^{1.5/0.5}. Big$ here.", "Next one.", "A list item ends."]);
    expect(splitSentences("Training uses all rows. - Causal masking hides the future.")).toEqual(["Training uses all rows.", "Causal masking hides the future."]);
  });

  it("keeps prose only", () => {
    expect(isQuotable("Temperature divides every logit by $T$.")).toBe(true);
    expect(isQuotable("A perfect model has perplexity exactly |V|; a uniform one |V| too.")).toBe(true);
    expect(isQuotable("The one-hot view.")).toBe(false); // a heading, 3 words
    expect(isQuotable("Model | Perplexity | GPT-2 | 30–40 and more.")).toBe(false); // a flattened table
    expect(isQuotable("The ratio is \\exp(z_A - z_B) for any two tokens.")).toBe(false); // TeX that lost its $
    expect(isQuotable("The ratio is $\\exp(z_A - z_B)$ for any two tokens.")).toBe(true);
    expect(isQuotable("A: The amount of text the model saw.")).toBe(false); // a quiz answer line
    expect(isQuotable("The chart below shows the loss falling fast.")).toBe(false); // points at the page
    expect(isQuotable("Temperature divides every logit by T")).toBe(false); // no full stop
    expect(isQuotable("An odd $ sign makes broken maths here.")).toBe(false);
  });
});

describe("quote state", () => {
  it("starts with the first token of each sentence that stands alone; cannot stop before a sentence", () => {
    const { tok, source, state } = setup();
    // "The" starts sentences 0 and 1; "Dogs" starts 2; 3 leans on 2 and may not open a reply.
    expect(quoteOptions(source, state)).toEqual({ allowed: [tok.id("The"), tok.id("Dogs")].sort((a, b) => a - b), canStop: false, quoting: 0 });
  });

  it("inside a shared prefix, allows the next token of every sentence that still fits", () => {
    const { tok, source, state } = setup();
    advanceQuote(source, state, tok.id("The"));
    advanceQuote(source, state, tok.id(" cat"));
    expect(quoteOptions(source, state)).toEqual({ allowed: [tok.id(" sat"), tok.id(" ran")].sort((a, b) => a - b), canStop: false, quoting: 2 });
  });

  it("after a finished sentence: stop, or start an unused sentence (spaced), never the same one twice", () => {
    const { tok, source, state } = setup();
    for (const piece of ["Dogs", " bark", " at", " night."]) advanceQuote(source, state, tok.id(piece));
    const o = quoteOptions(source, state)!;
    expect(o.canStop).toBe(true);
    // " The" (0 and 1, after a space) and " This" (3 leans on 2, which just ended); not " Dogs".
    expect(o.allowed).toEqual([tok.stop, tok.id(" The"), tok.id(" This")].sort((a, b) => a - b));
    expect(tok.encode(" Dogs").every((id) => !o.allowed.includes(id))).toBe(true);
  });

  it("a leaning sentence is not allowed after any other sentence", () => {
    const { tok, source, state } = setup();
    for (const piece of ["The", " cat", " sat", " down."]) advanceQuote(source, state, tok.id(piece));
    const o = quoteOptions(source, state)!;
    expect(o.allowed).toContain(tok.encode(" Dogs")[0]);
    expect(o.allowed).not.toContain(tok.encode(" This")[0]);
  });

  it("inside a common question's answer the reply cannot end until its last sentence; then it may", () => {
    const tok = toyTokenizer();
    const answer: QuotableSentence[] = [
      { text: "Top-p keeps the likeliest tokens.", mayEnd: false },
      { text: "The cut moves with the distribution.", after: 0 },
      { text: "Dogs bark at night." },
    ];
    const source = createQuoteSource(answer, tok.encode, [tok.stop]);
    const state = createQuoteState();
    for (const piece of ["Top-p", " keeps", " the", " likeliest", " tokens."]) advanceQuote(source, state, tok.id(piece));
    // Sentence 0 is complete, but the answer goes on: no stop; only its next sentence (and the free-standing one) may start.
    const middle = quoteOptions(source, state)!;
    expect(middle.canStop).toBe(false);
    expect(middle.allowed).not.toContain(tok.stop);
    expect(middle.allowed).toContain(tok.encode(" The")[0]);
    for (const piece of [" The", " cut", " moves", " with", " the", " distribution."]) advanceQuote(source, state, tok.id(piece));
    const end = quoteOptions(source, state)!;
    expect(end.canStop).toBe(true);
    expect(end.allowed).toContain(tok.stop);
  });

  it("a token outside the quotation (a forced one) releases the constraint", () => {
    const { tok, source, state } = setup();
    advanceQuote(source, state, tok.id("The"));
    advanceQuote(source, state, tok.encode(" zebra")[0]);
    expect(state.released).toBe(true);
    expect(quoteOptions(source, state)).toBeNull();
  });

  it("nothing to quote: the stage says nothing", () => {
    const tok = toyTokenizer();
    expect(quoteOptions(createQuoteSource([], tok.encode, [0]), createQuoteState())).toBeNull();
  });
});

describe("quote stage in the sampler", () => {
  // Logits over 16 toy ids (the sentences use 13 of them), built from the toy tokenizer's ids.
  it("removes every token it does not allow; the draw is renormalised over the rest", () => {
    const { tok, source, state } = setup();
    const the = tok.id("The");
    const dogs = tok.id("Dogs");
    const V = 16;
    const logits = Array.from({ length: V }, () => 0);
    logits[tok.id(" sat")] = 5; // the model's favourite, but no sentence starts with it
    logits[the] = 1;
    logits[dogs] = 2;
    const ctx = createSamplerContext([], [], undefined, { source, state });
    const s = sampleStep(logits, ctx, settings({ quote: true }), createRng(7));
    expect(s.quote).toEqual({ allowed: [the, dogs].sort((a, b) => a - b), canStop: false, quoting: 0 });
    expect(s.kept.afterPenalties).toBe(2);
    // By hand at T = 1 over the two allowed: e² / (e¹ + e²) = 0.73106, e¹ / (e¹ + e²) = 0.26894.
    const row = (id: number) => s.candidates.find((c) => c.id === id)!;
    expect(row(dogs).probFinal).toBeCloseTo(0.73106, 4);
    expect(row(the).probFinal).toBeCloseTo(0.26894, 4);
    const sat = row(tok.id(" sat"));
    expect(sat).toMatchObject({ removedBy: "quote", probAtTemperature: 0, probFinal: 0, logitAfterPenalty: 5 });
    expect([the, dogs]).toContain(s.tokenId);
    // The model's own log-probability is untouched: log softmax(raw)[chosen].
    const z = Math.log(logits.reduce((sum, x) => sum + Math.exp(x), 0));
    expect(s.logprob).toBeCloseTo(logits[s.tokenId] - z, 12);
  });

  it("greedy takes the best allowed token, and recordGenerated moves the quotation on", () => {
    const { tok, source, state } = setup();
    const V = 16;
    const logits = Array.from({ length: V }, () => 0);
    logits[tok.id(" sat")] = 5;
    logits[tok.id("The")] = 1;
    const ctx = createSamplerContext([], [], undefined, { source, state });
    const first = sampleStep(logits, ctx, settings({ quote: true, greedy: true }), createRng(1));
    expect(first.tokenId).toBe(tok.id("The"));
    expect(first.candidates.find((c) => c.id === tok.id(" sat"))!.removedBy).toBe("quote");
    recordGenerated(ctx, first.tokenId);
    recordGenerated(ctx, tok.id(" cat"));
    const third = sampleStep(logits, ctx, settings({ quote: true, greedy: true }), createRng(1));
    expect(third.tokenId).toBe(tok.id(" sat")); // now allowed, and the favourite
    expect(third.quote?.quoting).toBe(2);
  });

  it("off: nothing removed, nothing recorded", () => {
    const { tok, source, state } = setup();
    const logits = Array.from({ length: 16 }, () => 0);
    logits[tok.id(" sat")] = 5;
    const s = sampleStep(logits, createSamplerContext([], [], undefined, { source, state }), settings({ greedy: true }), createRng(1));
    expect(s.tokenId).toBe(tok.id(" sat"));
    expect(s.quote).toBeUndefined();
  });
});
