"use client";

import { useLabEngine } from "@/components/playground/use-lab-engine";
import { DEFAULT_LAB_TARGET } from "@/lib/playground/lab-engine";

/** Lesson demos run course-lm on the server: nothing to download before the first answer. */
export function useDemoEngine() {
  return useLabEngine(DEFAULT_LAB_TARGET);
}
