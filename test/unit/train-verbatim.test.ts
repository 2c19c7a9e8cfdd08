/**
 * How grounded.ts matches a hand-copied answer to its passage (scripts/train/verbatim.ts).
 */
import { describe, expect, it } from "vitest";
import { verbatim } from "../../scripts/train/verbatim.ts";

const table = "Dimension | What it counts\nParameters | Trainable numbers | 7B\nTraining tokens | Tokens of text | 1T";

describe("verbatim", () => {
  it("returns an exact copy unchanged", () => {
    expect(verbatim("A token is a piece of text. It has an id.", "A token is a piece of text.")).toBe("A token is a piece of text.");
  });

  it("gives table rows the passage's own line breaks", () => {
    expect(verbatim(table, "Parameters | Trainable numbers | 7B Training tokens | Tokens of text | 1T")).toBe(
      "Parameters | Trainable numbers | 7B\nTraining tokens | Tokens of text | 1T",
    );
  });

  it("joins sentences that are apart in the passage with a space", () => {
    expect(verbatim("One. Two is here. Three. Four is there.", "Two is here. Four is there.")).toBe("Two is here. Four is there.");
  });

  it("accepts list items copied without their dash", () => {
    expect(verbatim("- Count pairs.\n- Merge the most frequent pair.", "Count pairs. Merge the most frequent pair.")).toBe("Count pairs.\n- Merge the most frequent pair.");
  });

  it("treats regex characters as text", () => {
    expect(verbatim("The loss is -\\log p(x) (in nats).", "The loss is -\\log p(x) (in nats).")).toBe("The loss is -\\log p(x) (in nats).");
  });

  it("is null when a sentence is not in the passage", () => {
    expect(verbatim("A token is a piece of text.", "A token is a whole word.")).toBeNull();
    expect(verbatim("One. Two.", "One. Three.")).toBeNull();
  });
});
