"use client";

import dynamic from "next/dynamic";
import type { ComponentProps, ComponentType } from "react";
import { OnView } from "@/components/ui/on-view";
import type { DemoProps } from "./types";

/**
 * The interactive lesson demos, each its own chunk. A client module on purpose: a page ships
 * the code of every client component its server components import, so the lesson page imports
 * only this small switch, and next/dynamic fetches the one demo a lesson actually shows — when
 * the learner scrolls near it (OnView), not at page load: a lesson's first-load JavaScript is
 * then the page itself, and each demo's code (model client, charts, inspector parts) arrives a
 * screen before it is needed.
 */
const DEMOS: Record<string, ComponentType<DemoProps>> = {
  "next-token": dynamic(() => import("./next-token-demo").then((m) => m.NextTokenDemo)),
  temperature: dynamic(() => import("./temperature-demo").then((m) => m.TemperatureDemo)),
  sampling: dynamic(() => import("./sampling-demo").then((m) => m.SamplingDemo)),
  pipeline: dynamic(() => import("./pipeline-demo").then((m) => m.PipelineDemo)),
  "greedy-stepper": dynamic(() => import("./greedy-stepper-demo").then((m) => m.GreedyStepperDemo)),
  "beam-search": dynamic(() => import("./beam-search-demo").then((m) => m.BeamSearchDemo)),
  "cross-entropy": dynamic(() => import("./cross-entropy-demo").then((m) => m.CrossEntropyDemo)),
  tokenizer: dynamic(() => import("./tokenizer-demo").then((m) => m.TokenizerDemo)),
  "tokenizer-compare": dynamic(() => import("./tokenizer-compare-demo").then((m) => m.TokenizerCompareDemo)),
  "bpe-trainer": dynamic(() => import("./bpe-trainer-demo").then((m) => m.BpeTrainerDemo)),
  "context-window": dynamic(() => import("./context-window-demo").then((m) => m.ContextWindowDemo)),
  "attention-grid": dynamic(() => import("./attention-grid-demo").then((m) => m.AttentionGridDemo)),
  "attention-live": dynamic(() => import("./attention-live-demo").then((m) => m.AttentionLiveDemo)),
  "sliding-window": dynamic(() => import("./sliding-window-demo").then((m) => m.SlidingWindowDemo)),
  "rope-rotation": dynamic(() => import("./rope-rotation-demo").then((m) => m.RopeRotationDemo)),
};

/** The interactive demo for `props.kind` (one of the kinds above: model-demos.tsx and tokenizer-demos.tsx map theirs here). */
export function ClientDemo(props: DemoProps) {
  const Demo = DEMOS[props.kind];
  return Demo ? (
    <OnView minHeight={DEMO_PLACEHOLDER_PX[props.kind] ?? DEFAULT_PLACEHOLDER_PX} label="This live demo" id={props.kind}>
      <Demo {...props} />
    </OnView>
  ) : null;
}

/**
 * What a demo's place holds until it loads: the demo's own height as measured on a 1280 px
 * screen once loaded (phones: 1.1–1.7× taller), so the page's length barely changes when it
 * mounts. Kinds not listed get DEFAULT_PLACEHOLDER_PX.
 */
const DEMO_PLACEHOLDER_PX: Record<string, number> = {
  "next-token": 644,
  temperature: 391,
  sampling: 1759,
  pipeline: 313,
  "greedy-stepper": 393,
  "beam-search": 393,
  "cross-entropy": 395,
  tokenizer: 232,
  "tokenizer-compare": 475,
  "bpe-trainer": 915,
  "context-window": 408,
  "attention-grid": 1235,
  "attention-live": 560,
  "sliding-window": 884,
  "rope-rotation": 614,
};
const DEFAULT_PLACEHOLDER_PX = 420;

/** `Component`, loaded and rendered when its place comes near the screen. */
function onView<P extends object>(Component: ComponentType<P>, label: string, minHeight: number) {
  function Deferred(props: P) {
    return (
      <OnView minHeight={minHeight} label={label}>
        <Component {...props} />
      </OnView>
    );
  }
  return Deferred;
}

/** Client parts of the server-rendered demos (static-demos.tsx), each its own chunk too, loaded on view. */
const ScatterPlot = dynamic(() => import("@/components/playground/embeddings/scatter-plot").then((m) => m.ScatterPlot));
const TrainingCurveCharts = dynamic(() => import("./training-curve-charts").then((m) => m.TrainingCurveCharts));
const KvCacheForm = dynamic(() => import("./kv-cache-form").then((m) => m.KvCacheForm));
export const LazyScatterPlot = onView<ComponentProps<typeof ScatterPlot>>(ScatterPlot, "The map", 320);
export const LazyTrainingCurveCharts = onView<ComponentProps<typeof TrainingCurveCharts>>(TrainingCurveCharts, "The charts", 560);
export const LazyKvCacheForm = onView<ComponentProps<typeof KvCacheForm>>(KvCacheForm, "The calculator", 360);
