"use client";

import { signInWithPassword } from "@/lib/auth/client";
import { signInSchema } from "@/lib/auth/credentials";
import { Field } from "@/components/ui/field";
import { FormError, SubmitButton } from "../auth-card";
import { useCredentialsForm } from "../use-credentials-form";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const { pending, error, fieldErrors, onSubmit } = useCredentialsForm({
    schema: signInSchema,
    fields: ["email", "password"],
    submit: (data) => signInWithPassword(data.email, data.password),
    callbackUrl,
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <FormError message={error} />
      <Field label="Email" name="email" type="email" autoComplete="email" required error={fieldErrors.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required error={fieldErrors.password} />
      <SubmitButton pending={pending}>{pending ? "Signing in…" : "Sign in"}</SubmitButton>
    </form>
  );
}
