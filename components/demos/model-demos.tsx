import { ClientDemo } from "./client-demos";
import type { DemoRegistry } from "./types";

/**
 * Lesson demos of this family, by kind (components/course/demo.tsx merges the families):
 * each runs course-lm through the traced engine (server by default) and links to its lab.
 * The components themselves load on demand (./client-demos.tsx).
 */
export const MODEL_DEMOS: DemoRegistry = {
  "next-token": ClientDemo,
  temperature: ClientDemo,
  sampling: ClientDemo,
  pipeline: ClientDemo,
  "greedy-stepper": ClientDemo,
  "beam-search": ClientDemo,
  "cross-entropy": ClientDemo,
  "attention-live": ClientDemo,
};
