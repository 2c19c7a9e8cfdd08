"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ErrorResponse } from "@/lib/course/api-types";

/** "Mark as read" for a signed-in learner; once read it says so (reading is never undone). */
export function MarkReadButton({ lesson, read, signInHref }: { lesson: string; read: boolean; signInHref: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(read);
  const [error, setError] = useState<{ message: string; signIn: boolean } | null>(null);

  async function markRead() {
    setPending(true);
    setError(null);
    try {
      const res = await fetch(`/api/progress/${lesson}/read`, { method: "POST" });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as ErrorResponse | null;
        setError({ message: body?.error ?? `The server answered ${res.status}.`, signIn: res.status === 401 });
        return;
      }
      setDone(true);
      router.refresh();
    } catch {
      setError({ message: "Could not reach the server. Try again.", signIn: false });
    } finally {
      setPending(false);
    }
  }

  if (done || read) {
    return (
      <p className="inline-flex items-center gap-2 text-sm font-medium text-emerald-700 dark:text-emerald-400" data-testid="lesson-read">
        <span aria-hidden>✓</span> You have read this lesson
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <button
        type="button"
        onClick={markRead}
        disabled={pending}
        className="self-start rounded-lg border border-brand-500 px-4 py-2 font-medium text-brand-700 hover:bg-brand-50 disabled:opacity-60 dark:text-brand-400 dark:hover:bg-slate-900"
      >
        {pending ? "Saving…" : "Mark as read"}
      </button>
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error.message}{" "}
          {error.signIn && (
            <Link href={signInHref} className="underline">
              Sign in
            </Link>
          )}
        </p>
      )}
    </div>
  );
}
