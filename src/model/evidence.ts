/**
 * The words of a verdict, as data (docs/statistics.md, "Verdict words and the gate policy"): what
 * a cell's data establish about its change, and the rule that decides which changes count.
 */

/**
 * What a cell's data establish about its change, against the cell's effect size `e` (min-effect,
 * or stored mode's threshold) at the interval's level (docs/statistics.md, "Verdict words and the
 * gate policy"). `worse` is slower (dps) or higher (latency). The directional ones need a
 * significant test:
 * - `worse-beyond`: the whole interval lies beyond `e` (at least `e` worse, established);
 * - `worse-reaches`: the interval reaches `e` (worse; a change of `e` is not ruled out);
 * - `worse-within`: the interval stops short of `e` (worse, by less than `e`);
 * - `same`: not significant, the interval inside ±`e`; `unclear`: not significant, wider;
 * - `better-*`: the mirror images.
 */
export type Evidence =
  | 'worse-beyond'
  | 'worse-reaches'
  | 'worse-within'
  | 'same'
  | 'unclear'
  | 'better-within'
  | 'better-reaches'
  | 'better-beyond';

/**
 * Which significant changes count as regressions (`gate-policy` resolved for the run's mode):
 * `established` only `worse-beyond`; `estimate` also `worse-reaches` whose estimate is itself
 * beyond the effect; `not-ruled-out` also `worse-reaches` whose estimate is at least half of it.
 */
export type RegressionRule = 'established' | 'estimate' | 'not-ruled-out';
