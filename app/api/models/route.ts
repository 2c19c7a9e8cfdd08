import type { ModelsResponse } from "@/lib/llm/model-info";
import { describeModels } from "@/lib/llm/server";

/**
 * GET /api/models — the model registry as this server sees it:
 * `{ default, models: [{ id, label, description, kind, needsNetwork, availableOffline, loaded, … }] }`.
 * course-lm is available offline when its files are present; hub presets are marked
 * needsNetwork; GLASSBOX_MODEL_DIR adds "local". Nothing is loaded to answer.
 */
export async function GET() {
  const models = await describeModels();
  const body: ModelsResponse = { default: models.find((m) => m.default)?.id ?? null, models };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
}
