/**
 * The text of a caught value, for logs and reports (docs/architecture.md#errors: catch `unknown`, narrow with
 * `instanceof`, never `${err}`).
 */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return 'unknown error (a non-Error value was thrown)';
}
