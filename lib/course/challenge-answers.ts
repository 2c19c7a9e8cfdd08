import "server-only";
import { getServerModel, resolveServerModel, runGeneration } from "../llm/server/index.ts";
import { planScore, scoreGenerationInput, scoreTokenIds } from "../llm/score.ts";
import type { Trace } from "../llm/trace.ts";
import { surpriseStats } from "../inspector/surprise.ts";
import { nearestNeighbours, row } from "../embeddings/matrix.ts";
import { readCourseLmJson, serverEmbeddings } from "../embeddings/server.ts";
import { lookupToken } from "../embeddings/vocab.ts";
import { CHALLENGE_INPUTS, type Challenge } from "./challenges.ts";
import { BYTES_PER_VALUE, kvCacheBytes, presetFromConfig } from "./kv-cache.ts";

/**
 * The answers to the inspector challenges (./challenges.ts), computed on the server's course-lm
 * through the same queue, decode loop and sampler the labs use — so the number a learner reads
 * in a lab is the number checked here. Cached per challenge and model revision: the model is
 * run once, not once per learner.
 */
const cache = new Map<string, Promise<Record<string, number>>>();

export async function challengeAnswers(challenge: Challenge): Promise<Record<string, number>> {
  const model = await getServerModel(resolveServerModel("course-lm"));
  const key = `${challenge.id}@${model.revision}`;
  let answers = cache.get(key);
  if (!answers) {
    answers = compute(challenge.id);
    cache.set(key, answers);
    answers.catch(() => cache.delete(key)); // a failed run is retried by the next check
  }
  return answers;
}

/** The first step of a one-token generation on `prompt` with these settings (filters off unless set). */
async function firstStep(prompt: string, settings: { temperature: number; topP?: number }) {
  const trace: Trace = await runGeneration({ prompt, settings: { topK: 0, topP: 1, minP: 0, seed: 0, ...settings, maxNewTokens: 1 } });
  const step = trace.steps[0];
  if (!step) throw new Error("the model produced no step");
  return step;
}

/** A text scored as the perplexity lab scores it (POST /api/score's request). */
async function scored(text: string): Promise<Trace> {
  const model = await getServerModel(resolveServerModel("course-lm"));
  const plan = planScore(scoreTokenIds(model, text), model.contextLength);
  return runGeneration(scoreGenerationInput(plan));
}

async function compute(id: string): Promise<Record<string, number>> {
  switch (id) {
    case "token-count": {
      const model = await getServerModel(resolveServerModel("course-lm"));
      return { tokens: model.tokenizer.encode(CHALLENGE_INPUTS.tokenCount.text, { add_special_tokens: false }).length };
    }
    case "top-probability": {
      const step = await firstStep(CHALLENGE_INPUTS.topProbability.prompt, { temperature: 1 });
      // Candidates are ranked by raw logit: the first is the model's favourite.
      return { percent: step.candidates[0]!.probAtTemperature * 100 };
    }
    case "top-p-survivors": {
      const { prompt, topP, temperatures } = CHALLENGE_INPUTS.topPSurvivors;
      const [low, high] = await Promise.all(temperatures.map((temperature) => firstStep(prompt, { temperature, topP })));
      return { low: low!.kept.afterTopP, high: high!.kept.afterTopP };
    }
    case "surprise": {
      const { steps } = await scored(CHALLENGE_INPUTS.surprise.text);
      const surprise = (text: string) => {
        const step = steps.find((s) => s.text === text);
        if (!step) throw new Error(`"${text}" is not one token of the scored text`);
        return -step.logprob;
      };
      const { model, predicts } = CHALLENGE_INPUTS.surprise.tokens;
      return { model: surprise(model), predicts: surprise(predicts) };
    }
    case "perplexity": {
      const trace = await scored(CHALLENGE_INPUTS.perplexity.text);
      const { perplexity } = surpriseStats(trace.steps);
      if (perplexity === null) throw new Error("the text has no scored token");
      return { perplexity };
    }
    case "nearest-neighbour": {
      // As the embeddings lab finds it: every real (non-special) token but the query itself, by cosine.
      const { matrix, vocab } = await serverEmbeddings();
      const query = lookupToken(vocab, CHALLENGE_INPUTS.nearestNeighbour.token);
      if (!query) throw new Error(`${CHALLENGE_INPUTS.nearestNeighbour.token} is not a token of course-lm`);
      const candidates = vocab.entries.filter((e) => !e.special).map((e) => e.id);
      const [nearest] = nearestNeighbours(matrix, row(matrix, query.id), { k: 1, exclude: [query.id], candidates });
      return { cosine: nearest!.similarity };
    }
    case "causal-pairs": {
      const model = await getServerModel(resolveServerModel("course-lm"));
      const tokens = model.tokenizer.encode(CHALLENGE_INPUTS.causalPairs.text, { add_special_tokens: false }).length;
      return { pairs: (tokens * (tokens + 1)) / 2 };
    }
    case "kv-cache-size": {
      const preset = presetFromConfig("course-lm", "course-lm", await readCourseLmJson("config.json"));
      const bytes = kvCacheBytes({ ...preset.shape, seqLen: CHALLENGE_INPUTS.kvCache.tokens, batch: 1, bytesPerValue: BYTES_PER_VALUE[preset.valueType] });
      return { kib: bytes / 1024 };
    }
    default:
      throw new Error(`no answer is computed for challenge "${id}"`);
  }
}
