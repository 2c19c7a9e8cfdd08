"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False in the server's HTML and during hydration, true once React owns the page.
 *
 * Text fields pass `readOnly={!hydrated}`: a keystroke that lands between the HTML painting and
 * React hydrating the field would otherwise be overwritten (React resets the value and the
 * caret as it takes the field over), so the box accepts typing only once it can keep it.
 * Hydration takes a fraction of a second; Playwright's `fill` waits for an editable field too.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
