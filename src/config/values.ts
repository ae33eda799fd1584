/**
 * The kinds of value an input can hold (docs/architecture.md#config): each is a zod schema over
 * the raw text plus the phrase for "expected" and the `--help` placeholder. A schema's issue
 * message is the hint of a refusal ('' for none). Pure. Text is checked strictly before any
 * number is read, because zod's coercion would take `0x20`, ` 8 ` and `1e3`.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { errorMessage } from '../error-message.js';
import { didYouMean } from './suggest.js';

/** How request input data are generated when no file is given. */
export type InputDataMode = 'random' | 'zeros';

/** One user override of a model input (`inputs` key). Shapes exclude the batch dimension. */
export interface InputOverride {
  readonly name: string;
  /** Protocol datatype string (`FP32`, `INT64`, `BYTES`, ...); taken from ModelMetadata if absent. */
  readonly datatype?: string;
  /** Dimensions without the batch dimension; required where ModelMetadata reports -1. */
  readonly shape?: readonly number[];
  /**
   * `random`, `zeros`, a path to a JSON file holding the flattened values of one item, or `none`:
   * an optional input left out of the requests (every input is sent otherwise).
   */
  readonly data?: InputDataMode | 'none' | { readonly file: string };
}

/** A value kind: its schema, what a valid value looks like, and its placeholder in `--help`. */
export interface ValueType<T> {
  readonly schema: z.ZodType<T, string>;
  readonly expected: string;
  readonly placeholder: string;
}

/** Why a value was refused: what would have been accepted, and maybe the culprit or the fix. */
export interface Problem {
  readonly expected: string;
  readonly hint?: string | undefined;
}

/** Outcome of parsing one raw value. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & Problem);

/** The message of a refusal that has no hint (zod replaces an empty message with its own). */
const NO_HINT = '(no hint)';

/** Parses `text` as `type`; the first issue's message (unless `NO_HINT`) is the hint. */
export function parseValue<T>(type: ValueType<T>, text: string): Parsed<T> {
  const result = type.schema.safeParse(text);
  if (result.success) return { ok: true, value: result.data };
  const hint = result.error.issues[0]?.message ?? NO_HINT;
  return hint === NO_HINT ? { ok: false, expected: type.expected } : { ok: false, expected: type.expected, hint };
}

/** Largest integer any input accepts: Triton's `max_batch_size` and most counts are int32. */
export const MAX_INT32 = 2_147_483_647;
/** A range like `1-100000` would allocate that many cells; no sane matrix has more columns. */
export const MAX_LIST_VALUES = 1000;
/** Aliases a YAML value may expand ("billion laughs" guard), in `inputs` and in config files. */
export const MAX_ALIAS_COUNT = 100;

const DIGITS = /^\d+$/;
// `0.05`, `.05`, `5%` and `1e-3`: YAML and people write fractions all these ways.
const DECIMAL = /^((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)(%?)$/;

/** A refusal by a value kind's reader: the hint ('' for none). */
class Refusal {
  constructor(readonly hint = '') {}
}
const refuse = (hint?: string): Refusal => new Refusal(hint);

/** A value kind whose `read` returns the value, or a `Refusal` saying why there is none. */
function kind<T>(expected: string, placeholder: string, read: (text: string) => T | Refusal): ValueType<T> {
  const schema = z.string().transform((text, ctx) => {
    const value = read(text);
    if (!(value instanceof Refusal)) return value;
    ctx.addIssue({ code: 'custom', message: value.hint === '' ? NO_HINT : value.hint });
    return z.NEVER;
  });
  return { schema, expected, placeholder };
}

/** Explains why a value that is not plain digits was refused (the common slips). */
function notDigitsHint(text: string): string {
  if (text.trim() !== text) return 'remove the surrounding spaces';
  if (text.startsWith('-')) return 'negative numbers are not allowed';
  if (/^\d+\.\d*$/.test(text)) return 'not a whole number';
  if (/^0x/i.test(text) || /^\d+(\.\d+)?e\d+$/i.test(text)) return 'write plain decimal digits';
  return '';
}

/** Integer in `[min, max]` in plain decimal digits: no sign, point, exponent or hex. */
export function integer(min: number, max = MAX_INT32, expected?: string): ValueType<number> {
  const range = max === MAX_INT32 ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  return kind(expected ?? range, 'n', (text) => {
    if (!DIGITS.test(text)) return refuse(notDigitsHint(text));
    const value = Number(text);
    if (value < min) return refuse(`${value} is below ${min}`);
    return value > max ? refuse(`${value} is above ${max}`) : value;
  });
}

/**
 * Comma-separated integers and inclusive ranges (`8,16,32`, `1-10`, `1,2,4-6`), and perf_analyzer's
 * `start:end[:step]` (`1:10:1`); order kept. Refuses empty items, reversed ranges, values out of
 * bounds and duplicates.
 */
export function integerList(min: number, expected: string): ValueType<readonly number[]> {
  return kind(expected, 'list', (text) => {
    const values: number[] = [];
    for (const [index, item] of text.split(',').entries()) {
      const expanded = expandItem(item.trim(), index + 1, min);
      if (typeof expanded === 'string') return refuse(expanded);
      for (const value of expanded) {
        if (values.includes(value)) return refuse(`${value} is listed twice`);
        values.push(value);
      }
      if (values.length > MAX_LIST_VALUES) return refuse(`more than ${MAX_LIST_VALUES} values`);
    }
    return values;
  });
}

/** The values of one list item (`8`, `1-10` or `1:10:2`), or the hint saying what is wrong with it. */
function expandItem(item: string, position: number, min: number): number[] | string {
  if (item === '') return `item ${position} is empty`;
  const match = /^(\d+)(?:-(\d+)|:(\d+)(?::(\d+))?)?$/.exec(item);
  if (match?.[1] === undefined) return `item ${position} '${item}' is not an integer or a range`;
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[3] ?? match[1]);
  const step = Number(match[4] ?? 1);
  if (from < min) return `'${item}' goes below ${min}`;
  if (to > MAX_INT32) return `'${item}' goes above ${MAX_INT32}`;
  if (step < 1) return `'${item}' has step 0`;
  if (from > to) return `range '${item}' is reversed; write '${item.replace(/^(\d+)([-:])(\d+)/, '$3$2$1')}'`;
  if ((to - from) / step + 1 > MAX_LIST_VALUES) return `range '${item}' has more than ${MAX_LIST_VALUES} values`;
  return Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
}

/** A fraction written as `0.05` or `5%` (read as 0.05), within `min`..`max`, each end in or out. */
export function fraction(
  [min, isMinIncluded]: readonly [number, boolean],
  [max, isMaxIncluded]: readonly [number, boolean],
  expected: string,
): ValueType<number> {
  return kind(expected, 'fraction', (text) => {
    const match = DECIMAL.exec(text);
    if (match?.[1] === undefined) return refuse(notDigitsHint(text));
    const value = match[2] === '%' ? Number(match[1]) / 100 : Number(match[1]);
    const isInside = (isMinIncluded ? value >= min : value > min) && (isMaxIncluded ? value <= max : value < max);
    if (isInside) return value;
    // `5` for "5%" is the usual slip: a plain number is a fraction, so say what was meant.
    return refuse(!text.endsWith('%') && value >= 1 ? `did you mean '${text}%'?` : '');
  });
}

/** Only `true` or `false`, as `@actions/core` `getBooleanInput` intends (docs/architecture.md#config). */
export const flag: ValueType<boolean> = kind('true or false', 'bool', (text) => {
  if (text === 'true' || text === 'false') return text === 'true';
  const lower = text.trim().toLowerCase();
  return refuse(lower === 'true' || lower === 'false' ? `write '${lower}'` : '');
});

/** One of `allowed`, exactly; a near miss gets "did you mean". `values` lists them for code. */
export function oneOf<const T extends string>(
  allowed: readonly [T, ...T[]],
  placeholder = 'mode',
): ValueType<T> & { readonly values: readonly T[] } {
  const schema = z.enum(allowed, { error: (issue) => didYouMean(String(issue.input), allowed) ?? NO_HINT });
  return { schema, expected: `one of ${allowed.join(', ')}`, placeholder, values: allowed };
}

/** Any non-blank text without surrounding whitespace, further checked by `rule` (names, paths). */
export function text(
  expected: string,
  placeholder: string,
  rule?: (value: string) => string | undefined,
): ValueType<string> {
  return kind(expected, placeholder, (value) => {
    if (value.trim() === '') return refuse('the value is blank');
    const hint = value.trim() === value ? rule?.(value) : 'remove the surrounding spaces';
    return hint === undefined ? value : refuse(hint);
  });
}

/** Non-blank text, trimmed: for multi-line values (a shell command) whose trailing newline means nothing. */
export function trimmedText(expected: string, placeholder: string): ValueType<string> {
  return kind(expected, placeholder, (value) => (value.trim() === '' ? refuse('the value is blank') : value.trim()));
}

/** Text matching `pattern` as a whole; a mismatch has no hint (the expected text says it all). */
export function matching(pattern: RegExp, expected: string, placeholder: string): ValueType<string> {
  return kind(expected, placeholder, (value) => (pattern.test(value) ? value : refuse()));
}

/** A model name: no path separators (it names a directory of the model repository). */
export const modelName = text('a model name', 'name', (value) =>
  /[/\\]/.test(value) ? "a model name has no '/' or '\\'" : undefined,
);

/** Shard `i/n` (docs/architecture.md#comparison-store-and-reports): part `index` of `count`. */
export const shard = kind("'i/n' with 1 <= i <= n (e.g. '1/1' or '2/4')", 'i/n', (value) => {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  if (match === null) return refuse();
  const [index, count] = [Number(match[1]), Number(match[2])];
  if (count < 1 || count > MAX_INT32) return refuse('n must be at least 1');
  return index < 1 || index > count ? refuse(`i must be from 1 to ${count}`) : { index, count };
});

/** A decimal in (0, `max`]: seconds of a time-based steady window, a latency in milliseconds. */
function positiveDecimal(max: number, expected: string, placeholder: string, hint = ''): ValueType<number> {
  return kind(expected, placeholder, (value) => {
    if (/^\d+(\.\d+)?$/.test(value) && Number(value) > 0 && Number(value) <= max) return Number(value);
    return refuse(hint !== '' && /^\d+(\.\d+)?\s*ms$/i.test(value) ? hint : '');
  });
}
/** Seconds of a time-based steady window. */
export const windowSeconds = positiveDecimal(3600, "seconds, a number in (0, 3600] (e.g. '2' or '0.5')", 'seconds');
/** A latency in milliseconds. */
export const milliseconds = positiveDecimal(
  3_600_000,
  "milliseconds, a number in (0, 3600000] (e.g. '20' or '12.5')",
  'ms',
  'write the number alone: the unit is ms',
);

/** A commit-ish handed to git as `<ref>:<path>`: no option-like '-', no ':' or '..', no whitespace. */
export const gitRef = text('a git commit-ish (a sha, branch, tag or HEAD~1)', 'ref', (value) => {
  if (value.startsWith('-')) return "a ref cannot start with '-'";
  return /[\s:]|\.\./.test(value) ? "a ref has no whitespace, ':' or '..'" : undefined;
});

/** A parsed `server-url`: the grpc-js target and whether to use TLS. */
export interface ServerTarget {
  /** `host:port` (`[v6]:port` for IPv6), as grpc-js expects it. */
  readonly address: string;
  readonly isTls: boolean;
}

/** DNS labels, plus `_`: Docker Compose service names (`triton_server`) resolve with it. */
const HOSTNAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/i;

/** Why a gRPC target is refused, or the target. HTTP URLs point at Triton's HTTP port, not gRPC. */
function serverTarget(value: string): ServerTarget | Refusal {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(value);
  const schemeName = scheme?.[1]?.toLowerCase();
  const authority = scheme ? (scheme[2] ?? '') : value;
  if (schemeName === 'http' || schemeName === 'https')
    return refuse("Triton's gRPC port is 8001 (HTTP is 8000); use 'grpc://host:8001'");
  if (schemeName !== undefined && schemeName !== 'grpc' && schemeName !== 'grpcs')
    return refuse(`scheme '${schemeName}' is not supported`);
  if (/[/?#]/.test(authority)) return refuse('remove the path or query: a gRPC target is only host:port');
  if (authority.includes('@')) return refuse('credentials belong in server-headers');
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(authority);
  let host: string;
  let port: string | undefined;
  if (bracketed) {
    if (!isIPv6(bracketed[1] ?? '')) return refuse('the bracketed host is not an IPv6 address');
    [host, port] = [`[${bracketed[1] ?? ''}]`, bracketed[2]];
  } else {
    const parts = authority.split(':');
    if (parts.length > 2) return refuse("write an IPv6 address in brackets: '[::1]:8001'");
    [host = '', port] = parts;
    if (!HOSTNAME.test(host) && !isIPv4(host)) return refuse(`'${host}' is not a host name or IP address`);
  }
  if (port === undefined || port === '') return refuse("add the port: Triton's gRPC port is 8001 by default");
  const number = /^\d{1,5}$/.test(port) ? Number(port) : 0;
  if (number < 1 || number > 65_535) return refuse(`port '${port}' is not 1..65535`);
  return { address: `${host}:${number}`, isTls: schemeName === 'grpcs' };
}

/** `host:port`, `grpc://host:port`, `grpcs://host:port` or `[::1]:8001`; the port is required. */
export const serverUrl = kind(
  "host:port, grpc://host:port or grpcs://host:port (e.g. '127.0.0.1:8001')",
  'url',
  serverTarget,
);

const METADATA_KEY = /^[a-z0-9_.-]+$/;
/** gRPC ASCII metadata values are printable ASCII (gRPC over HTTP/2 spec, Custom-Metadata). */
const METADATA_VALUE = /^[\x20-\x7e]+$/;

/** Why one header entry is refused, phrased to follow "entry N"; never quoting its text (a token). */
function headerProblem(key: string, value: string, seen: Readonly<Record<string, string>>): string | undefined {
  if (key === '') return 'has an empty key';
  if (key.toLowerCase() !== key && METADATA_KEY.test(key.toLowerCase())) return 'has a key with uppercase letters';
  if (!METADATA_KEY.test(key)) return 'has a key with characters outside [a-z0-9-_.]';
  if (key.startsWith('grpc-')) return "has a key starting with 'grpc-' (reserved by gRPC)";
  if (key.endsWith('-bin')) return "has a binary ('-bin') key, which is not supported";
  if (Object.hasOwn(seen, key)) return 'repeats an earlier key';
  if (value === '') return 'has an empty value';
  return METADATA_VALUE.test(value) ? undefined : 'has a value with characters outside printable ASCII';
}

/** `server-headers`: gRPC metadata whose values are secrets (hints name entries by position only). */
export const serverHeaders = kind(
  "'key: value' entries separated by newlines or commas, keys lowercase [a-z0-9-_.] not starting with 'grpc-'",
  'headers',
  (value) => {
    const entries = (value.includes('\n') ? value.split(/\r?\n/) : value.split(','))
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (entries.length === 0) return refuse('no entries');
    const headers: Record<string, string> = {};
    for (const [index, entry] of entries.entries()) {
      const colon = entry.indexOf(':');
      const [key, text] = [entry.slice(0, colon).trim(), entry.slice(colon + 1).trim()];
      const problem = colon < 0 ? "has no ':'" : headerProblem(key, text, headers);
      if (problem !== undefined) return refuse(`entry ${index + 1} ${problem}`);
      headers[key] = text;
    }
    return headers;
  },
);

/** `metrics-url`: an absolute http(s) URL without credentials, or `none` (read as null). */
export const metricsUrl = kind(
  "an http:// or https:// URL of Triton's metrics (e.g. 'http://127.0.0.1:8002/metrics') or 'none'",
  'url',
  (value) => {
    if (value === 'none') return null;
    if (!URL.canParse(value)) return refuse('not an absolute URL');
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return refuse(`scheme '${url.protocol.slice(0, -1)}' is not http or https`);
    return url.username !== '' || url.password !== '' ? refuse('remove the credentials') : url.href;
  },
);

/** Datatype strings of the KServe v2 protocol, as Triton spells them. */
// prettier-ignore
export const TRITON_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64',
  'FP16', 'FP32', 'FP64', 'BF16', 'BYTES'] as const;

/** One `inputs` item; shapes exclude the batch dimension (no -1: `shape` is what fills it). */
const overrideItem = z.strictObject({
  name: z.string().refine((name) => name.trim() !== ''),
  datatype: z.enum(TRITON_DATATYPES).optional(),
  shape: z.array(z.number().int().min(1)).optional(),
  data: z.union([z.enum(['random', 'zeros', 'none']), z.strictObject({ file: z.string().min(1) })]).optional(),
});

/** A zod issue of `item` in our words, following "item N". */
function overrideProblem(issue: z.core.$ZodIssue, item: unknown): string {
  const [field, index] = issue.path;
  const value = (item as Record<string, unknown> | null)?.[String(field)];
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(overrideItem.shape);
    return issue.keys.map((key) => `has unknown key '${key}'${suffix(didYouMean(key, known))}`).join('; ');
  }
  if (field === undefined) return 'is not a mapping';
  if (field === 'name') return 'needs a non-empty string name';
  if (field === 'datatype') {
    return `has datatype '${shown}', not one of ${TRITON_DATATYPES.join(', ')}${suffix(didYouMean(shown, TRITON_DATATYPES))}`;
  }
  if (field === 'shape' && index !== undefined) {
    const dim = JSON.stringify((value as unknown[])[Number(index)]);
    return `has shape[${String(index)}] = ${dim}; dims are integers >= 1 (no batch dim, no -1)`;
  }
  if (field === 'shape') return 'has a shape that is not a list of integers';
  const quoted = typeof value === 'string' ? `'${value}'` : shown;
  const hint = typeof value === 'string' ? didYouMean(value, ['random', 'zeros', 'none']) : undefined;
  return `has data ${quoted}; expected 'random', 'zeros', 'none' or {file: path}${suffix(hint)}`;
}

/** An `inputs` list's items, or its problems as "item N ...": every item, every field, once each. */
function overridesOf(list: unknown): { items: readonly InputOverride[] } | { problems: readonly string[] } {
  if (!Array.isArray(list)) return { problems: ['the value is not a list'] };
  const problems: string[] = [];
  const items: InputOverride[] = [];
  const names = (list as unknown[]).map((item) => (item as { name?: unknown } | null)?.name);
  for (const [position, item] of (list as unknown[]).entries()) {
    const parsed = overrideItem.safeParse(item);
    const messages = parsed.success ? [] : parsed.error.issues.map((issue) => overrideProblem(issue, item));
    const name = names[position];
    if (typeof name === 'string' && names.indexOf(name) < position) messages.push(`repeats the name '${name}'`);
    problems.push(...[...new Set(messages)].map((message) => `item ${position + 1} ${message}`));
    if (parsed.success) items.push(parsed.data);
  }
  return problems.length > 0 ? { problems } : { items };
}

/** `inputs`: JSON or YAML (flow) text of model-input overrides with unique names; every problem in one hint. */
export const inputOverrides: ValueType<readonly InputOverride[]> = kind(
  'a JSON or YAML list of {name, datatype?, shape?, data?} ' +
    `(e.g. '[{"name": "INPUT0", "shape": [16], "data": "random"}]')`,
  'json',
  (value) => {
    const document = parseDocument(value);
    const syntaxError = document.errors[0];
    if (syntaxError !== undefined) {
      const line = syntaxError.linePos?.[0].line;
      return refuse(`${line === undefined ? '' : `line ${line}: `}${firstLine(syntaxError.message)}`);
    }
    let list: unknown;
    try {
      // Bounded like a config file's aliases; an alias without its anchor is a ReferenceError.
      list = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error: unknown) {
      return refuse(firstLine(errorMessage(error)));
    }
    const overrides = overridesOf(list);
    return 'items' in overrides ? overrides.items : refuse(overrides.problems.join('; '));
  },
);

function suffix(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : `, ${suggestion}`;
}

/** The yaml library's first message line, without the `:` that introduced its code excerpt. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/:$/, '');
}

/** `input-data`: generated data (`random`, `zeros`), or perf_analyzer's `--input-data` JSON file. */
export type InputDataSource = InputDataMode | { readonly file: string };

/**
 * `input-data`: `random`, `zeros` (perf_analyzer's `zero` too) or a path to a JSON file in
 * perf_analyzer's `--input-data` format (read and checked against the model before any load).
 */
export const inputDataSource: ValueType<InputDataSource> = kind(
  "random, zeros (or zero), or the path of a JSON file in perf_analyzer's --input-data format",
  'mode|file',
  (value): InputDataSource | Refusal => {
    if (value.trim() === '') return refuse('the value is blank');
    if (value.trim() !== value) return refuse('remove the surrounding spaces');
    if (value === 'random') return 'random';
    return value === 'zeros' || value === 'zero' ? 'zeros' : { file: value };
  },
);

/** One `shape` item: an input's dims without the batch dimension. */
export interface ShapeOption {
  readonly name: string;
  readonly dims: readonly number[];
}

/** Most `shape` items; a model has a handful of inputs. */
const MAX_SHAPE_ITEMS = 100;
const SHAPE_ITEM = /^([^\s:]+):(\d+(?:,\d+)*)$/;

/**
 * `shape`: perf_analyzer's `--shape NAME:d1,d2` shorthand, items separated by spaces (or given
 * as a YAML list); dims exclude the batch dimension and are >= 1; names unique. Order kept.
 */
export const shapeList: ValueType<readonly ShapeOption[]> = kind(
  "'NAME:d1,d2' items separated by spaces (dims without the batch dimension, each >= 1)",
  'name:dims',
  (value) => {
    const items = value.split(/\s+/).filter((item) => item !== '');
    if (items.length === 0) return refuse('the value is blank');
    if (items.length > MAX_SHAPE_ITEMS) return refuse(`more than ${MAX_SHAPE_ITEMS} items`);
    const shapes: ShapeOption[] = [];
    for (const item of items) {
      const match = SHAPE_ITEM.exec(item);
      if (match === null) return refuse(`item '${item}' is not NAME:d1,d2`);
      const name = match[1] ?? '';
      if (shapes.some((shape) => shape.name === name)) return refuse(`input '${name}' is given twice`);
      const dims = (match[2] ?? '').split(',').map(Number);
      if (dims.some((d) => d < 1 || d > MAX_INT32))
        return refuse(`item '${item}' has a dim below 1 or above ${MAX_INT32}`);
      shapes.push({ name, dims });
    }
    return shapes;
  },
);
