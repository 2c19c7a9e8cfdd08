/**
 * The page's side of the BPE worker: one worker per BpeClient, requests matched to replies
 * by id. Browser-only (creates a Worker).
 */
import type { TokenPiece } from "../pieces.ts";
import type { BpeRequest, BpeResponse } from "./protocol.ts";
import type { MergeStep } from "./train.ts";

export interface TrainSummary {
  merges: number;
  words: number;
  uniqueWords: number;
  stoppedEarly: boolean;
  ms: number;
}

/** A request before it gets its id (distributes over the union). */
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

type Pending = { resolve: (value: BpeResponse) => void; reject: (error: Error) => void; onMerges?: (merges: MergeStep[], learned: number, target: number) => void };

export class BpeClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // The literal `new Worker(new URL(...), …)` lets the bundler find and build the worker.
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "glassbox-bpe" });
    worker.addEventListener("message", (event: MessageEvent<BpeResponse>) => {
      const message = event.data;
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      if (message.type === "merges") return waiting.onMerges?.(message.merges, message.learned, message.target);
      this.pending.delete(message.id);
      if (message.type === "error") waiting.reject(new Error(message.error));
      else waiting.resolve(message);
    });
    worker.addEventListener("error", (event) => this.fail(new Error(event.message || "the BPE worker failed")));
    this.worker = worker;
    return worker;
  }

  private send(request: WithoutId<BpeRequest>, onMerges?: Pending["onMerges"]): Promise<BpeResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onMerges });
      this.ensure().postMessage({ ...request, id } as BpeRequest);
    });
  }

  /** Train; a training already running is stopped (its worker is replaced). */
  async train(text: string, vocabSize: number, onMerges: (merges: MergeStep[], learned: number, target: number) => void): Promise<TrainSummary> {
    if (this.pending.size > 0) this.reset("stopped: a new training started");
    const reply = await this.send({ type: "train", text, vocabSize }, onMerges);
    if (reply.type !== "trained") throw new Error("unexpected reply from the BPE worker");
    const { merges, words, uniqueWords, stoppedEarly, ms } = reply;
    return { merges, words, uniqueWords, stoppedEarly, ms };
  }

  async encode(text: string, merges?: number): Promise<TokenPiece[]> {
    const reply = await this.send({ type: "encode", text, merges });
    if (reply.type !== "encoded") throw new Error("unexpected reply from the BPE worker");
    return reply.tokens;
  }

  dispose(): void {
    this.reset("closed");
  }

  private reset(reason: string): void {
    this.worker?.terminate();
    this.worker = null;
    this.fail(new Error(reason));
  }

  private fail(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
