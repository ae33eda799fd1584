/**
 * Reads raw inputs one field at a time for `parseConfig`, collecting issues instead of throwing,
 * so that every invalid input is reported in one `ConfigError` (docs/architecture.md#config).
 */
import type { ConfigIssue } from './config-error.js';
import { INPUT_DOCS } from './input-docs.js';
import type { InputName, RawInputs } from './inputs.js';
import type { Parser } from './parse-values.js';

/** Field access over one `RawInputs`; pure, but it accumulates `issues`. */
export interface FieldReader {
  /** Issues found so far, in the order fields were read. */
  readonly issues: readonly ConfigIssue[];
  /** The raw value when given (non-empty), else `undefined`. */
  given(name: InputName): string | undefined;
  /** The raw value that was parsed: the given one, else the default text (`''` if none). */
  rawText(name: InputName): string;
  /**
   * The given value parsed, else the parsed default. An invalid given value is an issue and
   * yields the default, only so that building can go on; the issue makes the parse fail.
   */
  withDefault<T>(name: InputName, parse: Parser<T>): T;
  /** The given value parsed, or `undefined` when not given or invalid (then an issue). */
  optional<T>(name: InputName, parse: Parser<T>): T | undefined;
  /** Records an issue found by a rule spanning several fields. */
  report(issue: ConfigIssue): void;
  /** True when none of `names` has an issue: rules over them may run. */
  isValid(...names: readonly InputName[]): boolean;
}

/** A reader over `raw`; empty strings count as not given. */
export function createFieldReader(raw: RawInputs): FieldReader {
  const issues: ConfigIssue[] = [];
  const given = (name: InputName): string | undefined => {
    const value = raw[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const optional = <T>(name: InputName, parse: Parser<T>): T | undefined => {
    const value = given(name);
    if (value === undefined) return undefined;
    const parsed = parse(value);
    if (parsed.ok) return parsed.value;
    issues.push(issueOf(name, value, parsed.expected, parsed.hint));
    return undefined;
  };
  return {
    issues,
    given,
    rawText: (name) => given(name) ?? INPUT_DOCS[name].default ?? '',
    optional,
    withDefault: (name, parse) => optional(name, parse) ?? parseDefault(name, parse),
    report: (issue) => issues.push(issue),
    isValid: (...names) => !issues.some((issue) => (names as readonly string[]).includes(issue.input)),
  };
}

function parseDefault<T>(name: InputName, parse: Parser<T>): T {
  const text = INPUT_DOCS[name].default;
  const parsed = text === undefined ? undefined : parse(text);
  // A missing or invalid default is a bug in input-docs.ts, not a user error.
  if (!parsed?.ok) throw new Error(`input-docs.ts: default of '${name}' is missing or invalid`);
  return parsed.value;
}

function issueOf(input: InputName, value: string, expected: string, hint: string | undefined): ConfigIssue {
  return hint === undefined ? { input, value, expected } : { input, value, expected, hint };
}
