import { describe, expect, it } from "vitest";
import { LineCoalescer } from "@/lib/http/ndjson";

const text = (chunk: Uint8Array) => new TextDecoder().decode(chunk);
const line = (s: string) => new TextEncoder().encode(`${s}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("LineCoalescer", () => {
  it("writes a line after a quiet spell at once, and the lines that follow within the window together when it ends", async () => {
    const writes: string[] = [];
    const out = new LineCoalescer((chunk) => writes.push(text(chunk)), 40);
    out.push(line("a"));
    expect(writes).toEqual(["a\n"]); // the first line is never held back
    out.push(line("b"));
    out.push(line("c"));
    expect(writes).toEqual(["a\n"]);
    await sleep(80);
    expect(writes).toEqual(["a\n", "b\nc\n"]); // one write for both
    await sleep(60);
    out.push(line("d"));
    expect(writes).toEqual(["a\n", "b\nc\n", "d\n"]); // quiet again: at once
  });

  it("flush() writes what waits now, once, and nothing when nothing waits", () => {
    const writes: string[] = [];
    const out = new LineCoalescer((chunk) => writes.push(text(chunk)), 1_000);
    out.push(line("a"));
    out.push(line("b"));
    out.push(line("c"));
    out.flush();
    out.flush();
    expect(writes).toEqual(["a\n", "b\nc\n"]);
  });

  it("writeNow() sends a line at once after what waits, and the next push is not held back by it", () => {
    const writes: string[] = [];
    const out = new LineCoalescer((chunk) => writes.push(text(chunk)), 1_000);
    out.writeNow(line("prompt"));
    out.push(line("first token"));
    expect(writes).toEqual(["prompt\n", "first token\n"]);
    out.push(line("second"));
    out.writeNow(line("saved"));
    expect(writes).toEqual(["prompt\n", "first token\n", "second\n", "saved\n"]);
  });

  it("pushEvent() lets step lines share writes and sends every other event at once", () => {
    const writes: string[] = [];
    const out = new LineCoalescer((chunk) => writes.push(text(chunk)), 1_000);
    out.pushEvent({ type: "prompt" });
    out.pushEvent({ type: "step" });
    out.pushEvent({ type: "step" });
    out.pushEvent({ type: "step" });
    out.pushEvent({ type: "done" });
    expect(writes).toEqual(['{"type":"prompt"}\n', '{"type":"step"}\n', '{"type":"step"}\n{"type":"step"}\n', '{"type":"done"}\n']);
  });
});
