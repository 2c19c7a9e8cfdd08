/**
 * A worker thread that runs resident groups' step passes (../batch.ts) off the main thread.
 *
 * Why: onnxruntime-node's `run()` is synchronous on the thread that calls it
 * (microsoft/onnxruntime#19611), so on the main thread every pass stops the decode loops'
 * sampling, the JSON of the trace and the sockets. Here the pass of one group runs while the
 * main thread samples and streams another's — two cores busy instead of one.
 *
 * This thread holds each group's KV cache block (moved in when the group is built, moved back
 * when it is split up), so a step pass sends only the new tokens, positions and mask in and
 * the logits out. Plain JavaScript so that it runs as it is under Next's server, Vitest and the
 * CLI alike; its main-thread side is ./pass-runner.ts, whose comments describe the messages.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as ort from "onnxruntime-node";

const { onnxFile, intraOpThreads } = workerData;
/** Group id → its cache block: past_key_values.<layer>.key|value → ort.Tensor. */
const blocks = new Map();
const session = await ort.InferenceSession.create(onnxFile, { executionProviders: ["cpu"], intraOpNumThreads: intraOpThreads, logSeverityLevel: 3 });

const toOrt = (t) => new ort.Tensor(t.type, t.data, t.dims);
/** A tensor as a message part whose buffer moves with the message (output buffers belong to JavaScript). */
const fromOrt = (t) => ({ type: t.type, data: t.data, dims: t.dims });

async function handle(message) {
  switch (message.type) {
    case "step": {
      if (message.block) blocks.set(message.group, Object.fromEntries(Object.entries(message.block).map(([name, t]) => [name, toOrt(t)])));
      const block = blocks.get(message.group);
      if (!block) throw new Error(`pass worker: no cache for group ${message.group}`);
      const feeds = { ...block };
      for (const [name, t] of Object.entries(message.inputs)) if (session.inputNames.includes(name)) feeds[name] = toOrt(t);
      const outputs = await session.run(feeds);
      const next = {};
      for (const name of session.outputNames) if (name.startsWith("present")) next[name.replace("present", "past_key_values")] = outputs[name];
      blocks.set(message.group, next);
      const logits = outputs.logits.data;
      return { reply: { logits, dims: outputs.logits.dims }, transfer: [logits.buffer] };
    }
    case "take": {
      const block = blocks.get(message.group);
      if (!block) throw new Error(`pass worker: no cache for group ${message.group}`);
      blocks.delete(message.group);
      const out = Object.fromEntries(Object.entries(block).map(([name, t]) => [name, fromOrt(t)]));
      return { reply: { block: out }, transfer: Object.values(out).map((t) => t.data.buffer) };
    }
    case "forget":
      blocks.delete(message.group);
      return { reply: {}, transfer: [] };
    default:
      throw new Error(`pass worker: unknown message ${message.type}`);
  }
}

// One message at a time, in order: a group's passes and its hand-back never overlap.
let queue = Promise.resolve();
parentPort.on("message", (message) => {
  queue = queue.then(async () => {
    try {
      const { reply, transfer } = await handle(message);
      parentPort.postMessage({ id: message.id, ...reply }, transfer);
    } catch (error) {
      parentPort.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
});
parentPort.postMessage({ type: "ready" });
