/**
 * One bad input and what rejecting it must look like (issue 6, docs/architecture.md#errors): the exit code, and a
 * message naming the input, the value received and what was expected. Each channel's table
 * (action-cases.ts, cli-cases.ts, ...) is run by its own test file and rendered, all together,
 * into docs/errors.md by errors-doc.test.ts, so the document cannot drift from what is tested.
 */
import { expect } from 'vitest';

/** Where the bad value comes from, as the docs name it. */
export type Channel =
  | 'action input'
  | 'CLI flag'
  | 'config file (YAML)'
  | 'model metadata (real Triton)'
  | 'server connection (real Triton)'
  | 'stored data'
  | 'GitHub token';

/** A bad input, channel-independent part. */
export interface BadInputCase {
  /** Unique within its channel; the test's name. */
  readonly name: string;
  /** The input, flag or file the message names. */
  readonly input: string;
  /** The bad value as the user wrote it (for secrets: a description, never the secret). */
  readonly value: string;
  /**
   * A verbatim part of the message, asserted. `{dir}` stands for the case's scratch directory
   * and `{server}` for the server's `host:port` (both vary per run).
   */
  readonly excerpt: string;
  /** CLI: 2 for usage and config errors, 1 when the run failed; Action: 1 (failed step). */
  readonly exitCode: number;
  /** Why the outcome is what it is, when that is not obvious (shown in the docs). */
  readonly note?: string;
  /** Text that must appear nowhere in the output (a secret carried by the bad value). */
  readonly secret?: string;
  /**
   * How the message names the input when not by its name: failures the server reports name
   * the RPC and the server (`ServerLive on {server}`, docs/architecture.md#errors) rather than `server-url`.
   */
  readonly namedAs?: string;
}

/** Values of the `{name}` placeholders of an excerpt (`dir`, `server`, ...). */
export type Placeholders = Readonly<Record<string, string>>;

/** `text` with every `{name}` of `placeholders` replaced; other braces stay as they are. */
export function fillPlaceholders(text: string, placeholders: Placeholders = {}): string {
  return text.replace(/\{([a-z]+)\}/g, (whole, name: string) => placeholders[name] ?? whole);
}

/** `excerpt` with its placeholders replaced. */
export function excerptOf(testCase: BadInputCase, placeholders: Placeholders = {}): string {
  return fillPlaceholders(testCase.excerpt, placeholders);
}

/**
 * The table itself is well-formed: the excerpt names the input and quotes the value (unless
 * the value is secret or not text the user typed, which `note` then explains).
 */
export function expectWellFormed(testCase: BadInputCase, options: { readonly isValueQuoted?: boolean } = {}): void {
  // With `namedAs`, expectRejected checks the output names the RPC and server instead.
  if (testCase.namedAs === undefined) expect(testCase.excerpt, 'the excerpt names the input').toContain(testCase.input);
  if (testCase.secret === undefined && options.isValueQuoted !== false) {
    expect(testCase.excerpt, 'the excerpt quotes the value').toContain(testCase.value);
  }
}

/** What a rejected attempt produced. */
export interface Rejection {
  readonly exitCode: number | null;
  /** The text a user sees (stderr, stdout, decoded `::error::` lines). */
  readonly text: string;
}

/** Asserts the exit code, the excerpt, and that a secret carried by the value never shows. */
export function expectRejected(testCase: BadInputCase, rejection: Rejection, placeholders: Placeholders = {}): void {
  expect(rejection.exitCode, rejection.text).toBe(testCase.exitCode);
  expect(rejection.text).toContain(excerptOf(testCase, placeholders));
  if (testCase.namedAs !== undefined)
    expect(rejection.text).toContain(fillPlaceholders(testCase.namedAs, placeholders));
  if (testCase.secret !== undefined) expect(rejection.text).not.toContain(testCase.secret);
}

/**
 * What a rejected CLI call prints on stdout: `run`, `merge` and `compare` end every path with
 * `verdict: failure` (README, "The CLI"); other commands print nothing.
 */
export function verdictLineOf(argv: readonly string[]): string {
  return ['run', 'merge', 'compare'].includes(argv[0] ?? '') ? 'verdict: failure\n' : '';
}
