/**
 * Response bodies of the course API, shared by the route handlers and the browser code
 * that calls them (types only: nothing here runs).
 */
import type { ProgressDashboard } from "./dashboard.ts";
import type { QuizResult } from "./grading.ts";
import type { LessonProgressView } from "./progress-store.ts";

/** `POST /api/quiz/[lesson]/attempts` → 201 (stored) | 200 (replayed, or anonymous) */
export type AttemptResponse =
  | { saved: true; attemptId: string; replayed: boolean; result: QuizResult; progress: LessonProgressView }
  | { saved: false; result: QuizResult };

/** `POST /api/progress/[lesson]/read` → 200 */
export interface ReadResponse {
  progress: LessonProgressView;
}

/** `GET /api/progress` → 200 */
export type ProgressResponse = ProgressDashboard;

/** Every 4xx/5xx body (lib/http/responses.ts). */
export interface ErrorResponse {
  error: string;
  fields?: Record<string, string>;
}
