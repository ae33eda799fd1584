/**
 * Every declared input of one `RawInputs` parsed by its value kind (inputs.ts), with defaults,
 * collecting issues instead of throwing so that one `ConfigError` lists them all. Pure.
 */
import type { ConfigIssue } from './config-error.js';
import { INPUT_NAMES, INPUT_SPECS, type InputName, type InputSpec, type InputValue, type RawInputs } from './inputs.js';
import { parseValue } from './values.js';

/** The parsed inputs of one `RawInputs`, and the issues found so far. */
export interface Fields {
  /** Issues in the order inputs were declared, then the cross-field ones. */
  readonly issues: ConfigIssue[];
  /** The raw value when given (non-empty), else `undefined`. */
  readonly given: (name: InputName) => string | undefined;
  /** The raw text that was parsed: the given one, else the default text (`''` if none). */
  readonly rawText: (name: InputName) => string;
  /** The given value parsed; else (not given, or invalid: then an issue) the parsed default, if any. */
  readonly get: <N extends InputName>(name: N) => InputValue<N> | undefined;
  /** Like `get`, for an input whose declaration has a default. */
  readonly must: <N extends InputName>(name: N) => InputValue<N>;
  /** True when none of `names` has an issue: rules over them may run. */
  readonly isValid: (...names: readonly InputName[]) => boolean;
}

/** Parses every declared input of `raw`; empty strings count as not given. */
export function parseFields(raw: RawInputs): Fields {
  const issues: ConfigIssue[] = [];
  const values = new Map<InputName, unknown>();
  const given = (name: InputName): string | undefined => (raw[name] === '' ? undefined : raw[name]);
  for (const name of INPUT_NAMES) {
    const { value, default: fallback, isRequired } = INPUT_SPECS[name] as InputSpec;
    const text = given(name);
    if (text === undefined && isRequired === true)
      issues.push({ input: name, value: '', expected: `${value.expected} (required)` });
    const parsed = text === undefined ? undefined : parseValue(value, text);
    if (parsed?.ok === false) {
      const { expected, hint } = parsed;
      issues.push({ input: name, value: text ?? '', expected, ...(hint === undefined ? {} : { hint }) });
    }
    if (parsed?.ok === true) values.set(name, parsed.value);
    else if (fallback !== undefined) {
      const parsedDefault = parseValue(value, fallback);
      // An invalid default is a bug in inputs.ts, not a user error.
      if (!parsedDefault.ok) throw new Error(`inputs.ts: default of '${name}' is invalid`);
      values.set(name, parsedDefault.value);
    }
  }
  const get = <N extends InputName>(name: N): InputValue<N> | undefined =>
    values.get(name) as InputValue<N> | undefined;
  return {
    issues,
    given,
    rawText: (name) => given(name) ?? INPUT_SPECS[name].default ?? '',
    get,
    must: (name) => {
      const value = get(name);
      if (value === undefined) throw new Error(`inputs.ts: '${name}' has no default`);
      return value;
    },
    isValid: (...names) => !issues.some((issue) => (names as readonly string[]).includes(issue.input)),
  };
}
