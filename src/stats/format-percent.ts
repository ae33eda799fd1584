/**
 * Number formats of the one-line reasons and gate messages written by `stats/`. The report has
 * its own formatter for tables; these only need to read well in a sentence.
 */

/** `−12.4%` / `+8.0%`: a relative change with its sign (U+2212 minus, as typeset). */
export function formatSignedPercent(fraction: number): string {
  const text = `${Math.abs(fraction * 100).toFixed(1)}%`;
  return fraction < 0 ? `\u2212${text}` : `+${text}`;
}

/** `6.0%`: an unsigned fraction such as a threshold or a CV. */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** `0.41`, `0.0034`, `<0.0001`: a p- or q-value with two significant digits. */
export function formatProbability(p: number): string {
  if (p >= 0.01) return p.toFixed(2);
  if (p >= 0.0001) return p.toPrecision(2);
  return '<0.0001';
}
