import { ClientDemo } from "./client-demos";
import type { DemoRegistry } from "./types";

/**
 * Lesson demos of this family, by kind (components/course/demo.tsx merges the families).
 * The components themselves load on demand (./client-demos.tsx).
 */
export const TOKENIZER_DEMOS: DemoRegistry = {
  tokenizer: ClientDemo,
  "tokenizer-compare": ClientDemo,
  "bpe-trainer": ClientDemo,
  "context-window": ClientDemo,
  "attention-grid": ClientDemo,
  "sliding-window": ClientDemo,
};
