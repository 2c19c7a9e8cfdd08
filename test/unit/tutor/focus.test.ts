/**
 * Focusing course-lm's passages on the question (lib/tutor/focus.ts): which sentences are kept,
 * in what order, what stays together, and what happens when nothing matches — on hand-made
 * passages whose answers can be worked out by reading them; then through planTurn on the real
 * corpus and tokenizer.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AutoTokenizer, env } from "@huggingface/transformers";
import { focusPassages, FOCUS_SENTENCES } from "@/lib/tutor/focus";
import { planTurn } from "@/lib/tutor/plan";
import { retrieveForQuestion } from "@/lib/tutor/retrieval";
import { courseLmFormat, estimatedChatFormat, fromTransformersTokenizer, type PromptTokenizer } from "@/lib/tutor/tokenizer";
import type { PassageDoc } from "@/lib/tutor/types";

const passage = (id: string, text: string): PassageDoc => ({
  id,
  kind: "lesson",
  lessonSlug: id.split("#")[0]!,
  lessonTitle: "A lesson",
  sectionSlug: "s",
  heading: "A section",
  text,
  href: `/learn/level-1/${id}`,
});

const SAMPLING = passage(
  "18-top-k#a/0",
  "Sampling draws the next token at random from the distribution. " +
    "Top-p keeps the smallest set of likely tokens whose probabilities add up to p. " +
    "Top-k keeps the k most likely tokens and drops the rest. " +
    "Renormalising rescales what is left to sum to one.",
);
const TEMPERATURE = passage("17-temperature#b/0", "Temperature divides every logit by T before the softmax. A low temperature sharpens the distribution.");

describe("focusPassages", () => {
  it("keeps the sentences that match the question, at most FOCUS_SENTENCES in all, in the passage's own order", () => {
    const [only, ...rest] = focusPassages("how does top-p keep tokens, and top-k?", [SAMPLING, TEMPERATURE]);
    expect(FOCUS_SENTENCES).toBe(2);
    expect(rest).toEqual([]); // nothing about temperature was asked
    expect(only!.text).toBe(
      "Top-p keeps the smallest set of likely tokens whose probabilities add up to p. Top-k keeps the k most likely tokens and drops the rest.",
    );
    // Still the same passage: id, section link and label are what the sources show.
    expect({ ...only, text: SAMPLING.text }).toEqual(SAMPLING);
  });

  it("puts the passage with the best-matching sentence first, and drops passages with no kept sentence", () => {
    const focused = focusPassages("what does a low temperature do to the logit?", [SAMPLING, TEMPERATURE], 2);
    expect(focused.map((p) => p.id)).toEqual(["17-temperature#b/0"]);
    expect(focused[0]!.text).toBe("Temperature divides every logit by T before the softmax. A low temperature sharpens the distribution.");
  });

  it("keeps a sentence that leans on the one before it together with that one", () => {
    const leaning = passage("21-kv#c/0", "The cache stores keys and values of earlier tokens. This is why each new step is cheap. Memory grows with every token.");
    const [focused] = focusPassages("why is each step with the cache cheap?", [leaning], 1);
    expect(focused!.text).toBe("The cache stores keys and values of earlier tokens. This is why each new step is cheap.");
  });

  it("never keeps a question, however well it matches", () => {
    const quiz = passage("15-vocab#quiz/x", "How many parameters does the embedding table hold for this vocabulary? The embedding table holds one row of d parameters per token.");
    const [focused] = focusPassages("how many parameters does the embedding table hold?", [quiz], 2);
    expect(focused!.text).toBe("The embedding table holds one row of d parameters per token.");
  });

  it("never keeps a summary's headline, a worked example's step or a result that holds only 'here'", () => {
    const worked = passage(
      "18-top-k#worked/0",
      "How top-k picks its tokens: a worked example. Apply top-k with k = 3 to the seven tokens. The three kept tokens hold 0.82 of the mass here. Top-k keeps the k most likely tokens.",
    );
    const focused = focusPassages("how does top-k pick tokens, with k = 3 kept?", [worked], 2);
    expect(focused[0]!.text).toBe("Top-k keeps the k most likely tokens.");
  });

  it("a common question retrieval put first goes in whole and alone; one further down is an ordinary passage", () => {
    const faq: PassageDoc = { ...passage("17-temperature#faq/what-is-temperature", "Temperature divides every logit by T before the softmax. A low temperature sharpens the distribution."), kind: "faq", heading: "What is temperature?" };
    expect(focusPassages("what is temperature?", [faq, SAMPLING, TEMPERATURE])).toEqual([faq]);
    const [first] = focusPassages("how does top-p keep tokens, and top-k?", [SAMPLING, faq], 1);
    expect(first!.id).toBe(SAMPLING.id);
  });

  it("returns the passages unchanged when no sentence matches the question", () => {
    expect(focusPassages("sourdough starter hydration", [SAMPLING, TEMPERATURE])).toEqual([SAMPLING, TEMPERATURE]);
    expect(focusPassages("anything", [])).toEqual([]);
  });
});

describe("planTurn focuses course-lm's passages, and only course-lm's", () => {
  let tokenizer: PromptTokenizer;
  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = path.resolve("public/models");
    tokenizer = fromTransformersTokenizer(await AutoTokenizer.from_pretrained("course-lm"));
  });

  it("course-lm: a common question's answer is the whole context, quotable from its first sentence; a chat model gets the passages whole", () => {
    const question = "how does top-p sampling work?";
    const retrieval = retrieveForQuestion(question);
    expect(retrieval.passages[0]!.kind).toBe("faq");
    const course = planTurn({ question, retrieval, history: [], tokenizer, format: courseLmFormat(tokenizer), contextLength: 512 });
    if (course.kind !== "generate") throw new Error("expected a grounded plan");
    expect(course.prompt.passages.map((p) => p.passage.id)).toEqual([retrieval.passages[0]!.id]);
    expect(course.prompt.passages[0]!.text).toBe(retrieval.passages[0]!.text);
    // Its label is the question, which marks it as read in order (lib/llm/quote.ts).
    expect(course.prompt.text).toContain(`§ ${retrieval.passages[0]!.heading}] ${retrieval.passages[0]!.text}`);
    // The sources still link every retrieved passage's section; the one in the prompt is marked used.
    expect(course.grounding.sources.filter((s) => s.used).length).toBe(1);

    const chat = planTurn({ question, retrieval, history: [], tokenizer, format: estimatedChatFormat(), contextLength: 4096 });
    if (chat.kind !== "generate") throw new Error("expected a grounded plan");
    expect(chat.prompt.passages[0]!.text).toBe(retrieval.passages[0]!.text);
  });

  it("course-lm without a common question: its context turns hold at most FOCUS_SENTENCES sentences that match the question", () => {
    const question = "how does top-p sampling work?";
    const found = retrieveForQuestion(question);
    const retrieval = { ...found, passages: found.passages.filter((p) => p.kind !== "faq") };
    const course = planTurn({ question, retrieval, history: [], tokenizer, format: courseLmFormat(tokenizer), contextLength: 512 });
    if (course.kind !== "generate") throw new Error("expected a grounded plan");
    const given = course.prompt.passages.map((p) => p.text).join(" ");
    expect(given).toMatch(/Top-p, also called nucleus sampling, keeps the smallest set of top tokens/);
    expect(given.split(/(?<=[.!?])\s+(?=[A-Z$])/).length).toBeLessThanOrEqual(FOCUS_SENTENCES);
  });
});
