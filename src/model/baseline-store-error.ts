/**
 * The one error a baseline store throws (docs/architecture.md#errors): what failed, where, and the next step.
 * `reason` is what callers and tests branch on; GitHub's own error stays as `cause`.
 */

/**
 * Why a store operation failed:
 * - `permission`: the token may not read or write the branch (fails at once, never retried);
 * - `transport`: GitHub kept failing (5xx, network) after every retry;
 * - `rate-limit`: GitHub asked us to wait longer than the store is willing to;
 * - `conflict`: other writers kept moving the branch for every attempt;
 * - `exists`: a different run file already exists at the target path (never overwritten);
 * - `refused`: GitHub rejected a write for another reason (ruleset, protected branch, ...);
 * - `invalid`: a user-supplied path, key or file is not usable.
 */
export type BaselineStoreFailure =
  'permission' | 'transport' | 'rate-limit' | 'conflict' | 'exists' | 'refused' | 'invalid';

/** Thrown by stores when a load or save cannot complete. */
export class BaselineStoreError extends Error {
  override readonly name = 'BaselineStoreError';

  /**
   * @param reason what callers branch on
   * @param location the branch (`owner/repo@branch`), directory or file concerned
   * @param message complete sentence(s): what failed, where, and the next step
   */
  constructor(
    readonly reason: BaselineStoreFailure,
    readonly location: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
