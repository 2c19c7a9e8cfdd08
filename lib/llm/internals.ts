/**
 * What happens inside the model at one step, read from a forward pass of a graph that exposes
 * it (course-lm's onnx/model_internals.onnx, made by scripts/train/internals.py): for the
 * position whose logits the step samples from,
 *   - attention[layer][head][j]: how much that position's query attends to position j, for the
 *     P + i positions it can see (P prompt tokens, i tokens generated before this step); each
 *     row sums to 1 and there is nothing for later positions (causal attention);
 *   - logitLens[layer]: the LENS_TOP most likely next tokens if the model stopped after that
 *     layer (its residual stream through the final norm and the output layer). The last layer's
 *     lens is the model's own distribution, so its first entry is the step's top candidate.
 *
 * Only when a request asks for it (decode's `internals`): the normal decode path uses model.onnx
 * and reads nothing extra. Isomorphic.
 */
import type { Tensor } from "@huggingface/transformers";
import type { TokenTable } from "./tokens.ts";

/** Tokens kept per layer of the logit lens. */
export const LENS_TOP = 5;
/**
 * Steps that record internals, at most: the size cap. Attention grows with the context (a row
 * per layer and head over every visible position): about 4 KB of JSON per step at a 10-token
 * prompt and 106 KB at a 481-token one (measured, test/integration/course-lm-internals.test.ts),
 * so a reply's internals stay under about 7 MB.
 */
export const INTERNALS_MAX_STEPS = 64;
/** Decimals kept for attention weights and lens probabilities in a trace (≈ 1e-4 absolute). */
export const INTERNALS_DECIMALS = 4;

export interface LensEntry {
  id: number;
  text: string;
  prob: number;
}

export interface StepInternals {
  attention: number[][][];
  logitLens: LensEntry[][];
}

const round = (x: number) => {
  const f = 10 ** INTERNALS_DECIMALS;
  return Math.round(x * f) / f;
};

/** The graph's layer count, from its outputs (attentions.0, attentions.1, …); 0 for a graph without internals. */
export function internalsLayers(outputs: Readonly<Record<string, Tensor>>): number {
  let layers = 0;
  while (outputs[`attentions.${layers}`]) layers++;
  return layers;
}

/**
 * The internals of the last position of a forward pass (the one whose logits come next).
 * `outputs` are the pass's outputs (./forward.ts); attention tensors are
 * [batch, kvHeads, headsPerKv, sequence, total] (query head = kv · headsPerKv + g).
 */
export function readStepInternals(outputs: Readonly<Record<string, Tensor>>, tokens: TokenTable): StepInternals {
  const layers = internalsLayers(outputs);
  if (layers === 0) throw new Error("this model's graph has no internals outputs (attentions.0 …): load its internals graph");
  const attention: number[][][] = [];
  const logitLens: LensEntry[][] = [];
  for (let layer = 0; layer < layers; layer++) {
    const a = outputs[`attentions.${layer}`]!;
    const [, kvHeads, perKv, sequence, total] = a.dims as number[];
    const data = a.data as Float32Array;
    const heads: number[][] = [];
    for (let kv = 0; kv < kvHeads!; kv++) {
      for (let g = 0; g < perKv!; g++) {
        const start = ((kv * perKv! + g) * sequence! + (sequence! - 1)) * total!;
        heads.push(Array.from(data.subarray(start, start + total!), round));
      }
    }
    attention.push(heads);

    const lens = outputs[`lens_logits.${layer}`]!;
    const vocab = lens.dims.at(-1)!;
    const rows = (lens.data as Float32Array).length / vocab;
    const logits = (lens.data as Float32Array).subarray((rows - 1) * vocab, rows * vocab);
    logitLens.push(topProbabilities(logits, LENS_TOP).map(({ id, prob }) => ({ id, text: tokens.text(id).text, prob: round(prob) })));
  }
  return { attention, logitLens };
}

/** The k most probable ids of softmax(logits), most probable first (ties: lower id first). */
export function topProbabilities(logits: ArrayLike<number>, k: number): { id: number; prob: number }[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  const top: { id: number; logit: number }[] = [];
  for (let id = 0; id < logits.length; id++) {
    const logit = logits[id]!;
    if (top.length < k || logit > top[top.length - 1]!.logit) {
      top.push({ id, logit });
      top.sort((a, b) => b.logit - a.logit || a.id - b.id);
      if (top.length > k) top.pop();
    }
  }
  return top.map(({ id, logit }) => ({ id, prob: Math.exp(logit - max) / sum }));
}
