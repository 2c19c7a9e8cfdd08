/** Runs before first paint so there is no flash of the wrong theme. */
const script = `(() => {
  try {
    const stored = localStorage.getItem("glassbox-theme");
    const dark = stored ? stored === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
    document.documentElement.classList.toggle("dark", dark);
  } catch {}
})();`;

export function ThemeScript() {
  return <script dangerouslySetInnerHTML={{ __html: script }} />;
}
