/**
 * course-lm's training log (public/models/course-lm/training-log.json, written by
 * scripts/train/), validated and reduced to what the training-curve demo draws. Nothing
 * here knows the numbers: a retrained model's log is read the same way.
 */
import { z } from "zod";

const stepSchema = z.object({ step: z.number().int().nonnegative(), loss: z.number(), lr: z.number(), tokens: z.number().nonnegative(), time_s: z.number().nonnegative() });
const evalSchema = z.object({ step: z.number().int().nonnegative(), tokens: z.number().nonnegative(), train_loss: z.number(), val_loss: z.number(), time_s: z.number().nonnegative() });

export const trainingLogSchema = z.object({
  model: z.string(),
  parameters: z.number().int().positive(),
  train_args: z.object({ steps: z.number().int().positive(), warmup: z.number().int().nonnegative(), lr: z.number().positive(), min_lr_ratio: z.number().nonnegative().optional(), batch_size: z.number().int().positive().optional(), seq_len: z.number().int().positive().optional() }).loose(),
  data: z.object({ train_tokens: z.number().int().positive(), val_tokens: z.number().int().nonnegative().optional() }).loose(),
  tokens_per_step: z.number().int().positive().optional(),
  steps: z.array(stepSchema).min(1),
  eval: z.array(evalSchema),
  final: z
    .object({
      step: z.number().int(),
      tokens_seen: z.number(),
      epochs: z.number().optional(),
      train_loss: z.number(),
      val_loss: z.number(),
      wall_time_s: z.number(),
      tokens_per_s: z.number(),
    })
    .loose(),
}).loose();

export type TrainingLog = z.infer<typeof trainingLogSchema>;

export interface TrainingCurve {
  model: string;
  parameters: number;
  trainTokens: number;
  steps: { step: number; tokens: number; loss: number; lr: number }[];
  evals: { step: number; tokens: number; trainLoss: number; valLoss: number }[];
  warmupSteps: number;
  totalSteps: number;
  peakLr: number;
  final: {
    step: number;
    tokensSeen: number;
    epochs: number | null;
    trainLoss: number;
    valLoss: number;
    trainPerplexity: number;
    valPerplexity: number;
    wallTimeS: number;
    tokensPerS: number;
  };
}

/** Parse the log (throws a zod error naming the bad field) into the demo's data. */
export function trainingCurve(json: unknown): TrainingCurve {
  const log = trainingLogSchema.parse(json);
  const f = log.final;
  return {
    model: log.model,
    parameters: log.parameters,
    trainTokens: log.data.train_tokens,
    steps: log.steps.map((s) => ({ step: s.step, tokens: s.tokens, loss: s.loss, lr: s.lr })),
    evals: log.eval.map((e) => ({ step: e.step, tokens: e.tokens, trainLoss: e.train_loss, valLoss: e.val_loss })),
    warmupSteps: log.train_args.warmup,
    totalSteps: log.train_args.steps,
    peakLr: log.train_args.lr,
    final: {
      step: f.step,
      tokensSeen: f.tokens_seen,
      epochs: f.epochs ?? null,
      trainLoss: f.train_loss,
      valLoss: f.val_loss,
      // Perplexity is e^loss (loss in nats per token), computed rather than copied so the
      // demo shows the relation the lesson teaches.
      trainPerplexity: Math.exp(f.train_loss),
      valPerplexity: Math.exp(f.val_loss),
      wallTimeS: f.wall_time_s,
      tokensPerS: f.tokens_per_s,
    },
  };
}
