import { describe, expect, it } from "vitest";
import { createGenerationLimiters, limitGeneration } from "@/lib/llm/server/rate-limit";

const from = (ip: string) => new Request("http://localhost/api/generate", { method: "POST", headers: { "x-forwarded-for": ip } });

describe("generation rate limits", () => {
  it("lets requests through up to the per-IP limit (3× the per-user one), then answers 429 with Retry-After", async () => {
    let now = 0;
    const limiters = createGenerationLimiters(2, 60_000, () => now);
    for (let i = 0; i < 6; i++) expect(await limitGeneration(from("10.0.0.1"), { route: "generate" }, limiters)).toBeNull();
    now = 15_000;
    const refused = await limitGeneration(from("10.0.0.1"), { route: "generate" }, limiters);
    expect(refused?.status).toBe(429);
    expect(refused?.headers.get("Retry-After")).toBe("45");
    expect((await refused!.json()).error).toMatch(/this address.*45 seconds/);
    // Another address is counted separately, and the window resets.
    expect(await limitGeneration(from("10.0.0.2"), { route: "generate" }, limiters)).toBeNull();
    now = 60_000;
    expect(await limitGeneration(from("10.0.0.1"), { route: "generate" }, limiters)).toBeNull();
  });

  it("limits a signed-in user across addresses", async () => {
    const limiters = createGenerationLimiters(2, 60_000, () => 0);
    expect(await limitGeneration(from("10.0.0.1"), { route: "tutor", userId: "u1" }, limiters)).toBeNull();
    expect(await limitGeneration(from("10.0.0.2"), { route: "tutor", userId: "u1" }, limiters)).toBeNull();
    const refused = await limitGeneration(from("10.0.0.3"), { route: "tutor", userId: "u1" }, limiters);
    expect(refused?.status).toBe(429);
    expect((await refused!.json()).error).toMatch(/this account/);
    expect(await limitGeneration(from("10.0.0.3"), { route: "tutor", userId: "u2" }, limiters)).toBeNull();
  });
});
