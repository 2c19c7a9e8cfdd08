import { EmbeddingMapDemo } from "./embedding-map";
import { KvCacheCalculatorDemo } from "./kv-cache-calculator";
import { TrainingCurveDemo } from "./training-curve";
import { ClientDemo } from "./client-demos";
import type { DemoRegistry } from "./types";

/**
 * Lesson demos of this family, by kind (components/course/demo.tsx merges the families):
 * data shipped beside the model (embeddings, training log), read on the server at request
 * time, and pure arithmetic.
 */
export const STATIC_DEMOS: DemoRegistry = {
  "embedding-map": EmbeddingMapDemo,
  "kv-cache-calculator": KvCacheCalculatorDemo,
  "training-curve": TrainingCurveDemo,
  "rope-rotation": ClientDemo,
};
