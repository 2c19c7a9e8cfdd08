"use client";

import type { z } from "zod";
import { signInWithPassword } from "@/lib/auth/client";
import { signUpSchema } from "@/lib/auth/credentials";
import { Field } from "@/components/ui/field";
import { FormError, SubmitButton } from "../auth-card";
import { useCredentialsForm, type SubmitResult } from "../use-credentials-form";

/** Create the account (POST /api/signup names what is wrong per field), then sign in with it. */
async function signUp(data: z.output<typeof signUpSchema>): Promise<SubmitResult> {
  try {
    const response = await fetch("/api/signup", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(data),
    });
    const body = (await response.json().catch(() => ({}))) as { error?: string; fields?: Record<string, string> };
    if (!response.ok) {
      // Field errors show under their fields; a general message only when there are none, or when rate-limited.
      const general = !body.fields || response.status === 429 ? (body.error ?? `Sign-up failed (HTTP ${response.status}).`) : undefined;
      return { ok: false, fields: body.fields, error: general };
    }
  } catch {
    return { ok: false, error: "Could not reach the server. Check your connection and try again." };
  }
  return signInWithPassword(data.email, data.password);
}

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const { pending, error, fieldErrors, onSubmit } = useCredentialsForm({ schema: signUpSchema, fields: ["name", "email", "password"], submit: signUp, callbackUrl });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <FormError message={error} />
      <Field label="Name" name="name" autoComplete="name" required error={fieldErrors.name} />
      <Field label="Email" name="email" type="email" autoComplete="email" required error={fieldErrors.email} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        error={fieldErrors.password}
        hint="At least 8 characters."
      />
      <SubmitButton pending={pending}>{pending ? "Creating account…" : "Create account"}</SubmitButton>
    </form>
  );
}
