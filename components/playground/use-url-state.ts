"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { decodeState, encodeState, type Spec } from "@/lib/playground/url-state";

interface Held<T> {
  state: T;
  /** The query string `state` encodes to. */
  stateQuery: string;
  /** The last query string useSearchParams reported. */
  seenQuery: string;
}

/**
 * A lab's state, read from and written to the query string (lib/playground/url-state.ts).
 *
 * The state lives in React first and is mirrored into the URL: inputs bound to it update in
 * the same render as the keystroke or click (Next.js reports a history.replaceState through
 * useSearchParams only afterwards, and a controlled input waiting for that round trip would
 * flicker back or lose its caret). A URL change from outside — back/forward, a link — is
 * adopted. Updates replace the history entry: typing should not fill the back button.
 */
export function useUrlState<T>(spec: Spec<T>): [T, (patch: Partial<T>) => void] {
  const params = useSearchParams();
  const pathname = usePathname();
  const query = params.toString();
  const [held, setHeld] = useState<Held<T>>(() => ({ state: decodeState(spec, new URLSearchParams(query)), stateQuery: query, seenQuery: query }));

  // The URL changed: either our own write showing up (nothing to do) or a navigation (take
  // its state). Adjusting state during render is React's pattern for a changed input.
  let view = held;
  if (query !== held.seenQuery) {
    view =
      query === held.stateQuery
        ? { ...held, seenQuery: query }
        : { state: decodeState(spec, new URLSearchParams(query)), stateQuery: query, seenQuery: query };
    setHeld(view);
  }

  const update = useCallback(
    (patch: Partial<T>) => {
      setHeld((prev) => {
        const state = { ...prev.state, ...patch };
        return { ...prev, state, stateQuery: encodeState(spec, state).toString() };
      });
    },
    [spec],
  );

  const { stateQuery, seenQuery } = view;
  useEffect(() => {
    if (stateQuery === seenQuery) return;
    window.history.replaceState(null, "", stateQuery ? `${pathname}?${stateQuery}` : pathname);
  }, [stateQuery, seenQuery, pathname]);

  return [view.state, update];
}
