/**
 * The one spelling of a cell's identity used everywhere (comparisons, gate outputs, the
 * `confirmed` set): `${maxBatch}x${users}`, e.g. `"32x8"`.
 */

/** Key of the cell at max_batch `maxBatch` and `users` users, e.g. `cellKey(32, 8) === "32x8"`. */
export function cellKey(maxBatch: number, users: number): string {
  return `${maxBatch}x${users}`;
}
