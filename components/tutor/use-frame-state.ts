"use client";

import { useCallback, useEffect, useRef, useState } from "react";

/**
 * State that changes in a ref at once (every change applies there, in order) and renders at
 * most once per frame: a reply's tokens can arrive faster than the page can re-render, and a
 * rendering backlog would show the reply behind the model (and make Stop late).
 *
 * Returns the rendered state, the ref holding the latest, `commit` (replace) and `apply` (update).
 */
export function useFrameState<T>(initial: T | (() => T)) {
  const [state, setState] = useState<T>(initial);
  const ref = useRef<T>(state);
  const frame = useRef<number | null>(null);
  const commit = useCallback((next: T) => {
    ref.current = next;
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setState(ref.current);
    });
  }, []);
  const apply = useCallback((fn: (s: T) => T) => commit(fn(ref.current)), [commit]);
  useEffect(() => () => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
  }, []);
  return [state, ref, commit, apply] as const;
}
