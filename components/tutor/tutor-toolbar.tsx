"use client";

import { useSyncExternalStore } from "react";
import { browserEngineSupported } from "@/lib/llm/browser/client";
import { DEFAULT_MODEL_ID } from "@/lib/llm/registry";
import type { ModelOption } from "@/lib/tutor/client/api";
import type { Backend } from "./use-tutor-chat";
import { Button } from "@/components/ui/button";

const noSubscription = () => () => {};

/** Shown until GET /api/models answers (or when it lists nothing this backend can run). */
const FALLBACK_MODEL = { id: DEFAULT_MODEL_ID, label: DEFAULT_MODEL_ID, availableOffline: true, needsNetwork: false } as ModelOption;

/** The chat's settings bar: where the model runs, which model, and (anonymous) a new conversation. */
export function TutorToolbar({
  backend,
  onBackend,
  modelId,
  onModel,
  models,
  busy,
  onNew,
  chatEmpty,
}: {
  backend: Backend;
  onBackend: (backend: Backend) => void;
  modelId: string;
  onModel: (id: string) => void;
  models: ModelOption[] | null;
  busy: boolean;
  /** Given: a "New conversation" button (anonymous; signed in, the conversation list has one). */
  onNew?: () => void;
  /** Nothing to start over from: the button is disabled. */
  chatEmpty: boolean;
}) {
  const browserOk = useSyncExternalStore(noSubscription, browserEngineSupported, () => false);
  const available = (models ?? []).filter((m) => (backend === "browser" ? m.kind !== "local" : true));

  return (
    <div className="flex flex-wrap items-end gap-x-4 gap-y-3 rounded-xl border border-slate-200 px-3 py-2.5 text-sm dark:border-slate-800">
      <fieldset className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <legend className="sr-only">Where the model runs</legend>
        <span className="font-medium">Run on</span>
        <label className="inline-flex cursor-pointer items-center gap-1.5">
          <input type="radio" name="backend" value="server" checked={backend === "server"} onChange={() => onBackend("server")} disabled={busy} className="accent-brand-600" />
          the server
        </label>
        <label className="inline-flex cursor-pointer items-center gap-1.5" title={browserOk ? undefined : "This browser cannot run the model (no module workers)"}>
          <input type="radio" name="backend" value="browser" checked={backend === "browser"} onChange={() => onBackend("browser")} disabled={busy || !browserOk} className="accent-brand-600" />
          in my browser
        </label>
      </fieldset>
      <label className="flex items-center gap-2">
        <span className="font-medium">Model</span>
        <select
          value={modelId}
          onChange={(e) => onModel(e.target.value)}
          disabled={busy}
          className="max-w-[14rem] rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
        >
          {(available.length ? available : [FALLBACK_MODEL]).map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
              {m.availableOffline ? "" : m.needsNetwork ? " (download needed; unavailable offline)" : " (unavailable)"}
            </option>
          ))}
        </select>
      </label>
      {onNew && (
        <Button type="button" onClick={onNew} disabled={busy || chatEmpty} variant="secondary" size="sm" className="ml-auto">
          New conversation
        </Button>
      )}
    </div>
  );
}
