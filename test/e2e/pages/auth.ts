import { expect, type Page } from "@playwright/test";

/** Page object for the sign-up / sign-in / sign-out flows. */
export class AuthPages {
  constructor(private readonly page: Page) {}

  async signUp(user: { name: string; email: string; password: string }, callbackUrl?: string) {
    await this.page.goto(callbackUrl ? `/signup?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signup");
    await this.page.getByLabel("Name").fill(user.name);
    await this.page.getByLabel("Email").fill(user.email);
    await this.page.getByLabel("Password").fill(user.password);
    await this.page.getByRole("button", { name: "Create account" }).click();
  }

  async signIn(email: string, password: string) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  async expectSignedInAs(name: string) {
    await expect(this.page.getByTestId("account-name")).toHaveText(name);
  }

  async signOut() {
    await this.page.getByLabel("Account menu").click();
    await this.page.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page.getByRole("link", { name: "Sign in" })).toBeVisible();
  }
}

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}
