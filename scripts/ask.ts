/**
 * `npm run ask -- [options] "QUESTION"` — ask the tutor from the shell: the same pipeline as
 * POST /api/tutor (retrieval over the lessons, the prompt built within the context window,
 * the traced decode loop), one question, no conversation.
 *
 *   --json                    print exactly one JSON object on stdout, nothing else:
 *                             { "answer": string,
 *                               "sources": [{ "lesson": slug, "section": section slug, "title": "Lesson § Section", "score": number }],
 *                               "trace": Trace }
 *                             (sources: the lesson sections that went into the prompt, best first.
 *                              When nothing in the course matches, "answer" is the tutor's fixed
 *                              "not in the course" reply, "sources" is [] and "trace" is null:
 *                              the model is not run.)
 *   --model ID                registry id (default course-lm)
 *   --temperature T  --top-k K  --top-p P  --min-p M
 *   --repetition-penalty R  --presence-penalty X  --frequency-penalty X
 *   --max-new-tokens N  --seed S  --greedy          as in `npm run generate`
 *
 * Without --json: the answer, its sources with links, and a line about the prompt and reply.
 * Exit codes: 0 done; 1 the model could not load or failed; 2 bad flags or question.
 * stdout carries only the result (use `npm run -s ask -- … --json` when piping: `npm run`
 * prints its own header).
 */
import { parseArgs } from "node:util";
import { MAX_MESSAGE_CHARS } from "../lib/tutor/settings.ts";
import { cliFail, startCli, type Fail } from "./lib/cli.ts";
import { checkSamplingAndModel, joinNegativeValues, SAMPLING_USAGE, samplingOptions, samplingSettings, UsageError } from "./lib/sampling-flags.ts";
import type { Trace } from "../lib/llm/trace.ts";
import type { Source } from "../lib/tutor/types.ts";

const USAGE = `usage: npm run ask -- [--json] [--model ID] "QUESTION"
         ${SAMPLING_USAGE}`;


// Annotated, so that TypeScript knows a call to it ends the program (control-flow narrowing).
const fail: Fail = cliFail("ask", USAGE);

function parseCli(argv: string[]) {
  const options = {
    model: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
    ...samplingOptions,
  } as const;
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv), options, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (positionals.length === 0) throw new UsageError("a QUESTION is required");
  if (positionals.length > 1) throw new UsageError(`one QUESTION, in quotes (got ${positionals.length} arguments)`);
  const question = positionals[0].trim();
  if (question.length === 0) throw new UsageError("the question must not be empty");
  if (question.length > MAX_MESSAGE_CHARS) throw new UsageError(`the question is too long: at most ${MAX_MESSAGE_CHARS} characters`);
  return { question, model: typeof values.model === "string" ? values.model : undefined, settings: samplingSettings(values), json: values.json === true };
}

interface Answer {
  answer: string;
  sources: { lesson: string; section: string; title: string; score: number }[];
  trace: Trace | null;
}

function cliSources(sources: readonly Source[]): Answer["sources"] {
  return sources
    .filter((s) => s.used)
    .map((s) => ({ lesson: s.lessonSlug, section: s.sectionSlug, title: `${s.lessonTitle} § ${s.heading}`, score: s.score }));
}

function human(result: Answer, all: readonly Source[], context: string | null): string {
  const lines = [result.answer || "(the model wrote no text)", ""];
  if (all.length > 0) {
    lines.push("Sources:");
    for (const s of all) lines.push(`  ${s.lessonTitle} § ${s.heading}  (${s.href}, score ${s.score.toFixed(1)}${s.used ? "" : ", not in the prompt"})`);
  } else lines.push("Not generated: nothing in the course matched, so the model was not asked.");
  if (result.trace) {
    const t = result.trace;
    const ppl = t.steps.length ? Math.exp(-t.steps.reduce((a, s) => a + s.logprob, 0) / t.steps.length) : null;
    lines.push(
      "",
      `${t.model.id} · ${t.steps.length} tokens · finish: ${t.finishReason} · perplexity ${ppl === null ? "—" : ppl.toFixed(2)} · seed ${t.settings.seed}`,
    );
  }
  if (context) lines.push(context);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const cli = startCli(parseCli, fail);

  const { withTutorDefaults } = await import("../lib/tutor/settings.ts");
  // The tutor's own default temperature, as /tutor samples (flags override it).
  const { settings, entry } = await checkSamplingAndModel({ ...cli, settings: withTutorDefaults(cli.settings) }, fail);

  const { retrieveForQuestion } = await import("../lib/tutor/retrieval/index.ts");
  const { fallbackPlan, planTurn } = await import("../lib/tutor/plan.ts");
  const retrieval = retrieveForQuestion(cli.question);

  let result: Answer;
  let all: Source[] = [];
  let contextLine: string | null = null;
  if (retrieval.passages.length === 0) {
    result = { answer: fallbackPlan(retrieval).text, sources: [], trace: null };
  } else {
    const [{ loadRegistryModel }, { decode }, { QuestionTooLongError }, { generationInput, promptToolsFor }] = await Promise.all([
      import("../lib/llm/server/files.ts"),
      import("../lib/llm/decode.ts"),
      import("../lib/tutor/prompt.ts"),
      import("../lib/tutor/model-prompt.ts"),
    ]);
    let model;
    try {
      model = await loadRegistryModel(entry);
    } catch (error) {
      fail(1, `could not load ${entry.id}: ${(error as Error).message}`);
    }
    const controller = new AbortController();
    process.once("SIGINT", () => controller.abort());
    let trace: Trace | undefined;
    try {
      let plan;
      try {
        plan = planTurn({ question: cli.question, retrieval, history: [], ...promptToolsFor(model) });
      } catch (error) {
        if (error instanceof QuestionTooLongError) fail(2, error.message);
        throw error;
      }
      if (plan.kind !== "generate") throw new Error("unreachable: retrieval found passages");
      all = plan.grounding.sources;
      const c = plan.prompt.context;
      contextLine = `prompt: ${c.used} of ${c.limit} tokens (${c.passages} lesson passage${c.passages === 1 ? "" : "s"}${c.trimmedPassages ? `, ${c.trimmedPassages} shortened` : ""}${c.droppedPassages ? `, ${c.droppedPassages} left out` : ""})`;
      for await (const event of decode({ model, ...generationInput(plan.prompt), settings, signal: controller.signal })) {
        if (event.type === "done") trace = event.trace;
      }
    } catch (error) {
      fail(1, `generation failed: ${(error as Error).message}`);
    } finally {
      await model.dispose();
    }
    if (!trace) fail(1, "generation ended without a trace");
    result = { answer: trace.reply.text, sources: cliSources(all), trace };
  }

  const out = cli.json ? `${JSON.stringify(result)}\n` : `${human(result, all, contextLine)}\n`;
  await new Promise<void>((resolve, reject) => process.stdout.write(out, (error) => (error ? reject(error) : resolve())));
}

main().catch((error: unknown) => fail(1, error instanceof Error ? error.message : String(error)));
