/**
 * Monte Carlo sign-flip test of the paired whole-matrix line (docs/statistics.md §11, "Whole
 * matrix"). Pure and seeded. The statistic is the signed-rank sum of the units' values, each
 * unit (a row's round) being the precision-weighted mean of its cells' log ratios, with every
 * cell weighted by its own spread. Those weights come from the data, so the exact signed-rank
 * tables do not hold; flipping the signs of whole units and recomputing everything, weights
 * included, does: under no change a unit's ratios are as likely negated (the sides are
 * exchangeable within a round), which is the randomization this test draws from.
 */
import { median } from 'simple-statistics';
import { nextInt, type Rng } from '../rng.js';
import { doubledMidRanks } from './signed-rank.js';

/** One cell's log ratios and the unit (0-based) each one belongs to. */
export interface UnitCell {
  readonly values: readonly number[];
  readonly units: readonly number[];
}

/** Smallest scale a cell's weight uses (a log ratio of 0.5%): a cell of identical rounds must not take all the weight. */
const SCALE_FLOOR = 0.005;

/**
 * Each unit's precision-weighted mean log ratio, with unit `u`'s values multiplied by
 * `signs[u]` (±1). A cell weighs `1 / scale²`, `scale` = the median absolute deviation of its
 * values around their median: taken around the median so it does not grow with the change
 * itself (a scale from |log ratio| favours rounds that sit near 0 and pulled a simulated −5% to
 * about −4%).
 */
export function unitValues(cells: readonly UnitCell[], unitCount: number, signs?: Int8Array): Float64Array {
  const sums = new Float64Array(unitCount);
  const weights = new Float64Array(unitCount);
  for (const cell of cells) {
    const values = cell.values.map((value, index) => value * (signs?.[cell.units[index] ?? 0] ?? 1));
    if (values.length === 0) continue;
    const centre = median(values);
    const scale = Math.max(median(values.map((value) => Math.abs(value - centre))), SCALE_FLOOR);
    const weight = 1 / (scale * scale);
    values.forEach((value, index) => {
      const unit = cell.units[index] ?? 0;
      sums[unit] = (sums[unit] ?? 0) + weight * value;
      weights[unit] = (weights[unit] ?? 0) + weight;
    });
  }
  return sums.map((sum, unit) => sum / (weights[unit] ?? 1));
}

/** Sum of the mid-ranks of |value| over positive values, zeros dropped (doubled, so integral). */
function doubledPositiveRankSum(values: Float64Array): number {
  const nonZero = [...values].filter((value) => value !== 0);
  const ranks = doubledMidRanks(nonZero.map(Math.abs));
  return nonZero.reduce((sum, value, index) => sum + (value > 0 ? (ranks[index] ?? 0) : 0), 0);
}

/**
 * One-sided p-values of "head slower" (`less`) and "head faster" (`greater`) from `draws`
 * random sign assignments of the units plus the observed one (so a p-value is never below
 * `1 / (draws + 1)` and the test keeps its level). Negating every value swaps the two exactly.
 */
export function signFlipUnitsTest(
  cells: readonly UnitCell[],
  unitCount: number,
  rng: Rng,
  draws: number,
): { readonly pLess: number; readonly pGreater: number } {
  const observed = doubledPositiveRankSum(unitValues(cells, unitCount));
  let atOrBelow = 1;
  let atOrAbove = 1;
  const signs = new Int8Array(unitCount);
  for (let draw = 0; draw < draws; draw++) {
    for (let unit = 0; unit < unitCount; unit++) signs[unit] = nextInt(rng, 2) === 0 ? -1 : 1;
    const statistic = doubledPositiveRankSum(unitValues(cells, unitCount, signs));
    if (statistic <= observed) atOrBelow++;
    if (statistic >= observed) atOrAbove++;
  }
  return { pLess: atOrBelow / (draws + 1), pGreater: atOrAbove / (draws + 1) };
}
