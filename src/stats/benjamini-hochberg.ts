/**
 * Benjamini-Hochberg adjustment across all compared cells (docs/statistics.md). A 40-cell matrix tested
 * cell by cell at 5% would flag something on most no-change runs; BH keeps the expected share of
 * false discoveries among flagged cells at `alpha` instead (Benjamini & Hochberg, 1995).
 */

/**
 * Adjusted p-values ("q-values") of the BH step-up procedure, in the input's order:
 * `q_(i) = min over j >= i of (m / j) · p_(j)`, capped at 1, where `p_(1) <= ... <= p_(m)`.
 * Rejecting every hypothesis with `q <= alpha` is exactly the BH procedure at level `alpha`.
 * The q-values are monotone in the p-values (a smaller p never gets a larger q).
 *
 * @param pValues raw p-values in `[0, 1]`, one per hypothesis; an empty list gives `[]`.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  pValues.forEach((p, index) => {
    // A p-value outside [0, 1] (or NaN) is a bug upstream, never data to adjust.
    if (!(p >= 0 && p <= 1)) throw new Error(`benjaminiHochberg: p-value ${index} is ${p}`);
  });
  // Ascending by p; ties keep input order so equal p-values get equal q-values either way.
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p || a.index - b.index);
  const adjusted = new Array<number>(m).fill(1);
  let runningMin = 1;
  for (let rank = m; rank >= 1; rank--) {
    const entry = order[rank - 1];
    if (entry === undefined) continue;
    // p · (m / rank), not (p · m) / rank: m / rank >= 1 exactly, so rounding never drops q below p.
    runningMin = Math.min(runningMin, entry.p * (m / rank));
    adjusted[entry.index] = runningMin;
  }
  return adjusted;
}
