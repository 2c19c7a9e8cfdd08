/**
 * For CLIs whose stdout is the result (piped JSON, a table): route everything libraries log
 * (transformers.js, onnxruntime) to stderr. Call before loading them.
 */
export function keepStdoutForResults(): void {
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  console.warn = console.error;
}
