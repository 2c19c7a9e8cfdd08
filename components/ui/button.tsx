import type { ComponentPropsWithRef } from "react";

export type ButtonVariant = "primary" | "secondary";
export type ButtonSize = "xs" | "sm" | "md" | "lg";

export interface ButtonProps extends ComponentPropsWithRef<"button"> {
  /** "primary": brand filled, the one main action of a form or panel. "secondary": bordered, every other action. */
  variant?: ButtonVariant;
  /** "xs": compact tool (12px text); "sm": toolbar (14px, short); "md": default (14px); "lg": page-level action (16px text). */
  size?: ButtonSize;
}

const BASE =
  "inline-flex items-center justify-center font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 disabled:cursor-not-allowed disabled:opacity-50 aria-busy:cursor-wait";

const VARIANTS: Record<ButtonVariant, string> = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 dark:bg-brand-500 dark:hover:bg-brand-600",
  secondary: "border border-slate-300 hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800",
};

const SIZES: Record<ButtonSize, string> = {
  xs: "rounded-md px-2 py-1 text-xs",
  sm: "rounded-md px-3 py-1 text-sm",
  md: "rounded-lg px-4 py-2 text-sm",
  lg: "rounded-lg px-4 py-2 text-base",
};

/** The class string a `Button` renders with, for the rare element that must look like one without being one. */
export function buttonClass({ variant = "primary", size = "md", className }: { variant?: ButtonVariant; size?: ButtonSize; className?: string } = {}): string {
  return [BASE, VARIANTS[variant], SIZES[size], className].filter(Boolean).join(" ");
}

/**
 * A native `<button>` in one of the app's button styles. Every native prop (and, in React 19,
 * `ref`) passes through; `type` defaults to "button", so a button that submits a form says
 * `type="submit"`. `className` is appended for layout (margins, widths, `ml-auto`, `h-11`,
 * `gap-*`): there is no class merging, so it should not restate what the variant or size sets.
 */
export function Button({ variant = "primary", size = "md", type = "button", className, ...props }: ButtonProps) {
  return <button type={type} className={buttonClass({ variant, size, className })} {...props} />;
}
