"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { signInWithPassword } from "@/lib/auth/client";
import { signUpSchema } from "@/lib/auth/credentials";
import { Field } from "@/components/ui/field";
import { FormError, SubmitButton } from "../auth-card";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { name: form.get("name"), email: form.get("email"), password: form.get("password") };
    const parsed = signUpSchema.safeParse(input);
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setFieldErrors({});
    setError(null);
    setPending(true);
    try {
      const response = await fetch("/api/signup", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(parsed.data),
      });
      const body = (await response.json().catch(() => ({}))) as { error?: string; fields?: Record<string, string> };
      if (!response.ok) {
        if (body.fields) setFieldErrors(body.fields);
        if (!body.fields || response.status === 429) setError(body.error ?? `Sign-up failed (HTTP ${response.status}).`);
        setPending(false);
        return;
      }
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
      setPending(false);
      return;
    }
    const signedIn = await signInWithPassword(parsed.data.email, parsed.data.password);
    if (!signedIn.ok) {
      setError(signedIn.error);
      setPending(false);
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

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
