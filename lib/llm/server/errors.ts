/**
 * What can go wrong with a generation on the server, as typed errors that carry their HTTP
 * status. Every message here is written for the client: it names the field or the limit
 * and never includes a stack, a file path of the server or an engine's internal message
 * (those are logged on the server instead).
 *
 * Before streaming starts, a route answers a GenerationError with `status` and a JSON
 * `{ error, fields? }` (see ./http.ts); once a stream is open it ends the stream with
 * `{"type":"error","error":…,"code":…}`.
 *
 * No imports: usable from the route, the queue and the tutor alike.
 */

export type GenerationErrorCode =
  | "invalid_request"
  | "unknown_model"
  | "prompt_too_long"
  | "model_unavailable"
  | "queue_full"
  | "queue_timeout"
  | "shutting_down"
  | "timeout"
  | "aborted"
  | "generation_failed";

export class GenerationError extends Error {
  constructor(
    message: string,
    readonly code: GenerationErrorCode,
    /** HTTP status when the error happens before a response is sent. */
    readonly status: number,
    /** The request field at fault, e.g. "prompt", "settings.topP", "forcedTokens.3". */
    readonly field?: string,
    /** Seconds after which trying again is sensible (Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: a request field is invalid in a way only the loaded model can tell (template roles, token ids). */
export class InvalidGenerationRequestError extends GenerationError {
  constructor(field: string, message: string) {
    super(message, "invalid_request", 400, field);
  }
}

/** 400: the model id is not in the registry (or is path-like). The message lists the known ids. */
export class UnknownServerModelError extends GenerationError {
  constructor(
    message: string,
    readonly knownIds: readonly string[],
  ) {
    super(message, "unknown_model", 400, "model");
  }
}

/** 413: the prompt, as tokens, does not leave room for one generated token in the model's context window. */
export class PromptExceedsContextError extends GenerationError {
  constructor(
    field: "prompt" | "messages" | "promptIds",
    readonly promptTokens: number,
    readonly contextLength: number,
    modelId: string,
  ) {
    super(
      `${field} is ${promptTokens} tokens; ${modelId}'s context window is ${contextLength} tokens, ` +
        `so a prompt may be at most ${contextLength - 1} tokens (the reply needs room too)`,
      "prompt_too_long",
      413,
      field,
    );
  }
}

/** 503: the model could not be loaded (files missing, no network for a hub model, corrupt weights). */
export class ModelUnavailableError extends GenerationError {
  constructor(message: string) {
    super(message, "model_unavailable", 503, "model");
  }
}

/** 503 + Retry-After: too many requests are already waiting for this model. */
export class QueueFullError extends GenerationError {
  constructor(modelId: string, waiting: number, retryAfter: number) {
    super(
      `the server is busy: ${waiting} request${waiting === 1 ? " is" : "s are"} already waiting for ${modelId}; ` +
        `try again in ${retryAfter} s`,
      "queue_full",
      503,
      undefined,
      retryAfter,
    );
  }
}

/** 503 + Retry-After: waited in the queue for as long as a generation may take, without getting a turn. */
export class QueueTimeoutError extends GenerationError {
  constructor(modelId: string, waitedMs: number, retryAfter: number) {
    super(
      `the server is busy: waited ${Math.round(waitedMs)} ms for ${modelId} without getting a turn; try again in ${retryAfter} s`,
      "queue_timeout",
      503,
      undefined,
      retryAfter,
    );
  }
}

/**
 * 503 + Retry-After: the server is shutting down (SIGTERM) and takes no new generations;
 * behind a load balancer the retry goes to another server.
 */
export class ServerShuttingDownError extends GenerationError {
  constructor(retryAfter: number) {
    super(`the server is shutting down and takes no new generations; try again in ${retryAfter} s`, "shutting_down", 503, undefined, retryAfter);
  }
}

/** The generation ran past its deadline (GLASSBOX_GENERATION_TIMEOUT_MS) and was stopped. */
export class GenerationTimeoutError extends GenerationError {
  constructor(
    readonly timeoutMs: number,
    readonly stepsDone = 0,
  ) {
    super(
      `the generation took longer than ${timeoutMs} ms and was stopped` +
        (stepsDone > 0 ? ` after ${stepsDone} token${stepsDone === 1 ? "" : "s"}` : ""),
      "timeout",
      504,
    );
  }
}

/** The caller went away (client disconnected, cancel()). 499 is nginx's "client closed request". */
export class GenerationAbortedError extends GenerationError {
  constructor(message = "the generation was cancelled") {
    super(message, "aborted", 499);
  }
}

/** The model failed while generating (an engine error). The cause is logged, not sent. */
export class GenerationFailedError extends GenerationError {
  constructor(stepsDone: number) {
    super(
      `the model failed while generating${stepsDone > 0 ? ` (after ${stepsDone} token${stepsDone === 1 ? "" : "s"})` : ""}; ` +
        `the request was stopped and the server is ready for the next one`,
      "generation_failed",
      500,
    );
  }
}
