import type { DemoRegistry } from "./types";
import { CrossEntropyDemo } from "./cross-entropy-demo";
import { GreedyStepperDemo } from "./greedy-stepper-demo";
import { NextTokenDemo } from "./next-token-demo";
import { PipelineDemo } from "./pipeline-demo";
import { SamplingDemo } from "./sampling-demo";
import { TemperatureDemo } from "./temperature-demo";

/** Lesson demos of this family, by kind (components/course/demo.tsx merges the families):
 *  each runs course-lm through the traced engine (server by default) and links to its lab. */
export const MODEL_DEMOS: DemoRegistry = {
  "next-token": NextTokenDemo,
  temperature: TemperatureDemo,
  sampling: SamplingDemo,
  pipeline: PipelineDemo,
  "greedy-stepper": GreedyStepperDemo,
  "cross-entropy": CrossEntropyDemo,
};
