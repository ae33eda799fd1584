/**
 * Parser for the `inputs` input: JSON (or YAML flow) text of model-input overrides. Every
 * problem in the list is reported at once, in one hint, each named by its item position.
 */
import { parseDocument } from 'yaml';
import type { InputDataMode, InputOverride } from './config.js';
import { type Parser, fail, ok } from './parse-values.js';
import { didYouMean } from './suggest.js';

/** Datatype strings of the KServe v2 protocol, as Triton spells them. */
export const TRITON_DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BF16',
  'BYTES',
] as const;

const EXPECTED =
  'a JSON or YAML list of {name, datatype?, shape?, data?} ' +
  `(e.g. '[{"name": "INPUT0", "shape": [16], "data": "random"}]')`;
/** Aliases the value may expand, as in a config file ("billion laughs" guard). */
const MAX_ALIAS_COUNT = 100;
const ITEM_KEYS = ['name', 'datatype', 'shape', 'data'] as const;
const DATA_MODES: readonly InputDataMode[] = ['random', 'zeros'];

/** `inputs`: a list of overrides with unique names; shapes exclude the batch dimension. */
export const inputOverrides: Parser<readonly InputOverride[]> = (value) => {
  const document = parseDocument(value);
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const line = syntaxError.linePos?.[0].line;
    const where = line === undefined ? '' : `line ${line}: `;
    return fail({ expected: EXPECTED, hint: `${where}${firstLine(syntaxError.message)}` });
  }
  let list: unknown;
  try {
    // Bounded like the config file's aliases; an alias without its anchor is a ReferenceError.
    list = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error: unknown) {
    return fail({ expected: EXPECTED, hint: firstLine(error instanceof Error ? error.message : String(error)) });
  }
  if (!Array.isArray(list)) return fail({ expected: EXPECTED, hint: 'the value is not a list' });
  const problems: string[] = [];
  const overrides: InputOverride[] = [];
  for (const [index, item] of (list as unknown[]).entries()) {
    const override = parseItem(item, (problem) => problems.push(`item ${index + 1} ${problem}`));
    if (override === undefined) continue;
    if (overrides.some((other) => other.name === override.name)) {
      problems.push(`item ${index + 1} repeats the name '${override.name}'`);
    }
    overrides.push(override);
  }
  return problems.length > 0 ? fail({ expected: EXPECTED, hint: problems.join('; ') }) : ok(overrides);
};

type Report = (problem: string) => void;

function parseItem(item: unknown, report: Report): InputOverride | undefined {
  if (!isRecord(item)) {
    report('is not a mapping');
    return undefined;
  }
  for (const key of Object.keys(item)) {
    if (!(ITEM_KEYS as readonly string[]).includes(key)) {
      report(`has unknown key '${key}'${suffix(didYouMean(key, ITEM_KEYS))}`);
    }
  }
  const { name, datatype, shape, data } = item;
  if (typeof name !== 'string' || name.trim() === '') report('needs a non-empty string name');
  const override: InputOverride = {
    name: typeof name === 'string' ? name : '',
    ...(datatype === undefined ? {} : { datatype: parseDatatype(datatype, report) }),
    ...(shape === undefined ? {} : { shape: parseShape(shape, report) }),
    ...(data === undefined ? {} : { data: parseData(data, report) }),
  };
  return override;
}

function parseDatatype(datatype: unknown, report: Report): string {
  const text = typeof datatype === 'string' ? datatype : JSON.stringify(datatype);
  if (!(TRITON_DATATYPES as readonly string[]).includes(text)) {
    const suggestion = didYouMean(text, TRITON_DATATYPES);
    report(`has datatype '${text}', not one of ${TRITON_DATATYPES.join(', ')}${suffix(suggestion)}`);
  }
  return text;
}

function parseShape(shape: unknown, report: Report): readonly number[] {
  if (!Array.isArray(shape)) {
    report('has a shape that is not a list of integers');
    return [];
  }
  const dims = shape as unknown[];
  for (const [index, dim] of dims.entries()) {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 1) {
      report(`has shape[${index}] = ${JSON.stringify(dim)}; dims are integers >= 1 (no batch dim, no -1)`);
    }
  }
  return dims.filter((dim): dim is number => typeof dim === 'number');
}

function parseData(data: unknown, report: Report): InputOverride['data'] {
  if (typeof data === 'string' && (DATA_MODES as readonly string[]).includes(data)) {
    return data as InputDataMode;
  }
  if (isRecord(data) && Object.keys(data).length === 1 && typeof data.file === 'string' && data.file !== '') {
    return { file: data.file };
  }
  const shown = typeof data === 'string' ? `'${data}'` : JSON.stringify(data);
  const suggestion = typeof data === 'string' ? didYouMean(data, DATA_MODES) : undefined;
  report(`has data ${shown}; expected 'random', 'zeros' or {file: path}${suffix(suggestion)}`);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function suffix(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : `, ${suggestion}`;
}

/** The yaml library's first message line, without the `:` that introduced its code excerpt. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/:$/, '');
}
