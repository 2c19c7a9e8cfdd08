/**
 * The BPE lab's worker: trains the project's own BPE (./train.ts) off the page's main
 * thread, posting merges as they are learned, and tokenizes with the result. Training a
 * large vocabulary on a long text takes long enough to freeze typing and scrolling if it
 * ran on the page. Protocol: ./protocol.ts. A newer "train" simply replaces the model; the
 * client terminates a busy worker rather than waiting for it (./client.ts).
 */
import { encodeWithMerges, trainForLab, type LabTrainResult } from "./lab.ts";
import type { BpeRequest, BpeResponse } from "./protocol.ts";

let model: LabTrainResult["model"] | null = null;

const post = (message: BpeResponse) => (self as unknown as Worker).postMessage(message);

self.addEventListener("message", (event: MessageEvent<BpeRequest>) => {
  const request = event.data;
  try {
    if (request.type === "train") {
      const started = performance.now();
      const result = trainForLab(request.text, request.vocabSize, (merges, learned, target) => post({ type: "merges", id: request.id, merges, learned, target }));
      model = result.model;
      post({
        type: "trained",
        id: request.id,
        merges: result.history.length,
        words: result.words,
        uniqueWords: result.uniqueWords,
        stoppedEarly: result.stoppedEarly,
        ms: performance.now() - started,
      });
    } else if (request.type === "encode") {
      if (!model) throw new Error("train a tokenizer first");
      post({ type: "encoded", id: request.id, tokens: encodeWithMerges(model, request.text, request.merges) });
    }
  } catch (error) {
    post({ type: "error", id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
