/**
 * course-lm's files, read by the server (the tokenizer playground, the token counter, the
 * embeddings playground): one place that knows where the shipped folder is (the registry's
 * `COURSE_LM.dir`) and parses its tokenizer.json into the project's own encoder, once per process.
 * The browser reads the same tokenizer over HTTP (./course-lm-client.ts). Not marked
 * `server-only`: the CLIs (scripts/ask.ts) reach it through the course's quiz checks, under
 * plain Node; it reads the file system, so no browser bundle can include it.
 */
import fs from "node:fs";
import path from "node:path";
import { COURSE_LM } from "../llm/registry.ts";
import { BpeEncoder } from "./bpe/encode.ts";
import { fromTokenizerJson } from "./bpe/export.ts";

/** The shipped course-lm folder (public/models/course-lm), absolute. */
export function courseLmDir(): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), COURSE_LM.dir);
}

/** A file of the shipped folder: "tokenizer.json", "config.json", "embeddings.bin", … */
export function courseLmFile(name: string): string {
  return path.join(/*turbopackIgnore: true*/ courseLmDir(), name);
}

let encoder: BpeEncoder | undefined;

/** course-lm's tokenizer as the project's encoder, parsed on first use; null while the model is not there (not cached: it may appear). */
export function courseLmEncoder(): BpeEncoder | null {
  if (encoder) return encoder;
  const file = courseLmFile("tokenizer.json");
  if (!fs.existsSync(file)) return null;
  encoder = new BpeEncoder(fromTokenizerJson(JSON.parse(fs.readFileSync(file, "utf8"))));
  return encoder;
}
