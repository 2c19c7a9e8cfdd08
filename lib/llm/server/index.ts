import "server-only";

/**
 * The Node inference backend: one shared model per id per process, a bounded FIFO queue
 * per model, continuous batching of its generations (../batch.ts), deadlines and
 * cancellation around the one decode loop. Routes import from here.
 */
export { serverLlmConfig, type ServerLlmConfig } from "./config.ts";
export * from "./errors.ts";
export { ActiveGeneration, runGeneration, startGeneration, type GenerationRequest } from "./generation.ts";
export { drainGenerations, isDraining, SHUTDOWN_RETRY_AFTER_S, type DrainResult } from "./drain.ts";
export { generationErrorResponse, ndjsonResponse, streamErrorEvent } from "./http.ts";
export { batcherFor, describeModels, getServerModel, queueFor, resolveServerModel, unloadServerModels, type ModelInfo } from "./models.ts";
export { createGenerationLimiters, limitGeneration, type GenerationLimiters } from "./rate-limit.ts";
export { loadedModelIds } from "./state.ts";
