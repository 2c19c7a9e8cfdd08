"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { z } from "zod";

/** What a submission found wrong: a message for the whole form and/or one per field. */
export type SubmitResult = { ok: true } | { ok: false; error?: string; fields?: Record<string, string> };

/**
 * The sign-in and sign-up forms' shared behaviour: read the fields, check them with the same zod
 * schema the server uses (messages under each field), submit, show what the server said, and on
 * success go to `callbackUrl`. Each form supplies only its fields and its submission.
 */
export function useCredentialsForm<S extends z.ZodType>(options: {
  schema: S;
  fields: readonly string[];
  submit: (data: z.output<S>) => Promise<SubmitResult>;
  callbackUrl: string;
}) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = options.schema.safeParse(Object.fromEntries(options.fields.map((name) => [name, form.get(name)])));
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setFieldErrors({});
    setError(null);
    setPending(true);
    const result = await options.submit(parsed.data);
    if (!result.ok) {
      if (result.fields) setFieldErrors(result.fields);
      if (result.error) setError(result.error);
      setPending(false);
      return;
    }
    router.replace(options.callbackUrl);
    router.refresh();
  }

  return { pending, error, fieldErrors, onSubmit };
}
