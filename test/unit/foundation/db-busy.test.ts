import { describe, expect, it } from "vitest";
import { isDatabaseBusy } from "@/lib/db/busy";

describe("isDatabaseBusy", () => {
  it("recognises pool and transaction timeouts and write conflicts, nothing else", () => {
    for (const code of ["P2024", "P2028", "P2034"]) expect(isDatabaseBusy({ code })).toBe(true);
    for (const value of [{ code: "P2002" }, { code: 2028 }, new Error("P2028"), null, undefined, "P2028"]) expect(isDatabaseBusy(value)).toBe(false);
  });
});
