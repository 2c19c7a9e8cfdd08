/**
 * Reads a number typed by a learner. Accepts "1950", "1,950", "1 950", "0.75", "-2.6",
 * "1.2e9" and a decimal comma ("0,75"). A comma is a thousands separator only in the
 * unambiguous pattern 1,234(,567…); otherwise a single comma is a decimal comma.
 * Returns null for anything that is not one finite number.
 */
export function parseNumberInput(raw: string): number | null {
  let text = raw.trim().replace(/[\u2212\u2013]/g, "-").replace(/[\s\u00a0\u202f_']/g, "");
  if (!text) return null;
  if (/^[-+]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/,/g, "");
  else if (/^[-+]?\d*,\d+$/.test(text)) text = text.replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
