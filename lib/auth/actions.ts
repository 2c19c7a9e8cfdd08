"use server";

import { signOut } from "./index.ts";

/** Server actions for account forms (the header's "Sign out"). */
export async function signOutAction() {
  await signOut({ redirectTo: "/" });
}
