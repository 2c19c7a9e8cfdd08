import { describe, expect, it } from "vitest";
import { createTokenizeLimiter, limitTokenize } from "@/lib/tokenizers/rate-limit";

const from = (ip: string) => new Request("http://localhost/api/tokenize", { method: "POST", headers: { "x-forwarded-for": ip } });

describe("tokenize rate limit", () => {
  it("lets an address through up to its limit, then answers 429 with Retry-After until the window resets", async () => {
    let now = 0;
    const limiter = createTokenizeLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) expect(await limitTokenize(from("10.0.0.1"), limiter)).toBeNull();
    now = 20_000;
    const refused = await limitTokenize(from("10.0.0.1"), limiter);
    expect(refused?.status).toBe(429);
    expect(refused?.headers.get("Retry-After")).toBe("40");
    expect((await refused!.json()).error).toMatch(/tokenize requests from this address.*40 seconds/);
    expect(await limitTokenize(from("10.0.0.2"), limiter)).toBeNull(); // another address has its own count
    now = 60_000;
    expect(await limitTokenize(from("10.0.0.1"), limiter)).toBeNull();
  });
});
