/**
 * What every CLI here does before its real work: name itself in errors (exit 2 with the usage for
 * a bad flag, 1 for a failure), read its flags, and keep stdout for the result.
 */
import { keepStdoutForResults } from "./stdout.ts";
import { UsageError } from "./sampling-flags.ts";

export type Fail = (code: 1 | 2, message: string) => never;

/** `fail(code, message)` for the CLI `name`: "name: message" on stderr (and the usage for code 2), then exit. */
export function cliFail(name: string, usage: string): Fail {
  return (code, message) => {
    process.stderr.write(`${name}: ${message}\n${code === 2 ? `${usage}\n` : ""}`);
    process.exit(code);
  };
}

/** The parsed command line (a UsageError exits 2 with the usage), with stdout kept for the result from here on. */
export function startCli<T>(parse: (argv: string[]) => T, fail: Fail): T {
  let cli: T;
  try {
    cli = parse(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) fail(2, error.message);
    throw error;
  }
  keepStdoutForResults();
  return cli;
}
