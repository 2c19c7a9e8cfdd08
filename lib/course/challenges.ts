/**
 * Inspector challenges: one per cluster of lessons, a task done in a lab on the real course-lm
 * whose answer the server checks against the same computation (./challenge-answers.ts runs
 * it). A lesson shows one with `<Challenge id="…" />`. Isomorphic: the lesson page renders the
 * definitions, the route grades with them.
 */
import { z } from "zod";
import { nextTokenHref } from "../playground/next-token.ts";
import { perplexityHref } from "../playground/perplexity-state.ts";

/** One number the learner reports. `tolerance`: how far from the computed value still counts (absolute). */
export interface AnswerField {
  name: string;
  label: string;
  kind: "integer" | "decimal";
  tolerance: number;
  /** Shown after the input ("%", "tokens"). */
  unit?: string;
}

export interface Challenge {
  id: string;
  /** The lesson that shows it. */
  lessonSlug: string;
  title: string;
  /** What to do, in a sentence or three. */
  task: string;
  lab: { label: string; href: string };
  fields: readonly AnswerField[];
  /** How the server computes the answer: shown once the learner checks or gives up. */
  method: string;
}

/** Inputs of the challenges, shared with the solver so both read the same text. */
export const CHALLENGE_INPUTS = {
  surprise: { text: "A language model predicts the next token.", tokens: { model: " model", predicts: " predicts" } },
  tokenCount: { text: "Tokenizers split unbelievably rare words into pieces 🤖" },
  topProbability: { prompt: "The next token is chosen by" },
  topPSurvivors: { prompt: "A language model reads the", topP: 0.9, temperatures: [0.7, 1.3] as const },
  perplexity: { text: "The model assigns a probability to every token in its vocabulary." },
  nearestNeighbour: { token: "·model" },
  causalPairs: { text: "Attention compares every token with itself and every earlier one." },
  kvCache: { tokens: 512 },
} as const;

const tokenizerHref = (text: string) => `/playground/tokenizers?${new URLSearchParams({ text, tok: "course-lm" })}`;

export const CHALLENGES: readonly Challenge[] = [
  {
    id: "surprise",
    lessonSlug: "02-next-token-prediction",
    title: "Measure the model's surprise",
    task:
      `Score the sentence below in the perplexity lab. How surprised is course-lm by "model" after "A language", and by ` +
      `"predicts" after "A language model"? Give each surprise, −ln p, in nats to two decimals — and guess first which is larger.`,
    lab: { label: "Open the perplexity lab", href: perplexityHref({ text: CHALLENGE_INPUTS.surprise.text }) },
    fields: [
      { name: "model", label: "Surprise of \"model\"", kind: "decimal", tolerance: 0.006, unit: "nats" },
      { name: "predicts", label: "Surprise of \"predicts\"", kind: "decimal", tolerance: 0.006, unit: "nats" },
    ],
    method:
      "The server scores the sentence with course-lm's own distribution (T = 1, nothing filtered) and reports −ln p of each word's token given everything before it: a likely continuation costs little, an unexpected one a lot.",
  },
  {
    id: "token-count",
    lessonSlug: "04-tokens",
    title: "Count the tokens yourself",
    task:
      `Open the text below in the tokenizer lab and find course-lm's count. Before you look, guess: ` +
      `will the emoji and "unbelievably" cost one token each, or several?`,
    lab: { label: "Open the tokenizer lab", href: tokenizerHref(CHALLENGE_INPUTS.tokenCount.text) },
    fields: [{ name: "tokens", label: "course-lm tokens", kind: "integer", tolerance: 0, unit: "tokens" }],
    method: "The server encodes the text with course-lm's own tokenizer (no special tokens added) and counts the ids.",
  },
  {
    id: "top-probability",
    lessonSlug: "10-next-token-distribution",
    title: "Read the model's favourite",
    task:
      `In the next-token lab, at temperature 1 with every filter off, how likely does course-lm find its ` +
      `most likely next token? Give the probability in percent, to one decimal.`,
    lab: { label: "Open the next-token lab", href: nextTokenHref({ prompt: CHALLENGE_INPUTS.topProbability.prompt, temperature: 1 }) },
    fields: [{ name: "percent", label: "Top token's probability", kind: "decimal", tolerance: 0.15, unit: "%" }],
    method: "The server runs course-lm once on the prompt and takes the softmax of the raw logits (T = 1) at the highest-scoring token.",
  },
  {
    id: "top-p-survivors",
    lessonSlug: "18-top-k-and-top-p",
    title: "Predict the nucleus, then check",
    task:
      `With top-p ${CHALLENGE_INPUTS.topPSurvivors.topP} (top-k off), predict whether more tokens survive at ` +
      `temperature ${CHALLENGE_INPUTS.topPSurvivors.temperatures[0]} or ${CHALLENGE_INPUTS.topPSurvivors.temperatures[1]}. ` +
      `Then set each temperature in the next-token lab and read how many tokens are left after top-p.`,
    lab: {
      label: "Open the next-token lab",
      href: nextTokenHref({ prompt: CHALLENGE_INPUTS.topPSurvivors.prompt, topP: CHALLENGE_INPUTS.topPSurvivors.topP, temperature: CHALLENGE_INPUTS.topPSurvivors.temperatures[0] }),
    },
    fields: [
      { name: "low", label: `Tokens left after top-p at T = ${CHALLENGE_INPUTS.topPSurvivors.temperatures[0]}`, kind: "integer", tolerance: 0, unit: "tokens" },
      { name: "high", label: `Tokens left after top-p at T = ${CHALLENGE_INPUTS.topPSurvivors.temperatures[1]}`, kind: "integer", tolerance: 0, unit: "tokens" },
    ],
    method:
      "The server runs the sampler's own pipeline on course-lm's logits at each temperature and counts the smallest set of most likely tokens whose probabilities reach p. A higher temperature flattens the distribution, so more tokens are needed to reach the same p.",
  },
  {
    id: "nearest-neighbour",
    lessonSlug: "09-semantic-structure",
    title: "Find a token's nearest neighbour",
    task:
      `Look up ${CHALLENGE_INPUTS.nearestNeighbour.token} (the word with its leading space) in the embeddings lab. Which token ` +
      `sits closest to it in course-lm's embedding space, and what is their cosine similarity, to three decimals? ` +
      `Is the neighbour related in meaning, or only in spelling?`,
    lab: { label: "Open the embeddings lab", href: `/playground/embeddings?${new URLSearchParams({ q: CHALLENGE_INPUTS.nearestNeighbour.token })}` },
    fields: [{ name: "cosine", label: "Cosine similarity of the nearest neighbour", kind: "decimal", tolerance: 0.0015 }],
    method:
      "The server reads course-lm's embedding matrix and compares the token's row with every other real token's row by cosine similarity (the dot product of the two vectors divided by their lengths), keeping the highest.",
  },
  {
    id: "causal-pairs",
    lessonSlug: "13-architecture-and-complexity",
    title: "Count what attention compares",
    task:
      `Find course-lm's token count for the text below in the tokenizer lab. Under the causal mask, each token is ` +
      `scored against itself and every earlier token: how many query–key pairs is that for the whole text? ` +
      `(The grid above shows the same count for its own text.)`,
    lab: { label: "Open the tokenizer lab", href: tokenizerHref(CHALLENGE_INPUTS.causalPairs.text) },
    fields: [{ name: "pairs", label: "Query–key pairs", kind: "integer", tolerance: 0, unit: "pairs" }],
    method: "The server counts the text's tokens T with course-lm's tokenizer; the causal mask leaves 1 + 2 + … + T = T(T + 1)/2 pairs.",
  },
  {
    id: "kv-cache-size",
    lessonSlug: "22-kv-cache",
    title: "Size course-lm's cache",
    task:
      `course-lm has 4 layers, each with 4 key–value heads of 32 numbers, stored as 32-bit floats. Work out by hand ` +
      `how much memory its KV cache takes for one sequence that fills its ${CHALLENGE_INPUTS.kvCache.tokens}-token window, ` +
      `then check with the calculator above (pick course-lm).`,
    lab: { label: "Open the calculator", href: "/learn/level-1/22-kv-cache#the-price-is-memory" },
    fields: [{ name: "kib", label: "KV cache size", kind: "decimal", tolerance: 0.5, unit: "KiB" }],
    method:
      "The server reads course-lm's config.json: 2 (a key and a value) × layers × key–value heads × head size × tokens × 4 bytes, divided by 1,024 for KiB.",
  },
  {
    id: "perplexity",
    lessonSlug: "24-cross-entropy-and-perplexity",
    title: "Measure a perplexity",
    task: `Score the sentence below in the perplexity lab. What perplexity does course-lm give it, to one decimal?`,
    lab: { label: "Open the perplexity lab", href: perplexityHref({ text: CHALLENGE_INPUTS.perplexity.text }) },
    fields: [{ name: "perplexity", label: "Perplexity", kind: "decimal", tolerance: 0.1 }],
    method:
      "The server scores every token after the first with course-lm's own distribution (T = 1, nothing filtered), averages the negative log-probabilities (the cross-entropy H, in nats) and reports e^H.",
  },
];

export function challengeById(id: string): Challenge | undefined {
  return CHALLENGES.find((c) => c.id === id);
}

/** The numbers a learner sent, one per field: finite numbers, integers where the field asks for one. */
export function answersSchema(challenge: Challenge) {
  const shape: Record<string, z.ZodType<number>> = {};
  for (const field of challenge.fields) {
    const number = z.number({ error: `${field.label}: enter a number` }).finite({ error: `${field.label}: enter a finite number` });
    shape[field.name] = field.kind === "integer" ? number.int({ error: `${field.label}: enter a whole number` }) : number;
  }
  return z.object({ answers: z.object(shape).strict() }).strict();
}

export interface FieldResult {
  name: string;
  given: number;
  expected: number;
  correct: boolean;
}

/** Each answer against the computed value, within the field's tolerance (plus float slack). */
export function gradeAnswers(challenge: Challenge, given: Readonly<Record<string, number>>, expected: Readonly<Record<string, number>>): { correct: boolean; fields: FieldResult[] } {
  const fields = challenge.fields.map((field): FieldResult => {
    const value = expected[field.name];
    if (value === undefined) throw new Error(`challenge ${challenge.id}: no computed value for ${field.name}`);
    const answer = given[field.name]!;
    return { name: field.name, given: answer, expected: value, correct: Math.abs(answer - value) <= field.tolerance + 1e-9 };
  });
  return { correct: fields.every((f) => f.correct), fields };
}

/** The `<Challenge id="…" />` tags of a lesson body, in order. */
export function findChallengeTags(body: string): string[] {
  return [...body.matchAll(/<Challenge\b[^>]*?\bid="([^"]*)"[^>]*?\/>/g)].map((match) => match[1]!);
}
