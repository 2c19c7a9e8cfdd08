"use client";

import { useEffect, useSyncExternalStore } from "react";

type Theme = "light" | "dark" | "system";
const KEY = "glassbox-theme";
const CHANGE = "glassbox-theme-change";
const NEXT: Record<Theme, Theme> = { system: "light", light: "dark", dark: "system" };
const LABEL: Record<Theme, string> = { system: "System theme", light: "Light theme", dark: "Dark theme" };

// The chosen theme lives in localStorage (so the pre-paint script can read it); this store
// lets React read it too, and stay in sync across tabs.
function readTheme(): Theme {
  const stored = localStorage.getItem(KEY);
  return stored === "light" || stored === "dark" ? stored : "system";
}
function subscribe(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

function apply(theme: Theme) {
  const dark = theme === "system" ? matchMedia("(prefers-color-scheme: dark)").matches : theme === "dark";
  document.documentElement.classList.toggle("dark", dark);
}

/** Cycles system → light → dark; "system" keeps following the OS setting live. */
export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribe, readTheme, () => "system" as Theme);

  useEffect(() => {
    apply(theme);
    if (theme !== "system") return;
    const media = matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => apply("system");
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, [theme]);

  function cycle() {
    const next = NEXT[theme];
    if (next === "system") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, next);
    window.dispatchEvent(new Event(CHANGE));
  }

  return (
    <button
      type="button"
      onClick={cycle}
      aria-label={`${LABEL[theme]} (click to change)`}
      title={LABEL[theme]}
      className="rounded-md p-2 text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
    >
      <span aria-hidden className="block h-5 w-5 text-center leading-5">
        {theme === "light" ? "☀" : theme === "dark" ? "☾" : "◐"}
      </span>
    </button>
  );
}
