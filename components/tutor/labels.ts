import type { FinishReason } from "@/lib/llm/trace";

/** What to tell the learner about how a reply ended (only the unusual endings are shown). */
export const FINISH_NOTES: Record<FinishReason, { text: string; show: boolean }> = {
  eos: { text: "The model ended the reply.", show: false },
  length: { text: "Cut off: the reply reached its token limit.", show: true },
  stop: { text: "Ended at a stop string.", show: false },
  aborted: { text: "Stopped: the reply ends where it was stopped.", show: true },
  context: { text: "Cut off: the model's context window is full.", show: true },
};
