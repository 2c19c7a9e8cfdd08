/**
 * The layer rules in eslint.config.mjs (issue #17), on planted imports: each illegal import,
 * however it is spelled (the @/ alias, a relative path, with or without .ts, a re-export, a
 * type-only import, a dynamic import()), is reported; legal ones are not.
 */
import path from "node:path";
import { ESLint, type Linter } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function lint(file: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages;
}

const LAYER_RULES = ["no-restricted-imports", "no-restricted-syntax"];

const ILLEGAL: [file: string, code: string, rule?: string][] = [
  // lib/ never imports app/, components/ or test/
  ["lib/foo/planted.ts", `import { x } from "@/components/x"; export const y = x;`],
  ["lib/foo/planted.ts", `import { x } from "@/app/api/tutor/schema"; export const y = x;`],
  ["lib/foo/planted.ts", `import { x } from "@/test/fixtures/x"; export const y = x;`],
  ["lib/foo/planted.ts", `import { x } from "../../components/x.tsx"; export const y = x;`],
  ["lib/foo/planted.ts", `import { x } from "../../app/x.ts"; export const y = x;`],
  ["lib/planted.ts", `import { x } from "../test/x"; export const y = x;`],
  ["lib/foo/planted.ts", `export { x } from "../../components/x";`],
  ["lib/foo/planted.ts", `import type { X } from "@/app/x"; export type Y = X;`],
  ["lib/foo/planted.ts", `export async function y() { return import("@/components/x"); }`, "no-restricted-syntax"],
  // components/ never imports app/ (nor test/)
  ["components/foo/planted.tsx", `import { x } from "@/app/x"; export const y = x;`],
  ["components/foo/planted.tsx", `import { x } from "../../app/(auth)/actions.ts"; export const y = x;`],
  ["components/foo/planted.tsx", `import { x } from "@/test/x"; export const y = x;`],
  // app/ never imports test/
  ["app/foo/planted.ts", `import x from "@/test/fixtures/traces/x.json"; export const y = x;`],
  ["app/foo/planted.ts", `import x from "../../test/x"; export const y = x;`],
  // the engine core never imports Next, Auth.js, Prisma, lib/db, lib/http or lib/auth
  ["lib/llm/planted.ts", `import { NextResponse } from "next/server"; export const y = NextResponse;`],
  ["lib/llm/planted.ts", `import { x } from "next"; export const y = x;`],
  ["lib/llm/planted.ts", `import NextAuth from "next-auth"; export const y = NextAuth;`],
  ["lib/llm/planted.ts", `import { PrismaClient } from "@prisma/client"; export const y = PrismaClient;`],
  ["lib/llm/planted.ts", `import { getPrisma } from "@/lib/db"; export const y = getPrisma;`],
  ["lib/llm/planted.ts", `import { x } from "@/lib/generated/prisma/client"; export const y = x;`],
  ["lib/llm/planted.ts", `import { jsonError } from "../http/responses.ts"; export const y = jsonError;`],
  ["lib/llm/planted.ts", `import { x } from "@/lib/http/rate-limit"; export const y = x;`],
  ["lib/llm/planted.ts", `import type { X } from "../auth"; export type Y = X;`],
  ["lib/llm/browser/planted.ts", `import { getPrisma } from "../../db/index.ts"; export const y = getPrisma;`],
  // …and keeps lib/'s rules
  ["lib/llm/planted.ts", `import { x } from "@/components/x"; export const y = x;`],
  // one import style inside lib/: relative, with the extension
  ["lib/foo/planted.ts", `import { x } from "@/lib/llm/trace"; export const y = x;`],
  ["lib/foo/planted.ts", `import { x } from "../llm/trace"; export const y = x;`],
  ["lib/foo/planted.ts", `export { x } from "./bar";`],
];

const LEGAL: [file: string, code: string][] = [
  ["lib/foo/planted.ts", `import data from "./data.json"; import { x } from "./retrieval/index.ts"; export const y = [data, x];`],
  ["lib/foo/planted.ts", `import { x } from "../llm/trace.ts"; export const y = x;`],
  ["lib/foo/planted.ts", `import { x } from "../http/rate-limit.ts"; export const y = x;`],
  ["lib/llm/planted.ts", `import { x } from "./trace.ts"; export const y = x;`],
  ["lib/llm/server/planted.ts", `import { NextResponse } from "next/server"; import { x } from "../../auth/index.ts"; export const y = [NextResponse, x];`],
  ["components/foo/planted.tsx", `import { x } from "@/lib/auth/actions"; import { z } from "../bar/z"; export const y = [x, z];`],
  ["app/foo/planted.ts", `import { x } from "@/components/x"; import { z } from "@/lib/inspector/sample-traces/z"; export const y = [x, z];`],
];

describe("layer rules", () => {
  it.each(ILLEGAL)("%s: %s is reported", async (file, code, rule = "no-restricted-imports") => {
    const messages = await lint(file, code);
    expect(messages.map((m) => m.ruleId)).toContain(rule);
    expect(messages.find((m) => m.ruleId === rule)?.severity).toBe(2);
  });

  it.each(LEGAL)("%s: %s is not", async (file, code) => {
    const messages = await lint(file, code);
    expect(messages.filter((m) => LAYER_RULES.includes(m.ruleId ?? ""))).toEqual([]);
    expect(messages.filter((m) => m.fatal)).toEqual([]);
  });
});
