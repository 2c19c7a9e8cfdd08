/**
 * The BPE lab's work, as plain functions (the worker in ./worker.ts only moves messages):
 * train on a text while reporting merges in batches, and tokenize a text with the first k
 * merges of the result — the "replay" slider. Isomorphic.
 */
import { tokenBytes } from "../bytes.ts";
import { pieceFromBytes, type TokenPiece } from "../pieces.ts";
import { BpeEncoder } from "./encode.ts";
import { BpeTrainer, type BpeModel, type MergeStep } from "./train.ts";

/** Vocabulary sizes the lab allows: the 256 bytes plus at least a few merges, and a cap
 * that keeps training on a pasted text well under a second. */
export const MIN_LAB_VOCAB = 260;
export const MAX_LAB_VOCAB = 4_096;
/** Longest training text (characters): the same cap as the tokenizer API. */
export const MAX_LAB_TEXT = 20_000;
/** The lab's default training text (lesson 05's toy sentence). */
export const DEFAULT_BPE_TEXT = "the sun is fun and the sunny sun is fun. sunny, funny, sung: the fun sun sung a funny song in the sun.";

export interface LabTrainResult {
  model: Pick<BpeModel, "vocab" | "merges" | "specialTokens">;
  history: MergeStep[];
  words: number;
  uniqueWords: number;
  /** True when no pair occurred twice any more before the vocabulary was full. */
  stoppedEarly: boolean;
}

/**
 * Train with no special tokens (ids 0–255 are the bytes). `onMerges` gets the merges
 * learned since its last call, every `batch` merges and at the end. Stops early, like the
 * real trainer, when the best pair occurs only once: merging it compresses nothing.
 */
export function trainForLab(text: string, vocabSize: number, onMerges?: (merges: MergeStep[], learned: number, target: number) => void, batch = 8): LabTrainResult {
  if (!Number.isInteger(vocabSize) || vocabSize < MIN_LAB_VOCAB || vocabSize > MAX_LAB_VOCAB) {
    throw new RangeError(`vocabulary size must be an integer in [${MIN_LAB_VOCAB}, ${MAX_LAB_VOCAB}]`);
  }
  const trainer = BpeTrainer.fromTexts([text.slice(0, MAX_LAB_TEXT)]);
  const target = vocabSize - 256;
  let pending: MergeStep[] = [];
  let stoppedEarly = false;
  while (trainer.vocabSize < vocabSize) {
    const next = trainer.peek();
    if (!next || next.count < 2) {
      stoppedEarly = true;
      break;
    }
    const step = trainer.step();
    if (!step) break;
    pending.push(step);
    if (pending.length >= batch) {
      onMerges?.(pending, trainer.history.length, target);
      pending = [];
    }
  }
  onMerges?.(pending, trainer.history.length, target);
  const model = trainer.model();
  return { model, history: trainer.history, words: trainer.totalWords, uniqueWords: trainer.uniqueWords, stoppedEarly };
}

/** `text` tokenized with only the first `merges` merges (all of them when omitted). */
export function encodeWithMerges(model: LabTrainResult["model"], text: string, merges = model.merges.length): TokenPiece[] {
  const encoder = new BpeEncoder({ ...model, merges: model.merges.slice(0, Math.max(0, merges)) });
  return encoder.encodeTokens(text).map((t) => pieceFromBytes(t.id, tokenBytes(t.token)));
}
