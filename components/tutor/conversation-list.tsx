"use client";

import { useState } from "react";
import type { ConversationSummary } from "@/lib/tutor/conversations-types";
import { Button } from "@/components/ui/button";

interface Props {
  conversations: ConversationSummary[] | null;
  activeId: string | null;
  disabled: boolean;
  onOpen: (id: string) => void;
  onNew: () => void;
  onRename: (id: string, title: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
  error: string | null;
}

/** The signed-in learner's saved conversations: open, rename (inline), delete (after a confirmation). */
export function ConversationList({ conversations, activeId, disabled, onOpen, onNew, onRename, onDelete, error }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [confirming, setConfirming] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);

  const saveRename = async (id: string) => {
    const title = draft.trim();
    if (!title) return;
    setPending(id);
    try {
      await onRename(id, title);
      setEditing(null);
    } finally {
      setPending(null);
    }
  };

  return (
    <nav aria-label="Saved conversations" className="flex flex-col gap-2">
      <Button
        type="button"
        onClick={onNew}
        disabled={disabled}
        variant="primary"
      >
        New conversation
      </Button>
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {conversations === null ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">Loading conversations…</p>
      ) : conversations.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">No saved conversations yet. Ask a question to start one.</p>
      ) : (
        <ul className="flex flex-col gap-0.5" data-testid="conversation-list">
          {conversations.map((c) => (
            <li key={c.id} data-conversation-id={c.id}>
              {editing === c.id ? (
                <form
                  className="flex flex-col gap-1 rounded-lg bg-slate-50 p-2 dark:bg-slate-900"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void saveRename(c.id);
                  }}
                >
                  <label className="text-xs font-medium" htmlFor={`rename-${c.id}`}>
                    New title
                  </label>
                  <input
                    id={`rename-${c.id}`}
                    autoFocus
                    value={draft}
                    maxLength={120}
                    onChange={(e) => setDraft(e.target.value)}
                    onKeyDown={(e) => e.key === "Escape" && setEditing(null)}
                    className="rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950"
                  />
                  <div className="flex gap-2 text-xs">
                    <button type="submit" disabled={pending === c.id || !draft.trim()} className="rounded bg-brand-600 px-2 py-1 font-medium text-white disabled:opacity-50">
                      Save
                    </button>
                    <button type="button" onClick={() => setEditing(null)} className="rounded px-2 py-1 hover:bg-slate-200 dark:hover:bg-slate-800">
                      Cancel
                    </button>
                  </div>
                </form>
              ) : confirming === c.id ? (
                <div role="alertdialog" aria-label={`Delete “${c.title}”?`} className="rounded-lg border border-red-200 bg-red-50 p-2 text-sm dark:border-red-900 dark:bg-red-950/40">
                  <p>Delete “{c.title}” and all its replies?</p>
                  <div className="mt-1 flex gap-2 text-xs">
                    <button
                      type="button"
                      autoFocus
                      disabled={pending === c.id}
                      onClick={async () => {
                        setPending(c.id);
                        try {
                          await onDelete(c.id);
                        } finally {
                          setPending(null);
                          setConfirming(null);
                        }
                      }}
                      className="rounded bg-red-600 px-2 py-1 font-medium text-white disabled:opacity-50"
                    >
                      Delete
                    </button>
                    <button type="button" onClick={() => setConfirming(null)} className="rounded px-2 py-1 hover:bg-red-100 dark:hover:bg-red-900/40">
                      Cancel
                    </button>
                  </div>
                </div>
              ) : (
                <div className={`group flex items-center gap-1 rounded-lg ${c.id === activeId ? "bg-brand-50 dark:bg-slate-800" : "hover:bg-slate-100 dark:hover:bg-slate-900"}`}>
                  <button
                    type="button"
                    onClick={() => onOpen(c.id)}
                    disabled={disabled}
                    aria-current={c.id === activeId ? "true" : undefined}
                    className="min-w-0 flex-1 truncate px-2 py-1.5 text-left text-sm disabled:opacity-60"
                    title={c.title}
                  >
                    {c.title}
                  </button>
                  <button
                    type="button"
                    aria-label={`Rename “${c.title}”`}
                    onClick={() => {
                      setEditing(c.id);
                      setDraft(c.title);
                    }}
                    className="rounded px-1.5 py-1 text-xs text-slate-500 hover:bg-slate-200 hover:text-slate-900 dark:hover:bg-slate-700 dark:hover:text-white"
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    aria-label={`Delete “${c.title}”`}
                    disabled={disabled && c.id === activeId}
                    onClick={() => setConfirming(c.id)}
                    className="rounded px-1.5 py-1 text-xs text-slate-500 hover:bg-red-100 hover:text-red-700 disabled:opacity-40 dark:hover:bg-red-950 dark:hover:text-red-300"
                  >
                    Delete
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
