/**
 * The one error an invalid configuration produces (docs/architecture.md#errors): every issue found, listed one per
 * line, so a user fixes them all in one round instead of one per CI run.
 */
import { redactUserinfo } from '../redact-secrets.js';
import { SECRET_INPUTS } from './inputs.js';

/** One invalid input: which one, what was received, what was expected, and maybe what to do. */
export interface ConfigIssue {
  /** Input name (`users`, `config-file`, ...) as the user wrote it. */
  readonly input: string;
  /** The value received, verbatim (`''` when a required input was not given). */
  readonly value: string;
  /** What would have been accepted, phrased to follow "expected" (`integers >= 1 ("1-10")`). */
  readonly expected: string;
  /** The next step or the precise culprit (`5 is listed twice`); never contains secret text. */
  readonly hint?: string;
}

/** What a secret input's value is replaced with, in `issues` and in the message. */
export const MASKED_VALUE = '***';

/** Values longer than this are shortened in the message (they stay whole in `issues`). */
const MAX_SHOWN_VALUE_CHARS = 80;

/**
 * Thrown by config parsing and the config readers; carries every issue, secrets masked: the
 * value of a secret input whole, and URL userinfo in any value (`grpc://user:SECRET@host`).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Every issue found, in input order; values of `SECRET_INPUTS` are `***`. */
  readonly issues: readonly ConfigIssue[];

  /** @param issues at least one issue; @param options `cause` when wrapping an I/O error. */
  constructor(issues: readonly ConfigIssue[], options?: ErrorOptions) {
    const masked = Object.freeze(issues.map(maskIssue));
    super(masked.map(formatConfigIssue).join('\n'), options);
    this.issues = masked;
  }
}

/**
 * One issue as a message line, the docs/architecture.md#errors form:
 * `input 'users': got '0-4', expected integers >= 1 ("1,2,4" or "1-10")`, then `; <hint>`.
 * Newlines in the value are shown as `\n` so that each issue stays on one line.
 */
export function formatConfigIssue(issue: ConfigIssue): string {
  const shown = isSecretInput(issue.input) ? MASKED_VALUE : shortenValue(issue.value);
  const line = `input '${issue.input}': got '${shown}', expected ${issue.expected}`;
  return issue.hint === undefined ? line : `${line}; ${issue.hint}`;
}

function maskIssue(issue: ConfigIssue): ConfigIssue {
  return Object.freeze(
    isSecretInput(issue.input) ? { ...issue, value: MASKED_VALUE } : { ...issue, value: redactUserinfo(issue.value) },
  );
}

function isSecretInput(input: string): boolean {
  return SECRET_INPUTS.includes(input);
}

function shortenValue(value: string): string {
  const oneLine = value.replace(/\r?\n/g, '\\n');
  return oneLine.length <= MAX_SHOWN_VALUE_CHARS ? oneLine : `${oneLine.slice(0, MAX_SHOWN_VALUE_CHARS - 1)}…`;
}
