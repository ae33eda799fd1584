/**
 * Where throughput stops growing with max_batch (README.md, question 1): per users column, the
 * smallest max_batch whose dps is within a tolerance of the column's best. Pure and small so the
 * rule can be unit-tested apart from any report.
 */

/** Tolerance used by the reports: within 3% of the best counts as saturated. */
export const SATURATION_TOLERANCE = 0.03;

/** One measured cell: its median dps. */
export interface DpsPoint {
  readonly maxBatch: number;
  readonly users: number;
  readonly dps: number;
}

/** The answer for one users column. */
export interface Saturation {
  readonly users: number;
  /** Smallest max_batch with `dps >= bestDps × (1 − tolerance)`. */
  readonly maxBatch: number;
  readonly bestDps: number;
  /** True when a larger max_batch was measured in this column: throughput flattened. False when
   * the answer is the largest measured max_batch (throughput may still be rising). */
  readonly isPlateau: boolean;
}

/** Consecutive users columns with the same answer. */
export interface SaturationGroup {
  /** Ascending users values of the group's columns. */
  readonly users: readonly number[];
  readonly maxBatch: number;
  readonly isPlateau: boolean;
}

/**
 * One {@link Saturation} per users column that has a point with `dps > 0`, ascending by users.
 * `tolerance` is a fraction (0.03 = 3%).
 */
export function findSaturation(points: readonly DpsPoint[], tolerance: number = SATURATION_TOLERANCE): Saturation[] {
  const byUsers = new Map<number, DpsPoint[]>();
  for (const point of points) {
    if (!(point.dps > 0)) continue;
    byUsers.set(point.users, [...(byUsers.get(point.users) ?? []), point]);
  }
  return [...byUsers.entries()]
    .sort(([a], [b]) => a - b)
    .map(([users, column]) => saturationOfColumn(users, column, tolerance));
}

function saturationOfColumn(users: number, column: readonly DpsPoint[], tolerance: number): Saturation {
  const bestDps = Math.max(...column.map((point) => point.dps));
  const floor = bestDps * (1 - tolerance);
  const maxBatches = column.map((point) => point.maxBatch);
  const maxBatch = Math.min(...column.filter((point) => point.dps >= floor).map((point) => point.maxBatch));
  return { users, maxBatch, bestDps, isPlateau: maxBatch < Math.max(...maxBatches) };
}

/** Merges adjacent columns (in the order given) that share max_batch and plateau state. */
export function groupSaturation(saturations: readonly Saturation[]): SaturationGroup[] {
  const groups: SaturationGroup[] = [];
  for (const saturation of saturations) {
    const last = groups.at(-1);
    if (last !== undefined && last.maxBatch === saturation.maxBatch && last.isPlateau === saturation.isPlateau) {
      groups[groups.length - 1] = { ...last, users: [...last.users, saturation.users] };
    } else {
      groups.push({ users: [saturation.users], maxBatch: saturation.maxBatch, isPlateau: saturation.isPlateau });
    }
  }
  return groups;
}
