/**
 * `npm run generate -- --prompt TEXT [options]` — run a model with Glassbox's traced decode
 * loop (the same lib/llm code as the server and the browser) and show how each token was
 * chosen.
 *
 *   --prompt TEXT             text to continue (required)
 *   --chat                    treat TEXT as a user message: apply the model's chat template
 *   --model ID                registry id (default course-lm; "local" = GLASSBOX_MODEL_DIR)
 *   --temperature T  --top-k K  --top-p P  --min-p M
 *   --repetition-penalty R  --presence-penalty X  --frequency-penalty X
 *   --max-new-tokens N  --seed S  --greedy
 *   --json                    print exactly one Trace JSON object on stdout, nothing else
 *   --internals               also record each step's attention and logit lens (lib/llm/internals.ts;
 *                             course-lm only: it loads the internals graph); the table adds the lens
 *
 * Without --json: the reply, then one row per generated token — step, the token as the
 * model produced it (quoted; partial UTF-8 bytes as <0xF0>), its probability under the
 * model (p) and in the distribution actually sampled from (p final), its rank by logit,
 * how many tokens survived top-k / top-p / min-p, the entropy of the sampled-from
 * distribution and the draw u.
 *
 * Exit codes: 0 done; 1 the model could not load or failed; 2 bad flags or input.
 * stdout carries only the result; logs and library warnings go to stderr. (`npm run`
 * itself prints a header on stdout: use `npm run -s generate -- … --json` or
 * `npx tsx scripts/generate.ts … --json` when piping the JSON.)
 */
import { parseArgs } from "node:util";
import { cliFail, startCli, type Fail } from "./lib/cli.ts";
import { checkSamplingAndModel, joinNegativeValues, SAMPLING_USAGE, samplingOptions, samplingSettings, UsageError } from "./lib/sampling-flags.ts";
import type { Trace, TraceStep } from "../lib/llm/trace.ts";

const USAGE = `usage: npm run generate -- --prompt TEXT [--chat] [--model ID] [--json] [--internals]
         ${SAMPLING_USAGE}`;

// Annotated, so that TypeScript knows a call to it ends the program (control-flow narrowing).
const fail: Fail = cliFail("generate", USAGE);

function parseCli(argv: string[]) {
  const options = {
    prompt: { type: "string" },
    chat: { type: "boolean" },
    model: { type: "string" },
    json: { type: "boolean" },
    internals: { type: "boolean" },
    help: { type: "boolean", short: "h" },
    ...samplingOptions,
  } as const;
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: joinNegativeValues(argv), options, strict: true, allowPositionals: false }).values as typeof values;
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const prompt = values.prompt;
  if (typeof prompt !== "string") throw new UsageError("--prompt TEXT is required");
  if (prompt.length === 0) throw new UsageError("--prompt must not be empty");
  return {
    prompt,
    chat: values.chat === true,
    model: typeof values.model === "string" ? values.model : undefined,
    settings: samplingSettings(values),
    json: values.json === true,
    internals: values.internals === true,
  };
}

// ─── Table ────────────────────────────────────────────────────────────────────────────

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : " ".repeat(n - s.length) + s);

function row(step: TraceStep): string {
  const chosen = step.candidates.find((c) => c.id === step.tokenId);
  const k = step.kept;
  return [
    lpad(String(step.index), 4),
    pad(JSON.stringify(step.text), 18),
    lpad(Math.exp(step.logprob).toFixed(4), 7),
    lpad((chosen?.probFinal ?? 0).toFixed(4), 7),
    lpad(String(step.rank), 5),
    pad(`${k.afterTopK}/${k.afterTopP}/${k.afterMinP}`, 14),
    lpad(step.entropy.toFixed(3), 7),
    lpad(step.u === null ? (step.forced ? "forced" : "—") : step.u.toFixed(4), 7),
  ].join("  ");
}

/** The logit lens under a step: each layer's top token and its probability, first layer first. */
function lensRow(step: TraceStep): string {
  return `        lens: ${step.logitLens!.map((layer, i) => `L${i} ${JSON.stringify(layer[0]!.text)} ${layer[0]!.prob.toFixed(2)}`).join(" · ")}`;
}

function table(trace: Trace): string {
  const header = [lpad("step", 4), pad("token", 18), lpad("p", 7), lpad("p final", 7), lpad("rank", 5), pad("kept k/p/min", 14), lpad("entropy", 7), lpad("u", 7)].join("  ");
  const s = trace.settings;
  const ppl = trace.steps.length ? Math.exp(-trace.steps.reduce((a, x) => a + x.logprob, 0) / trace.steps.length) : null;
  return [
    `${trace.model.id} (${trace.model.dtype}, ${trace.model.revision.slice(0, 19)}) · ` +
      (s.greedy || s.temperature === 0
        ? "greedy"
        : `temperature ${s.temperature} · top-k ${s.topK} · top-p ${s.topP} · min-p ${s.minP} · seed ${s.seed}`) +
      (s.repetitionPenalty !== 1 ? ` · repetition ${s.repetitionPenalty}` : "") +
      (s.presencePenalty !== 0 ? ` · presence ${s.presencePenalty}` : "") +
      (s.frequencyPenalty !== 0 ? ` · frequency ${s.frequencyPenalty}` : ""),
    `prompt: ${trace.prompt.tokens.length} tokens · vocabulary ${trace.vocabSize} · context ${trace.contextLength}`,
    "",
    trace.reply.text,
    "",
    header,
    ...trace.steps.flatMap((step) => [row(step), ...(step.logitLens ? [lensRow(step)] : [])]),
    "",
    `finish: ${trace.finishReason} · ${trace.steps.length} tokens · ` +
      `${trace.timings.tokensPerSecond === null ? "—" : trace.timings.tokensPerSecond.toFixed(1)} tok/s · ` +
      `prefill ${trace.timings.prefillMs.toFixed(1)} ms · perplexity ${ppl === null ? "—" : ppl.toFixed(3)}`,
  ].join("\n");
}

// ─── Main ─────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const cli = startCli(parseCli, fail);

  const { settings, entry } = await checkSamplingAndModel(cli, fail);
  if (cli.internals && !entry.internals) fail(2, `--internals: ${entry.id} has no internals graph (course-lm has one)`);

  const [{ loadRegistryModel }, { decode, PromptTooLongError }] = await Promise.all([
    import("../lib/llm/server/files.ts"),
    import("../lib/llm/decode.ts"),
  ]);
  let model;
  try {
    model = await loadRegistryModel(entry, { internals: cli.internals });
  } catch (error) {
    fail(1, `could not load ${entry.id}: ${(error as Error).message}`);
  }

  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  let trace: Trace | undefined;
  try {
    const input = cli.chat ? { messages: [{ role: "user", content: cli.prompt }] } : { prompt: cli.prompt };
    for await (const event of decode({ model, ...input, settings, signal: controller.signal, internals: cli.internals })) {
      if (event.type === "done") trace = event.trace;
    }
  } catch (error) {
    if (error instanceof PromptTooLongError) fail(2, `--prompt: ${error.message}`);
    if (error instanceof RangeError) fail(2, `--prompt: ${error.message}`);
    fail(1, `generation failed: ${(error as Error).message}`);
  } finally {
    await model.dispose();
  }
  if (!trace) fail(1, "generation ended without a trace");

  const out = cli.json ? `${JSON.stringify(trace)}\n` : `${table(trace)}\n`;
  await new Promise<void>((resolve, reject) => process.stdout.write(out, (error) => (error ? reject(error) : resolve())));
}

main().catch((error: unknown) => fail(1, error instanceof Error ? error.message : String(error)));
