/**
 * Robust spread of a cell's trial dps (docs/statistics.md, "Noisy cells"): 1.4826 × MAD / median.
 * For normal data it estimates the coefficient of variation, but one stray trial (a neighbour's
 * burst of CPU) moves it little, where it can double the CV of five trials. Pure.
 */
import { median } from 'simple-statistics';

/** Makes the MAD a consistent estimator of the standard deviation for normal data. */
const MAD_TO_SD = 1.4826;

/** 1.4826 × median(|x − median|) / median; 0 with fewer than 2 values or a zero median. */
export function robustSpread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const center = median([...values]);
  if (center === 0) return 0;
  const mad = median(values.map((v) => Math.abs(v - center)));
  return (MAD_TO_SD * mad) / center;
}
