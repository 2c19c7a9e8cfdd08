import "server-only";
/**
 * course-lm's embeddings read from disk for server-rendered lesson demos, once per process
 * (a few MB). Read at run time from the working directory, like lib/llm/server/files.ts, so
 * a retrained model's files are what the demos show.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { courseLmDir, courseLmEncoder } from "../tokenizers/course-lm.ts";
import { assembleEmbeddings, type CourseEmbeddings } from "./load.ts";

export interface ServerEmbeddings extends CourseEmbeddings {
  encode: (text: string) => number[];
}

let cached: Promise<ServerEmbeddings> | null = null;

export { courseLmDir };

async function read(): Promise<ServerEmbeddings> {
  const dir = courseLmDir();
  const [config, tokenizer, bin] = await Promise.all([
    fs.readFile(/*turbopackIgnore: true*/ path.join(dir, "config.json"), "utf8").then(JSON.parse),
    fs.readFile(/*turbopackIgnore: true*/ path.join(dir, "tokenizer.json"), "utf8").then(JSON.parse),
    fs.readFile(/*turbopackIgnore: true*/ path.join(dir, "embeddings.bin")),
  ]);
  const buffer = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  const encoder = courseLmEncoder();
  if (!encoder) throw new Error("course-lm's tokenizer.json is missing from public/models/course-lm");
  return { ...assembleEmbeddings(config, tokenizer, buffer), encode: (text) => encoder.encode(text) };
}

export function serverEmbeddings(): Promise<ServerEmbeddings> {
  if (!cached) {
    cached = read();
    cached.catch(() => (cached = null)); // don't cache a failure
  }
  return cached;
}

/** config.json and training-log.json of course-lm, parsed (small; read per call). */
export async function readCourseLmJson(name: "config.json" | "training-log.json"): Promise<unknown> {
  return JSON.parse(await fs.readFile(/*turbopackIgnore: true*/ path.join(courseLmDir(), name), "utf8"));
}
