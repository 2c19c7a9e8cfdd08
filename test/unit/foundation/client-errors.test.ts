import { describe, expect, it } from "vitest";
import { readApiError } from "@/lib/http/client-errors";

describe("readApiError", () => {
  it("takes the server's message and fields", async () => {
    const info = await readApiError(Response.json({ error: "topP: must be in (0, 1]", fields: { topP: "must be in (0, 1]" } }, { status: 400 }));
    expect(info).toEqual({ message: "topP: must be in (0, 1]", status: 400, fields: { topP: "must be in (0, 1]" } });
  });

  it("falls back to the status when the body is not JSON", async () => {
    expect((await readApiError(new Response("<html>", { status: 502 }))).message).toBe("the server answered 502");
  });

  it("adds a hint to busy answers only when the server gave none", async () => {
    expect((await readApiError(Response.json({ error: "Too many requests" }, { status: 429 }))).message).toBe("Too many requests (try again in a moment)");
    expect((await readApiError(Response.json({ error: "busy; try again in 3 s" }, { status: 503 }))).message).toBe("busy; try again in 3 s");
  });
});
