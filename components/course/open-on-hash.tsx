"use client";
import { useEffect } from "react";

/**
 * Opens the `<details>` the URL's fragment names (#faq-…), on arrival and on every later
 * fragment change, then scrolls it into view: the tutor's source links point at a common
 * question, which would otherwise stay closed (not every browser opens it by itself).
 */
export function OpenOnHash() {
  useEffect(() => {
    const open = () => {
      const id = decodeURIComponent(window.location.hash.slice(1));
      const target = id ? document.getElementById(id) : null;
      if (target instanceof HTMLDetailsElement && !target.open) {
        target.open = true;
        target.scrollIntoView({ block: "start" });
      }
    };
    open();
    window.addEventListener("hashchange", open);
    return () => window.removeEventListener("hashchange", open);
  }, []);
  return null;
}
