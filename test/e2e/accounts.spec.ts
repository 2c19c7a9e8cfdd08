import { expect, test } from "@playwright/test";
import { AuthPages, uniqueEmail } from "./pages/auth";

test("sign up, sign out, sign in again, and a wrong password shows an error", async ({ page }) => {
  const auth = new AuthPages(page);
  const user = { name: "Grace", email: uniqueEmail("grace"), password: "a long passphrase" };

  await auth.signUp(user);
  await expect(page).toHaveURL(/\/learn$/);
  await auth.expectSignedInAs("Grace");

  await auth.signOut();
  await expect(page.getByTestId("account-name")).toHaveCount(0);

  await page.goto("/signin");
  await auth.signIn(user.email, "not the passphrase");
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Wrong email or password.");

  await auth.signIn(user.email, user.password);
  await auth.expectSignedInAs("Grace");
});

test("a guarded page sends you to sign in and brings you back", async ({ page }) => {
  const auth = new AuthPages(page);
  const user = { name: "Alan", email: uniqueEmail("alan"), password: "another passphrase" };
  await auth.signUp(user);
  await auth.expectSignedInAs("Alan");
  await auth.signOut();

  await page.goto("/progress");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fprogress/);
  await auth.signIn(user.email, user.password);
  await expect(page).toHaveURL(/\/progress$/);
  await expect(page.getByRole("heading", { name: "Your progress" })).toBeVisible();
});

test("sign-up shows inline messages for a duplicate email and a short password", async ({ page }) => {
  const auth = new AuthPages(page);
  const email = uniqueEmail("dup");
  await auth.signUp({ name: "First", email, password: "first passphrase" });
  await auth.expectSignedInAs("First");
  await auth.signOut();

  await auth.signUp({ name: "Second", email, password: "short" });
  await expect(page.getByText("Password must be at least 8 characters")).toBeVisible();

  await page.getByLabel("Password").fill("second passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("An account with this email already exists")).toBeVisible();
});
