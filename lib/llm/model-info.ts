/**
 * GET /api/models, from both ends: what the server says about each model (lib/llm/server/models.ts
 * builds it) and the one browser-side fetch of it (the tutor's model picker, the labs' model bar).
 *
 * Isomorphic: types from the registry, and fetch (the engine core does not import the app's HTTP
 * glue, so the error is read here in two lines).
 */
import type { Dtype, ModelEntry } from "./registry.ts";

/** What GET /api/models says about one model. */
export interface ModelInfo {
  id: string;
  label: string;
  description: string;
  kind: ModelEntry["kind"];
  /** Loading may need the network (a hub download on first use). */
  needsNetwork: boolean;
  /** Its files are on this server: it works offline. Hub models: true once downloaded (cached) or loaded. */
  availableOffline: boolean;
  /** Loaded in this server process right now (the next request starts without loading). */
  loaded: boolean;
  /** Why a folder model is unavailable (missing files). */
  unavailableReason?: string;
  defaultDtype: Dtype;
  dtypes: readonly Dtype[];
  parameters?: string;
  license?: string;
  /** Hub models: where the files come from, and roughly how much a download is. */
  repo?: string;
  approxDownloadMB?: Partial<Record<Dtype, number>>;
  /** Hub models: the server's cache folder for it (as files.ts displayCacheDir names it): delete it to remove the download. */
  cacheDir?: string;
  /** Embedded models: the same-origin URL the browser backend loads from. */
  urlPath?: string;
  /** The default model gets no `model` field in requests. */
  default: boolean;
}

/** The body of GET /api/models. */
export interface ModelsResponse {
  /** The id requests use when they name no model. */
  default: string | null;
  models: ModelInfo[];
}

/** GET /api/models, fresh (the server's "loaded" and availability can change); an error carries the server's message. */
export async function fetchModels(): Promise<ModelInfo[]> {
  const response = await fetch("/api/models", { cache: "no-store" });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    throw new Error(`GET /api/models: ${body?.error ?? `the server answered ${response.status}`}`);
  }
  return ((await response.json()) as ModelsResponse).models;
}
