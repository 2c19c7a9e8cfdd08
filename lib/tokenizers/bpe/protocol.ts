/** Messages between the BPE lab and its worker (./worker.ts). */
import type { TokenPiece } from "../pieces.ts";
import type { MergeStep } from "./train.ts";

export type BpeRequest =
  | { type: "train"; id: number; text: string; vocabSize: number }
  /** Tokenize with the last trained model, using its first `merges` merges (all when omitted). */
  | { type: "encode"; id: number; text: string; merges?: number };

export type BpeResponse =
  | { type: "merges"; id: number; merges: MergeStep[]; learned: number; target: number }
  | { type: "trained"; id: number; merges: number; words: number; uniqueWords: number; stoppedEarly: boolean; ms: number }
  | { type: "encoded"; id: number; tokens: TokenPiece[] }
  | { type: "error"; id: number; error: string };
