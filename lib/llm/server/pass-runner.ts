/**
 * Resident groups' step passes in a worker thread (./pass-worker.mjs), for the step batcher
 * (../batch.ts, GroupPasses): the worker opens its own onnxruntime session on the model's ONNX
 * file and keeps each group's cache block, so that one group's pass runs while the main thread
 * samples and streams another's.
 *
 * Messages (each request carries an id; the worker answers in order, one at a time):
 *   step   { group, inputs, block? } → { logits, dims }   the block moves in with a group's first pass
 *   take   { group }                 → { block }          the block moves out (the group is split up)
 *   forget { group }                 → {}
 * Typed arrays move between the threads (transferred, not copied). A pass that never returns is
 * given up on by terminating the worker: every group's block is lost with it (their members'
 * next steps fail with PassAbandonedError) and a fresh worker takes the next passes.
 *
 * Not `server-only`: the load benchmark and the tests use it.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { Tensor } from "@huggingface/transformers";
import { PassAbandonedError, type GroupPasses } from "../batch.ts";
import { repoRoot } from "./files.ts";

interface WireTensor {
  type: Tensor["type"];
  data: Float32Array | Uint16Array | BigInt64Array;
  dims: number[];
}

interface Reply {
  id: number;
  error?: string;
  logits?: Float32Array;
  block?: Record<string, WireTensor>;
}

const toWire = (tensor: Tensor): WireTensor => ({ type: tensor.type, data: tensor.data as WireTensor["data"], dims: tensor.dims });

export interface WorkerPassesOptions {
  /** The ONNX file the model's own session was created from. */
  onnxFile: string;
  /** onnxruntime's threads per pass in the worker. */
  intraOpThreads: number;
  /** Where pass-worker.mjs is (default: lib/llm/server under the repository root). */
  workerFile?: string;
}

export class WorkerPasses implements GroupPasses {
  readonly concurrent = true;
  private worker!: Worker;
  private ready!: Promise<void>;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: unknown) => void }>();
  /** The groups whose blocks the current worker holds. */
  private readonly held = new Set<number>();
  private nextId = 1;
  private closed = false;
  /** Workers started so far (more than one: a stuck pass made the batcher replace one). */
  workersStarted = 0;

  constructor(private readonly options: WorkerPassesOptions) {
    this.spawn();
  }

  get heldBlocks(): number {
    return this.held.size;
  }

  /** Resolves once the worker has opened its session (rejects if it cannot). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  async step(group: number, inputs: Record<string, Tensor>, block?: Record<string, Tensor>): Promise<Float32Array> {
    if (block) this.held.add(group);
    else if (!this.held.has(group)) throw new PassAbandonedError(); // lost with a worker that was replaced
    const wireInputs = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, toWire(t)]));
    const wireBlock = block && Object.fromEntries(Object.entries(block).map(([name, t]) => [name, toWire(t)]));
    const transfer = [...Object.values(wireInputs), ...Object.values(wireBlock ?? {})].map((t) => t.data.buffer as ArrayBuffer);
    const reply = await this.request({ type: "step", group, inputs: wireInputs, block: wireBlock }, transfer);
    return reply.logits!;
  }

  async take(group: number): Promise<Record<string, Tensor> | undefined> {
    if (!this.held.delete(group)) return undefined;
    const reply = await this.request({ type: "take", group }, []).catch(() => undefined);
    if (!reply?.block) return undefined;
    return Object.fromEntries(Object.entries(reply.block).map(([name, t]) => [name, new Tensor(t.type, t.data, t.dims)]));
  }

  forget(group: number): void {
    if (!this.held.delete(group)) return;
    void this.request({ type: "forget", group }, []).catch(() => undefined);
  }

  /** A pass that may never return: replace the worker (every block it held is lost). */
  abandoned(): void {
    const old = this.worker;
    this.fail(new PassAbandonedError());
    void old.terminate();
    if (!this.closed) this.spawn();
  }

  async dispose(): Promise<void> {
    this.closed = true;
    this.fail(new Error("the pass worker was closed"));
    await this.worker.terminate();
  }

  private spawn(): void {
    // Read from the repository at run time, like the model folders (never bundled: Next's server
    // build has no file of its own for a worker thread).
    const file = this.options.workerFile ?? path.join(/*turbopackIgnore: true*/ repoRoot(), "lib", "llm", "server", "pass-worker.mjs");
    this.workersStarted++;
    const worker = new Worker(/*turbopackIgnore: true*/ file, { workerData: { onnxFile: this.options.onnxFile, intraOpThreads: this.options.intraOpThreads } });
    this.worker = worker;
    let opened = false;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once("message", (message: { type?: string }) => {
        opened = message.type === "ready";
        if (opened) resolve();
        else reject(new Error("the pass worker did not start"));
      });
      worker.once("error", reject);
    });
    this.ready.catch(() => undefined); // whenReady()'s caller reports it; requests fail through "error" below
    worker.on("message", (reply: Reply & { type?: string }) => {
      if (reply.type === "ready" || worker !== this.worker) return;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.error) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply);
    });
    worker.on("error", (error) => {
      if (worker === this.worker) this.fail(error);
    });
    worker.on("exit", () => {
      if (worker !== this.worker || this.closed) return;
      this.fail(new Error("the pass worker exited"));
      // A worker that had opened its session is replaced; one that could not open it is not
      // retried (the next would fail alike): its requests fail, and the server keeps its passes
      // on the main thread (./models.ts).
      if (opened) this.spawn();
    });
    // An idle worker must not keep a finished CLI or test process alive; one with a request to answer does.
    worker.unref();
  }

  /** Reject every request in flight; the current worker's blocks are gone. */
  private fail(error: unknown): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.held.clear();
    this.worker.unref();
  }

  private async request(message: Record<string, unknown>, transfer: ArrayBuffer[]): Promise<Reply> {
    const id = this.nextId++;
    const worker = this.worker;
    if (this.pending.size === 0) worker.ref();
    const answered = new Promise<Reply>((resolve, reject) => {
      const settle = () => {
        if (this.pending.size === 0 && worker === this.worker) worker.unref();
      };
      this.pending.set(id, {
        resolve: (reply) => (resolve(reply), settle()),
        reject: (error) => (reject(error), settle()),
      });
    });
    // Posted at once: the worker reads its messages once its session is open (one that cannot
    // open it fails every request, through its "error" event).
    worker.postMessage({ ...message, id }, transfer);
    return answered;
  }
}
