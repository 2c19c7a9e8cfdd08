/**
 * The live demo kinds a lesson may embed as `<Demo kind="…" … />` (content/README.md),
 * with the props each needs. The lesson tests check every tag in the content against this
 * list; components/course/demo.tsx renders them.
 */
export const DEMO_KINDS = {
  tokenizer: { title: "Tokenizer", props: ["text"] },
  "tokenizer-compare": { title: "Compare tokenizers", props: ["text"] },
  "bpe-trainer": { title: "BPE trainer", props: ["text", "vocabSize"] },
  "embedding-map": { title: "Embedding map", props: ["tokens"] },
  "next-token": { title: "Next-token distribution", props: ["prompt"] },
  temperature: { title: "Temperature side by side", props: ["prompt"] },
  sampling: { title: "Sampling", props: ["prompt"] },
  pipeline: { title: "The full pipeline, step by step", props: ["prompt"] },
  "greedy-stepper": { title: "Greedy decoding stepper", props: ["prompt"] },
  "beam-search": { title: "Beam search stepper", props: ["prompt"] },
  "cross-entropy": { title: "Cross-entropy of a real prediction", props: ["text"] },
  "kv-cache-calculator": { title: "KV-cache size calculator", props: [] },
  "context-window": { title: "Context window", props: ["text"] },
  "attention-grid": { title: "Attention grid and cost", props: ["text"] },
  "attention-live": { title: "Attention inside course-lm", props: ["prompt"] },
  "sliding-window": { title: "Sliding window and context window", props: ["text"] },
  "rope-rotation": { title: "RoPE: rotating a query and a key", props: [] },
  "training-curve": { title: "course-lm's training curve", props: [] },
} as const satisfies Record<string, { title: string; props: readonly string[] }>;

export type DemoKind = keyof typeof DEMO_KINDS;

export function isDemoKind(kind: string): kind is DemoKind {
  return Object.hasOwn(DEMO_KINDS, kind);
}

export interface DemoTag {
  kind: string;
  props: Record<string, string>;
}

/** The `<Demo … />` tags in an MDX body, with their string props (for validation). */
export function findDemoTags(body: string): DemoTag[] {
  const tags: DemoTag[] = [];
  for (const match of body.matchAll(/<Demo\b([^>]*?)\/>/g)) {
    const props: Record<string, string> = {};
    for (const [, name, value] of match[1].matchAll(/([A-Za-z][\w-]*)="([^"]*)"/g)) props[name] = value;
    const { kind = "", ...rest } = props;
    tags.push({ kind, props: rest });
  }
  return tags;
}
