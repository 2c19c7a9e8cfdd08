/**
 * Copy onnxruntime-web's WebAssembly runtime into public/ort/, so the browser loads it
 * from the app itself (lib/llm/browser/worker.ts sets wasmPaths = "/ort/"). Without
 * this, transformers.js points onnxruntime-web at cdn.jsdelivr.net: no offline use, and
 * a third party sees every learner who opens the playground.
 *
 * Which files: transformers.js 4.3's browser build imports `onnxruntime-web/webgpu`,
 * whose single runtime (WASM and WebGPU execution providers alike) is the "asyncify"
 * build — the only pair it ever requests (checked in test/e2e/engine.spec.ts, which
 * fails on any /ort/ request for another file). The plain, jsep and jspi builds belong
 * to other onnxruntime-web entry points and are not copied (~60 MB saved).
 *
 * Run by `npm install` (postinstall); the copies are gitignored. Plain Node (no tsx), as
 * it runs before anything else is ready. Idempotent: files already identical in size and
 * newer than the source are skipped.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const FILES = ["ort-wasm-simd-threaded.asyncify.mjs", "ort-wasm-simd-threaded.asyncify.wasm"];

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const require = createRequire(path.join(root, "package.json"));
// onnxruntime-web as transformers.js resolves it (a nested copy would win over a hoisted one).
// Its "exports" hide package.json, so resolve the CommonJS entry (dist/ort.min.js).
let source;
try {
  const transformers = path.dirname(require.resolve("@huggingface/transformers"));
  source = path.dirname(createRequire(path.join(transformers, "index.js")).resolve("onnxruntime-web"));
} catch {
  console.warn("copy-ort-wasm: onnxruntime-web is not installed; the browser engine will not run");
  process.exit(0);
}
const target = path.join(root, "public", "ort");
fs.mkdirSync(target, { recursive: true });

const version = JSON.parse(fs.readFileSync(path.join(source, "..", "package.json"), "utf8")).version;
let copied = 0;
for (const name of FILES) {
  const from = path.join(source, name);
  const to = path.join(target, name);
  const a = fs.statSync(from);
  const b = fs.statSync(to, { throwIfNoEntry: false });
  if (b && b.size === a.size && b.mtimeMs >= a.mtimeMs) continue;
  fs.copyFileSync(from, to);
  copied += 1;
}
// Which onnxruntime-web the copies came from, for anyone debugging a version mismatch.
// Written only when it changes: `npm start` rebuilds when anything under public/ changes.
const stamp = path.join(target, "VERSION");
if (fs.readFileSync(stamp, { encoding: "utf8", flag: "a+" }) !== `${version}\n`) fs.writeFileSync(stamp, `${version}\n`);
console.log(`copy-ort-wasm: public/ort/ holds onnxruntime-web ${version} (${copied} file(s) updated)`);
