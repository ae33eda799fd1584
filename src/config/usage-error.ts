/**
 * Bad command-line usage (unknown flag or command, missing flag value, conflicting flags).
 * Distinct from `ConfigError` (bad values) only in what the CLI prints next; both exit with 2.
 */

/** Options of a `UsageError`: the standard `cause`, plus the offending flag. */
export interface UsageErrorOptions extends ErrorOptions {
  /** The offending flag or command as typed (`--user`, `rn`), when there is one. */
  readonly flag?: string | undefined;
}

/** Thrown by `readCliFlags`; the CLI prints it with a pointer to `--help` and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The offending flag or command as typed, when there is one. */
  readonly flag: string | undefined;

  /** @param message what was wrong and, where known, the nearest valid flag or command. */
  constructor(message: string, options: UsageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.flag = options.flag;
  }
}
