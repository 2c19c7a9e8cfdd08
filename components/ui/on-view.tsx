"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * How far below (or above) the screen a placeholder starts loading its content: a demo's code
 * (tens of KB) is fetched while the learner still has a few lines of prose to read above it,
 * and one that sits just below the first screen is not part of the page's first load.
 */
const PRELOAD_MARGIN = "200px 0px";

/**
 * Renders `children` only once the spot they go in comes near the screen; until then, a
 * placeholder of `minHeight` pixels. Children that are lazily loaded components (next/dynamic)
 * are then neither rendered by the server nor fetched at page load: their code arrives when
 * the learner scrolls towards them, a little before they come into view. Without
 * IntersectionObserver (old browsers) the children render at once.
 */
export function OnView({ children, minHeight, label, id }: { children: ReactNode; minHeight: number; label: string; id?: string }) {
  const placeholder = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);

  useEffect(() => {
    const element = placeholder.current;
    if (!element) return;
    if (typeof IntersectionObserver === "undefined") {
      const frame = requestAnimationFrame(() => setNear(true));
      return () => cancelAnimationFrame(frame);
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          setNear(true);
          observer.disconnect();
        }
      },
      { rootMargin: PRELOAD_MARGIN },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  if (near) return <>{children}</>;
  return (
    <div
      ref={placeholder}
      data-on-view={id ?? label}
      aria-busy="true"
      style={{ minHeight }}
      className="my-6 flex items-center justify-center rounded-xl border border-dashed border-slate-300 text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400"
    >
      {label} loads as you scroll to it…
    </div>
  );
}
