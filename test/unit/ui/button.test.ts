/** The shared Button (issue #17): a native button, type="button" unless told, every prop passed through. */
import { createElement, createRef } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Button, buttonClass } from "@/components/ui/button";

const render = (props: Parameters<typeof Button>[0]) => renderToStaticMarkup(createElement(Button, props));

describe("Button", () => {
  it("renders a native button of type button, primary and md by default", () => {
    const html = render({ children: "Go" });
    expect(html).toMatch(/^<button type="button" class="[^"]*">Go<\/button>$/);
    expect(html).toContain("bg-brand-600");
    expect(html).toContain("px-4 py-2 text-sm");
    expect(html).toContain("focus-visible:outline-2");
    expect(html).toContain("disabled:opacity-50");
  });

  it("keeps an explicit type, so a form's submit button still submits", () => {
    expect(render({ type: "submit", children: "Send" })).toContain('type="submit"');
  });

  it("passes native, aria and data attributes through", () => {
    const html = render({ disabled: true, "aria-pressed": true, "aria-label": "Chart", title: "t", "data-testid": "x", children: "C" } as Parameters<typeof Button>[0]);
    expect(html).toContain("disabled=\"\"");
    expect(html).toContain('aria-pressed="true"');
    expect(html).toContain('aria-label="Chart"');
    expect(html).toContain('title="t"');
    expect(html).toContain('data-testid="x"');
  });

  it("appends className after the variant and size classes", () => {
    const cls = buttonClass({ variant: "secondary", size: "xs", className: "ml-auto" });
    expect(cls).toContain("border border-slate-300");
    expect(cls).toContain("px-2 py-1 text-xs");
    expect(cls.endsWith(" ml-auto")).toBe(true);
    expect(cls).not.toContain("bg-brand-600");
  });

  it("accepts a ref as a prop (React 19)", () => {
    const ref = createRef<HTMLButtonElement>();
    expect(() => render({ ref, children: "R" })).not.toThrow();
  });
});
