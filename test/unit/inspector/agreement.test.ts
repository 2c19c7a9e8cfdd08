/** Backend agreement (lib/inspector/agreement.ts) on hand-made steps. */
import { describe, expect, it } from "vitest";
import { agreement } from "@/lib/inspector/agreement";
import type { Trace } from "@/lib/llm/trace";

const step = (candidates: [number, number][]) => ({ candidates: candidates.map(([id, logit]) => ({ id, logit })) });
const trace = (...steps: ReturnType<typeof step>[]) => ({ steps }) as unknown as Pick<Trace, "steps">;

describe("agreement", () => {
  it("compares the top-1 token and the largest |Δlogit| over the candidates both recorded", () => {
    const server = trace(step([[5, 3], [7, 2.5], [9, 1]]), step([[1, 4], [2, 3.9]]));
    const browser = trace(step([[5, 3.00002], [7, 2.5], [8, 1.2]]), step([[2, 3.95], [1, 3.94]]));
    const result = agreement(server, browser);
    expect(result.steps.map((s) => [s.top, s.agree])).toEqual([
      [[5, 5], true],
      [[1, 2], false],
    ]);
    expect(result.steps[0]!.maxLogitDiff).toBeCloseTo(2e-5, 10); // ids 5 and 7 are shared, 9 and 8 are not
    expect(result.steps[1]!.maxLogitDiff).toBeCloseTo(0.06, 10);
    expect(result).toMatchObject({ agreeing: 1 });
    expect(result.maxLogitDiff).toBeCloseTo(0.06, 10);
  });

  it("compares over the shorter run and says null where no candidate is shared", () => {
    const result = agreement(trace(step([[1, 0]]), step([[2, 0]])), trace(step([[3, 0]])));
    expect(result.steps).toEqual([{ step: 0, top: [1, 3], agree: false, maxLogitDiff: null }]);
  });
});
