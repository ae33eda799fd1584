/**
 * What a test and an interval establish about a change, and which changes the gate policy counts
 * (docs/statistics.md, "Verdict words and the gate policy"). One place for both modes and both
 * figures (dps, latency), so the words of a table and the rule of the gate cannot drift apart.
 * Everything is on the log-ratio scale with "worse" negative: dps slower, or latency higher
 * (latency is compared as its reciprocal, a rate).
 */
import type { GatePolicy } from '../config/config.js';
import type { Evidence, RegressionRule } from '../model/evidence.js';

/** Where the effect lies in log ratio, both > 0: beyond `−worse` is a change of the effect size. */
export interface EffectBounds {
  readonly worse: number;
  readonly better: number;
}

/** A change as the tests saw it. */
export interface ChangeTest {
  /** The estimate, `ln(current / baseline)` of the figure (negative: worse). */
  readonly logEstimate: number;
  /** Its interval `[low, high]`, at level `1 − 2·alpha`. */
  readonly logInterval: readonly [number, number];
  /** The one-sided "worse" test is significant (after its corrections). */
  readonly isWorse: boolean;
  /** The one-sided "better" test is significant. */
  readonly isBetter: boolean;
}

/** Symmetric bounds of a relative drop `effect` (paired mode: `−ln(1 − effect)` both ways). */
export function symmetricBounds(effect: number): EffectBounds {
  const bound = -Math.log(1 - effect);
  return { worse: bound, better: bound };
}

/** Stored mode's bounds of a threshold `t`: a drop of `t` below, a gain of `t` above (its rule is in relative terms). */
export function thresholdBounds(threshold: number): EffectBounds {
  return { worse: -Math.log(1 - threshold), better: Math.log(1 + threshold) };
}

/**
 * The mode's rule for `gate-policy` (docs/statistics.md): `auto` keeps what each mode's gate
 * quality was measured with (docs/gate-quality.md), `not-ruled-out` in paired mode, `estimate`
 * in stored mode.
 */
export function ruleOf(policy: GatePolicy | undefined, mode: 'paired' | 'stored'): RegressionRule {
  if (policy !== undefined && policy !== 'auto') return policy;
  return mode === 'paired' ? 'not-ruled-out' : 'estimate';
}

/** Classifies a change (model/evidence.ts); directional words need a significant test. */
export function evidenceOf(test: ChangeTest, bounds: EffectBounds): Evidence {
  const [low, high] = test.logInterval;
  if (test.isWorse && test.logEstimate < 0) {
    if (high <= -bounds.worse) return 'worse-beyond';
    return low <= -bounds.worse ? 'worse-reaches' : 'worse-within';
  }
  if (test.isBetter && test.logEstimate > 0) {
    if (low >= bounds.better) return 'better-beyond';
    return high >= bounds.better ? 'better-reaches' : 'better-within';
  }
  return low >= -bounds.worse && high <= bounds.better ? 'same' : 'unclear';
}

/**
 * The direction `rule` counts the change in, or `undefined`:
 * - `established`: the whole interval beyond the effect (`*-beyond`);
 * - `estimate`: the interval reaches it and the estimate itself is beyond it;
 * - `not-ruled-out`: the interval reaches it and the estimate is at least half of it (a
 *   significant 1% change with a wide interval does not count).
 */
export function countedDirection(
  rule: RegressionRule,
  evidence: Evidence,
  logEstimate: number,
  bounds: EffectBounds,
): 'worse' | 'better' | undefined {
  const direction = evidence.startsWith('worse') ? 'worse' : evidence.startsWith('better') ? 'better' : undefined;
  if (direction === undefined || evidence.endsWith('within')) return undefined;
  const bound = direction === 'worse' ? bounds.worse : bounds.better;
  const size = Math.abs(logEstimate);
  const isCounted =
    rule === 'established' ? evidence.endsWith('beyond') : rule === 'estimate' ? size >= bound : size >= bound / 2;
  return isCounted ? direction : undefined;
}

/** True when the interval lies inside the bounds: no change of the effect size, whatever the test says. */
export function isInsideBounds(logInterval: readonly [number, number], bounds: EffectBounds): boolean {
  return logInterval[0] >= -bounds.worse && logInterval[1] <= bounds.better;
}
