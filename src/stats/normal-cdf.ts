/**
 * The standard normal distribution function, for the normal approximation of the rank test and
 * the between-run test.
 */
import { errorFunction } from 'simple-statistics';

/**
 * Φ(z) = P(Z <= z) for a standard normal Z. Uses simple-statistics' `errorFunction` (Numerical
 * Recipes' erfc, relative error < 1.2e-7); its table-based `cumulativeStdNormalProbability`
 * rounds z to 0.01, too coarse for the small p-values the gate works with.
 */
export function standardNormalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}
