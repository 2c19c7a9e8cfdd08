/**
 * The part of a failed test stage's output that says why — Vitest's "Failed Tests" and
 * "Unhandled Errors" sections, Playwright's numbered failures — or, when it has none of those,
 * its last lines. `npm test` prints it again at the end of the run, where a CI log's tail shows it.
 */
export function failureExcerpt(output: string, maxChars = 6000, fallbackLines = 40): string {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  const markers = [/⎯+ Failed Tests? \d+ ⎯+/, /⎯+ Unhandled (Errors?|Rejection) ⎯+/, /^ {2}\d+\) \[/m];
  const starts = markers.map((marker) => plain.search(marker)).filter((at) => at >= 0);
  const from = starts.length ? Math.min(...starts) : plain.length - plain.split("\n").slice(-fallbackLines).join("\n").length;
  const excerpt = plain.slice(from);
  return excerpt.length > maxChars ? `${excerpt.slice(0, maxChars)}\n… (${excerpt.length - maxChars} more characters in the log above)` : excerpt;
}
