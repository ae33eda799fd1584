/**
 * Strict parsers for one raw input value (docs/architecture.md#config): integers, integer lists with ranges,
 * fractions and percentages, booleans, enums and shards. Each returns the value or what was
 * expected; none throws, so `parseConfig` can collect every issue before failing.
 */
import { didYouMean } from './suggest.js';

/** Outcome of parsing one raw value: the value, or what was expected (and maybe a hint). */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly expected: string; readonly hint?: string };

/** Parses one raw, non-empty input value. */
export type Parser<T> = (text: string) => Parsed<T>;

/** A successful parse. */
export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

/** Why a value was refused: what would have been accepted, and maybe the culprit or the fix. */
export interface Problem {
  readonly expected: string;
  readonly hint?: string | undefined;
}

/** A failed parse (an absent `hint` is left out, so results compare cleanly in tests). */
export function fail({ expected, hint }: Problem): Parsed<never> {
  return hint === undefined ? { ok: false, expected } : { ok: false, expected, hint };
}

/** Largest integer any input accepts: Triton's `max_batch_size` and most counts are int32. */
export const MAX_INT32 = 2_147_483_647;

/** A range like `1-100000` would allocate that many cells; no sane matrix has more columns. */
export const MAX_LIST_VALUES = 1000;

const DIGITS = /^\d+$/;
const RANGE = /^(\d+)-(\d+)$/;
// `0.05`, `.05`, `5%` and `1e-3`: YAML and people write fractions all these ways.
const DECIMAL = /^((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)(%?)$/;

/** Bounds of an integer input; `expected` overrides the generated description. */
export interface IntegerRule {
  readonly min: number;
  readonly max?: number;
  readonly expected?: string;
}

/** Integer in `[min, max]` written in plain decimal digits: no sign, point, exponent or hex. */
export function integer(rule: IntegerRule): Parser<number> {
  const max = rule.max ?? MAX_INT32;
  const expected =
    rule.expected ?? (rule.max === undefined ? `an integer >= ${rule.min}` : `an integer from ${rule.min} to ${max}`);
  return (text) => {
    if (!DIGITS.test(text)) return fail({ expected, hint: notDigitsHint(text) });
    const value = Number(text);
    if (value < rule.min) return fail({ expected, hint: `${text} is below ${rule.min}` });
    if (value > max) return fail({ expected, hint: `${text} is above ${max}` });
    return ok(value);
  };
}

/** Explains why a value that is not plain digits was refused (the common slips). */
function notDigitsHint(text: string): string | undefined {
  if (text.trim() !== text) return 'remove the surrounding spaces';
  if (text.startsWith('-')) return 'negative numbers are not allowed';
  if (/^\d+\.\d*$/.test(text)) return 'not a whole number';
  if (/^0x/i.test(text) || /^\d+(\.\d+)?e\d+$/i.test(text)) return 'write plain decimal digits';
  return undefined;
}

/** Rule of an integer list: smallest allowed value and the phrase for "expected". */
export interface IntegerListRule {
  readonly min: number;
  readonly expected: string;
}

/**
 * Comma-separated integers and inclusive ranges (`8,16,32`, `1-10`, `1,2,4-6`), items trimmed,
 * order kept. Refuses empty items, reversed ranges, values out of bounds and duplicates.
 */
export function integerList(rule: IntegerListRule): Parser<readonly number[]> {
  const failList = (hint: string): Parsed<never> => fail({ expected: rule.expected, hint });
  return (text) => {
    const values: number[] = [];
    for (const [index, item] of text.split(',').entries()) {
      const expanded = expandItem(item.trim(), index + 1, rule.min);
      if (typeof expanded === 'string') return failList(expanded);
      for (const value of expanded) {
        if (values.includes(value)) return failList(`${value} is listed twice`);
        values.push(value);
      }
      if (values.length > MAX_LIST_VALUES) return failList(`more than ${MAX_LIST_VALUES} values`);
    }
    return ok(values);
  };
}

/** The values of one list item (`8` or `1-10`), or the hint saying what is wrong with it. */
function expandItem(item: string, position: number, min: number): number[] | string {
  if (item === '') return `item ${position} is empty`;
  const range = RANGE.exec(item);
  const low = range ? range[1] : item;
  const high = range ? range[2] : item;
  if (low === undefined || high === undefined || !DIGITS.test(low)) {
    return `item ${position} '${item}' is not an integer or a range`;
  }
  const [from, to] = [Number(low), Number(high)];
  if (from < min) return `'${item}' goes below ${min}`;
  if (to > MAX_INT32) return `'${item}' goes above ${MAX_INT32}`;
  if (from > to) return `range '${item}' is reversed; write '${high}-${low}'`;
  if (to - from + 1 > MAX_LIST_VALUES) return `range '${item}' has more than ${MAX_LIST_VALUES} values`;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Bounds of a fraction input (a plain number `0.05` or a percentage `5%`). */
export interface FractionRule {
  readonly min: number;
  readonly max: number;
  readonly isMinIncluded: boolean;
  readonly isMaxIncluded: boolean;
  readonly expected: string;
}

/** A fraction written as `0.05` or `5%` (stored as 0.05), within the rule's bounds. */
export function fraction(rule: FractionRule): Parser<number> {
  return (text) => {
    const match = DECIMAL.exec(text);
    if (!match?.[1]) return fail({ expected: rule.expected, hint: notDigitsHint(text) });
    const isPercent = match[2] === '%';
    const value = isPercent ? Number(match[1]) / 100 : Number(match[1]);
    const isAboveMin = rule.isMinIncluded ? value >= rule.min : value > rule.min;
    const isBelowMax = rule.isMaxIncluded ? value <= rule.max : value < rule.max;
    if (isAboveMin && isBelowMax) return ok(value);
    // `5` for "5%" is the usual slip: a plain number is a fraction, so say what was meant.
    const percentHint = !isPercent && value >= 1 ? `did you mean '${text}%'?` : undefined;
    return fail({ expected: rule.expected, hint: percentHint });
  };
}

/** Only `true` or `false`, as `@actions/core` `getBooleanInput` intends (docs/architecture.md#config). */
export const boolean: Parser<boolean> = (text) => {
  if (text === 'true') return ok(true);
  if (text === 'false') return ok(false);
  const lower = text.trim().toLowerCase();
  const hint = lower === 'true' || lower === 'false' ? `write '${lower}'` : undefined;
  return fail({ expected: 'true or false', hint });
};

/** One of `allowed`, exactly; a near miss gets "did you mean". */
export function oneOf<T extends string>(allowed: readonly T[]): Parser<T> {
  const expected = `one of ${allowed.join(', ')}`;
  return (text) =>
    (allowed as readonly string[]).includes(text) ? ok(text as T) : fail({ expected, hint: didYouMean(text, allowed) });
}

/** Shard `i/n` (docs/architecture.md#comparison-store-and-reports): this job runs part `index` of `count`, 1 <= index <= count. */
export const shard: Parser<{ readonly index: number; readonly count: number }> = (text) => {
  const expected = "'i/n' with 1 <= i <= n (e.g. '1/1' or '2/4')";
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match?.[1] || !match[2]) return fail({ expected });
  const [index, count] = [Number(match[1]), Number(match[2])];
  if (count < 1 || count > MAX_INT32) return fail({ expected, hint: 'n must be at least 1' });
  if (index < 1 || index > count) return fail({ expected, hint: `i must be from 1 to ${count}` });
  return ok({ index, count });
};

/** Any non-blank text without surrounding whitespace (names, paths, branches). */
export function text(expected: string): Parser<string> {
  return (value) => {
    if (value.trim() === '') return fail({ expected, hint: 'the value is blank' });
    if (value.trim() !== value) return fail({ expected, hint: 'remove the surrounding spaces' });
    return ok(value);
  };
}

/**
 * Any non-blank text, trimmed: for multi-line values (a shell command) where a YAML block
 * scalar's trailing newline means nothing.
 */
export function trimmedText(expected: string): Parser<string> {
  return (value) => (value.trim() === '' ? fail({ expected, hint: 'the value is blank' }) : ok(value.trim()));
}
