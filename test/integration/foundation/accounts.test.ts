import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as signUp } from "@/app/api/signup/route";
import { closeSession, isSessionLive, openSession, verifyCredentials } from "@/lib/auth/users";
import { createTestDatabase, useAsAppDatabase, type TestDatabase } from "../../helpers/db";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  useAsAppDatabase(db);
});
afterAll(() => db.close());

let ipCounter = 0;
/** Each call comes from its own IP unless told otherwise, so rate limits don't interfere. */
function request(body: unknown, { ip = `10.0.0.${++ipCounter}`, raw = false } = {}) {
  return new Request("http://localhost/api/signup", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: raw ? (body as string) : JSON.stringify(body),
  });
}

describe("POST /api/signup", () => {
  it("creates an account with a bcrypt hash, never the password", async () => {
    const response = await signUp(request({ name: "Ada", email: "Ada@Example.com", password: "correct horse" }));
    expect(response.status).toBe(201);
    const { user } = await response.json();
    expect(user).toMatchObject({ name: "Ada", email: "ada@example.com" });
    const stored = await db.prisma.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    expect(stored.passwordHash).toMatch(/^\$2[aby]\$10\$/);
    expect(stored.passwordHash).not.toContain("correct horse");
  });

  it("refuses a duplicate email with 409 and a message on the email field", async () => {
    await signUp(request({ name: "B", email: "dup@example.com", password: "password-1" }));
    const response = await signUp(request({ name: "B2", email: "DUP@example.com", password: "password-2" }));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ fields: { email: expect.stringMatching(/already exists/) } });
  });

  it.each([
    [{ name: "C", email: "not-an-email", password: "password-1" }, "email", /valid email/],
    [{ name: "C", email: "c@example.com", password: "short" }, "password", /at least 8/],
    [{ name: "", email: "c@example.com", password: "password-1" }, "name", /required/],
    [{ email: "c@example.com", password: "password-1" }, "name", /required/],
    [{ name: "C", email: "c@example.com", password: 12345678 }, "password", /required|string/i],
  ])("rejects %j with 400 naming the field", async (body, field, message) => {
    const response = await signUp(request(body));
    expect(response.status).toBe(400);
    const json = await response.json();
    expect(json.fields[field]).toMatch(message);
    expect(json.error).toContain(field);
  });

  it("rejects malformed JSON with 400 and oversized bodies with 413", async () => {
    expect((await signUp(request("{nope", { raw: true }))).status).toBe(400);
    const huge = await signUp(request({ name: "x".repeat(10_000), email: "h@example.com", password: "password-1" }));
    expect(huge.status).toBe(413);
  });

  it("rate-limits repeated attempts for one email with 429 and Retry-After", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 12; i++) {
      last = await signUp(request({ name: "R", email: "rate@example.com", password: "short" }));
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await last!.json()).error).toMatch(/Too many attempts/);
  });
});

describe("credentials and server-side sessions", () => {
  it("verifies the right password and refuses a wrong one or an unknown email", async () => {
    await signUp(request({ name: "V", email: "v@example.com", password: "right password" }));
    expect(await verifyCredentials("v@example.com", "right password")).toMatchObject({ email: "v@example.com" });
    expect(await verifyCredentials("v@example.com", "wrong password")).toBeNull();
    expect(await verifyCredentials("nobody@example.com", "right password")).toBeNull();
  });

  it("opens a session that sign-out closes and that expires", async () => {
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email: "v@example.com" } });
    const token = await openSession(user.id, 3600);
    expect(await isSessionLive(token)).toBe(true);
    await closeSession(token);
    expect(await isSessionLive(token)).toBe(false);

    const expired = await openSession(user.id, -1);
    expect(await isSessionLive(expired)).toBe(false);
  });
});
