import { BpeTrainerDemo } from "./bpe-trainer-demo";
import { ContextWindowDemo } from "./context-window-demo";
import { TokenizerCompareDemo } from "./tokenizer-compare-demo";
import { TokenizerDemo } from "./tokenizer-demo";
import type { DemoRegistry } from "./types";

/** Lesson demos of this family, by kind (components/course/demo.tsx merges the families). */
export const TOKENIZER_DEMOS: DemoRegistry = {
  tokenizer: TokenizerDemo,
  "tokenizer-compare": TokenizerCompareDemo,
  "bpe-trainer": BpeTrainerDemo,
  "context-window": ContextWindowDemo,
};
