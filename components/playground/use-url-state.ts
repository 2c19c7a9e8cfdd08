"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { decodeState, encodeState, type Spec } from "@/lib/playground/url-state";

/**
 * A lab's state, read from and written to the query string (lib/playground/url-state.ts).
 * Updates replace the history entry (typing in a box should not fill the back button);
 * Next.js keeps useSearchParams in sync with window.history.replaceState.
 */
export function useUrlState<T>(spec: Spec<T>): [T, (patch: Partial<T>) => void] {
  const params = useSearchParams();
  const pathname = usePathname();
  const state = useMemo(() => decodeState(spec, new URLSearchParams(params.toString())), [spec, params]);
  const update = useCallback(
    (patch: Partial<T>) => {
      const next = encodeState(spec, { ...decodeState(spec, new URLSearchParams(window.location.search)), ...patch });
      const query = next.toString();
      window.history.replaceState(null, "", query ? `${pathname}?${query}` : pathname);
    },
    [spec, pathname],
  );
  return [state, update];
}
