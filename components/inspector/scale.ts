/**
 * Colours of the inspector, written out as literal Tailwind classes (Tailwind only generates
 * classes it can find verbatim in the sources).
 *
 * Reply tokens: one background per probability bucket (lib/inspector/color-scale.ts). The
 * scale is sequential in lightness — the less likely the token, the further its colour from
 * the page background, in light mode (darker) and in dark mode (lighter) alike — and moves
 * in hue from red through amber to a quiet blue-grey, so the order survives the common
 * colour-vision deficiencies and a surprising token always stands out most.
 */
export const BUCKET_CLASSES: readonly string[] = [
  "bg-[oklch(0.76_0.13_25)] text-slate-950 dark:bg-[oklch(0.55_0.17_25)] dark:text-white",
  "bg-[oklch(0.83_0.11_52)] text-slate-950 dark:bg-[oklch(0.52_0.14_48)] dark:text-white",
  "bg-[oklch(0.89_0.1_88)] text-slate-950 dark:bg-[oklch(0.47_0.1_85)] dark:text-white",
  "bg-[oklch(0.92_0.055_150)] text-slate-950 dark:bg-[oklch(0.41_0.08_160)] dark:text-slate-50",
  "bg-[oklch(0.94_0.035_220)] text-slate-950 dark:bg-[oklch(0.35_0.06_230)] dark:text-slate-50",
  "bg-[oklch(0.965_0.015_260)] text-slate-950 dark:bg-[oklch(0.28_0.03_260)] dark:text-slate-100",
];

/** The same colours as SVG fills (surprise chart bars), via CSS variables set on the chart. */
export const BUCKET_FILL_VARS =
  "[--b0:oklch(0.7_0.15_25)] [--b1:oklch(0.78_0.13_52)] [--b2:oklch(0.85_0.12_88)] [--b3:oklch(0.82_0.08_150)] [--b4:oklch(0.8_0.06_220)] [--b5:oklch(0.8_0.03_260)] " +
  "dark:[--b0:oklch(0.62_0.17_25)] dark:[--b1:oklch(0.6_0.13_52)] dark:[--b2:oklch(0.6_0.1_88)] dark:[--b3:oklch(0.55_0.08_160)] dark:[--b4:oklch(0.5_0.06_230)] dark:[--b5:oklch(0.45_0.03_260)]";

export const bucketFill = (index: number) => `var(--b${index})`;

/** Series colours of the candidate chart, set as CSS variables so they follow dark mode. */
export const SERIES_VARS =
  "[--s-model:#94a3b8] [--s-temp:oklch(0.58_0.2_275)] [--s-final:#f59e0b] [--s-grid:#e2e8f0] [--s-axis:#64748b] " +
  "dark:[--s-model:#64748b] dark:[--s-temp:oklch(0.68_0.16_275)] dark:[--s-final:#fbbf24] dark:[--s-grid:#1e293b] dark:[--s-axis:#94a3b8]";

export const SERIES = {
  model: { fill: "var(--s-model)", label: "Model (T = 1)", swatch: "bg-[#94a3b8] dark:bg-[#64748b]" },
  temp: { fill: "var(--s-temp)", label: "After penalties & temperature", swatch: "bg-brand-500 dark:bg-brand-400" },
  final: { fill: "var(--s-final)", label: "Sampled from (final)", swatch: "bg-amber-500 dark:bg-amber-400" },
} as const;
