"use client";

import { useCallback, useRef, useState, type KeyboardEvent } from "react";

/**
 * Roving tabindex for a row of items (reply tokens, prompt tokens): the group is one tab
 * stop; arrow keys move focus between items, Home/End jump to the ends. `active` is the
 * item that holds tabIndex 0. When `follow` changes (e.g. the selection moved because the
 * learner clicked elsewhere), the tab stop moves to it.
 */
export function useRovingFocus(count: number, follow: number | null = null) {
  const [active, setActive] = useState(follow ?? 0);
  const [followed, setFollowed] = useState(follow);
  if (follow !== followed) {
    setFollowed(follow);
    if (follow !== null) setActive(follow);
  }
  const refs = useRef<(HTMLElement | null)[]>([]);
  const current = Math.min(Math.max(active, 0), Math.max(count - 1, 0));

  const focusItem = useCallback(
    (i: number) => {
      if (count === 0) return;
      const next = Math.min(Math.max(i, 0), count - 1);
      setActive(next);
      refs.current[next]?.focus();
    },
    [count],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      let next: number | null = null;
      switch (event.key) {
        case "ArrowRight":
        case "ArrowDown":
          next = current + 1;
          break;
        case "ArrowLeft":
        case "ArrowUp":
          next = current - 1;
          break;
        case "Home":
          next = 0;
          break;
        case "End":
          next = count - 1;
          break;
      }
      if (next === null) return;
      event.preventDefault();
      focusItem(next);
    },
    [count, current, focusItem],
  );

  const itemProps = (i: number) => ({
    ref: (el: HTMLElement | null) => {
      refs.current[i] = el;
    },
    tabIndex: i === current ? 0 : -1,
    onFocus: () => setActive(i),
  });

  return { active: current, setActive, focusItem, onKeyDown, itemProps };
}
