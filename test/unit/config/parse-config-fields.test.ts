import { describe, expect, it } from 'vitest';
import type { InputName } from '../../../src/config/inputs.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { issueFor, issuesOf } from './issues-of.js';

/** One invalid value: the issue must name the input, quote the value and say what was expected. */
type Case = readonly [input: InputName, value: string, expected: string, hint: string | undefined];

function checkCase([input, value, expected, hint]: Case): void {
  const issue = issueFor(issuesOf({ [input]: value }), input);
  expect(issue.value).toBe(value);
  expect(issue.expected).toContain(expected);
  if (hint === undefined) expect(issue.hint).toBeUndefined();
  else expect(issue.hint).toContain(hint);
}

const INTEGERS: readonly Case[] = [
  ['requests', '8.5', 'an integer >= 1', 'not a whole number'],
  ['requests', '-1', 'an integer >= 1', 'negative numbers are not allowed'],
  ['requests', '0x20', 'an integer >= 1', 'plain decimal digits'],
  ['requests', '1e3', 'an integer >= 1', 'plain decimal digits'],
  ['requests', ' 8 ', 'an integer >= 1', 'surrounding spaces'],
  ['requests', '0', 'an integer >= 1', '0 is below 1'],
  ['requests', 'many', 'an integer >= 1', undefined],
  ['requests', '99999999999', 'an integer >= 1', 'above 2147483647'],
  ['items-per-request', '0', 'an integer >= 1', '0 is below 1'],
  ['trials', '2', 'an integer from 3 to 100 (the rank test needs 3 trials per side)', '2 is below 3'],
  ['trials', '101', 'an integer from 3 to 100', '101 is above 100'],
  ['warmup-requests', '-5', 'an integer >= 0', 'negative'],
  ['seed', '4294967296', 'an integer from 0 to 4294967295', 'above'],
  ['seed', '1.0', 'an integer from 0 to 4294967295', 'not a whole number'],
  ['max-reruns', '101', 'an integer from 0 to 100', 'above'],
  ['trial-seconds', '0', "seconds, a number in (0, 3600] (e.g. '2' or '0.5')", undefined],
  ['trial-seconds', '2s', "seconds, a number in (0, 3600] (e.g. '2' or '0.5')", undefined],
  ['request-timeout-ms', '0', 'an integer >= 1', 'below'],
  ['request-timeout-ms', '30s', 'an integer >= 1', undefined],
  ['load-timeout-s', '0', 'an integer from 1 to 86400', 'below'],
  ['lock-timeout-s', '-1', 'an integer from 0 to 86400', 'negative'],
  ['lock-timeout-s', '86401', 'an integer from 0 to 86400', 'above'],
  ['lock-timeout-s', '5m', 'an integer from 0 to 86400', undefined],
  ['history', '0', 'an integer >= 1', 'below'],
  ['trend-issue', '0', 'a positive issue number', 'below'],
  ['trend-issue', '#12', 'a positive issue number', undefined],
  ['max-queue-delay-us', '1.5', 'an integer >= 0', 'not a whole number'],
  ['model-version', '0', 'a version number >= 1', 'below'],
  ['model-version', 'v1', 'a version number >= 1', undefined],
];

const BOOLEANS: readonly Case[] = [
  ['confirm', 'True', 'true or false', "write 'true'"],
  ['confirm', 'FALSE', 'true or false', "write 'false'"],
  ['confirm', 'yes', 'true or false', undefined],
  ['confirm', '1', 'true or false', undefined],
];

const USERS = 'integers >= 1 ("1,2,4" or "1-10")';
const MAX_BATCH = 'integers >= 0, 0 = no batching ("8,16,32,64")';
const LISTS: readonly Case[] = [
  ['users', '0-4', USERS, "'0-4' goes below 1"],
  ['users', '0', USERS, "'0' goes below 1"],
  ['users', '1,,2', USERS, 'item 2 is empty'],
  ['users', '1,2,', USERS, 'item 3 is empty'],
  ['users', ',1', USERS, 'item 1 is empty'],
  ['users', '10-1', USERS, "range '10-1' is reversed; write '1-10'"],
  ['users', '1,2,2', USERS, '2 is listed twice'],
  ['users', '1-4,3', USERS, '3 is listed twice'],
  ['users', '1 6', USERS, "item 1 '1 6' is not an integer or a range"],
  ['users', '1 - 4', USERS, 'is not an integer or a range'],
  ['users', '1.5', USERS, 'is not an integer or a range'],
  ['users', '1-', USERS, 'is not an integer or a range'],
  ['users', '1-100000', USERS, 'more than 1000 values'],
  ['users', '10:1', USERS, "range '10:1' is reversed; write '1:10'"],
  ['users', '1:10:0', USERS, "'1:10:0' has step 0"],
  ['users', '1:10:1:2', USERS, "item 1 '1:10:1:2' is not an integer or a range"],
  ['max-batch', '8,8', MAX_BATCH, '8 is listed twice'],
  ['max-batch', '-1', MAX_BATCH, "item 1 '-1' is not an integer or a range"],
  ['max-batch', '8.5', MAX_BATCH, 'is not an integer or a range'],
  ['max-batch', '0x20', MAX_BATCH, 'is not an integer or a range'],
  ['max-batch', '8;16', MAX_BATCH, 'is not an integer or a range'],
  ['max-batch', '3000000000', MAX_BATCH, 'goes above 2147483647'],
];

const FRACTIONS: readonly Case[] = [
  ['max-cv', '0', "a fraction in (0, 1] ('10%' or '0.1')", undefined],
  ['max-cv', '0%', 'a fraction in (0, 1]', undefined],
  ['max-cv', '10', 'a fraction in (0, 1]', "did you mean '10%'?"],
  ['max-cv', '150%', 'a fraction in (0, 1]', undefined],
  ['max-cv', 'ten', 'a fraction in (0, 1]', undefined],
  ['max-cv', '-0.1', 'a fraction in (0, 1]', 'negative'],
  ['alpha', '0', 'a number strictly between 0 and 1', undefined],
  ['alpha', '1', 'a number strictly between 0 and 1', "did you mean '1%'?"],
  ['alpha', '1.5', 'a number strictly between 0 and 1', "did you mean '1.5%'?"],
  ['min-effect', '100%', "a fraction from 0% to under 100% ('5%' or '0.05')", undefined],
  ['min-effect', '5', 'a fraction from 0% to under 100%', "did you mean '5%'?"],
  ['min-effect', '-5%', 'a fraction from 0% to under 100%', 'negative'],
  ['min-effect', '5 %', 'a fraction from 0% to under 100%', undefined],
];

const ENUMS: readonly Case[] = [
  ['batch-strategy', 'relaod', 'one of reload, models, command, fixed', "did you mean 'reload'?"],
  ['batch-strategy', 'Reload', 'one of reload, models, command, fixed', "did you mean 'reload'?"],
  ['batch-strategy', 'restart-the-server', 'one of reload, models, command, fixed', undefined],
  ['baseline-store', 'files', 'one of branch, file, none', "did you mean 'file'?"],
  ['save-baseline', 'allways', 'one of auto, always, never', "did you mean 'always'?"],
  ['fail-on', 'regressions', 'one of regression, never, any-failure', "did you mean 'regression'?"],
  ['fail-on', 'any_failure', 'one of regression, never, any-failure', "did you mean 'any-failure'?"],
  ['comment', 'onchange', 'one of always, on-change, never', "did you mean 'on-change'?"],
  ['capacity', 'yes', 'one of off, probe, search', undefined],
  ['capacity', 'serch', 'one of off, probe, search', "did you mean 'search'?"],
];

const SHAPE_EXPECTED = "'NAME:d1,d2' items separated by spaces (dims without the batch dimension, each >= 1)";
const SHAPES: readonly Case[] = [
  ['shape', 'tokens', SHAPE_EXPECTED, "item 'tokens' is not NAME:d1,d2"],
  ['shape', 'tokens:1,0', SHAPE_EXPECTED, "item 'tokens:1,0' has a dim below 1 or above 2147483647"],
  ['shape', 'tokens:-1', SHAPE_EXPECTED, "item 'tokens:-1' is not NAME:d1,d2"],
  ['shape', 'a:1 a:2', SHAPE_EXPECTED, "input 'a' is given twice"],
  ['string-length', '0', 'an integer from 1 to 1048576', '0 is below 1'],
  ['sequence-length', '0', 'an integer from 1 to 1000000', '0 is below 1'],
  ['sequence-length-variation', '101', 'an integer from 0 to 100', '101 is above 100'],
];

const SHARDS: readonly Case[] = [
  ['shard', '0/1', "'i/n' with 1 <= i <= n", 'i must be from 1 to 1'],
  ['shard', '2/1', "'i/n' with 1 <= i <= n", 'i must be from 1 to 1'],
  ['shard', '1/0', "'i/n' with 1 <= i <= n", 'n must be at least 1'],
  ['shard', '1', "'i/n' with 1 <= i <= n", undefined],
  ['shard', '1/2/3', "'i/n' with 1 <= i <= n", undefined],
  ['shard', 'a/b', "'i/n' with 1 <= i <= n", undefined],
];

const URL_EXPECTED = 'host:port, grpc://host:port or grpcs://host:port';
const SERVER_URLS: readonly Case[] = [
  ['server-url', 'http://triton:8000', URL_EXPECTED, "Triton's gRPC port is 8001 (HTTP is 8000)"],
  ['server-url', 'https://triton.example.com', URL_EXPECTED, "Triton's gRPC port is 8001 (HTTP is 8000)"],
  ['server-url', 'HTTP://triton:8000', URL_EXPECTED, 'gRPC port is 8001'],
  ['server-url', 'tcp://triton:8001', URL_EXPECTED, "scheme 'tcp' is not supported"],
  ['server-url', 'triton', URL_EXPECTED, 'add the port'],
  ['server-url', 'grpc://triton', URL_EXPECTED, 'add the port'],
  ['server-url', 'triton:', URL_EXPECTED, 'add the port'],
  ['server-url', 'triton:0', URL_EXPECTED, "port '0' is not 1..65535"],
  ['server-url', 'triton:65536', URL_EXPECTED, "port '65536' is not 1..65535"],
  ['server-url', 'triton:80a', URL_EXPECTED, "port '80a' is not 1..65535"],
  ['server-url', 'grpc://triton:8001/v2/models', URL_EXPECTED, 'remove the path or query'],
  ['server-url', 'triton:8001/', URL_EXPECTED, 'remove the path or query'],
  ['server-url', 'triton:8001?tls=1', URL_EXPECTED, 'remove the path or query'],
  ['server-url', '::1:8001', URL_EXPECTED, "brackets: '[::1]:8001'"],
  ['server-url', '[::1]', URL_EXPECTED, 'add the port'],
  ['server-url', '[triton]:8001', URL_EXPECTED, 'not an IPv6 address'],
  ['server-url', 'my triton:8001', URL_EXPECTED, "'my triton' is not a host name"],
  ['server-url', ' triton:8001', URL_EXPECTED, 'is not a host name'],
];

const STRINGS: readonly Case[] = [
  ['model', ' resnet', 'a model name', 'surrounding spaces'],
  ['model', 'models/resnet', 'a model name', "no '/'"],
  ['model', '   ', 'a model name', 'blank'],
  ['model-template', 'resnet_mb', 'containing {max_batch}', "'{max_batch}' is missing"],
  ['model-template', 'resnet_{maxbatch}', 'containing {max_batch}', "'{max_batch}' is missing"],
  ['batch-command', '  \n', 'a shell command', 'blank'],
  ['benchmark-key', 'my key', "letters, digits, '.', '_' or '-'", undefined],
  ['benchmark-key', '../escape', "letters, digits, '.', '_' or '-'", undefined],
  ['benchmark-key', 'x'.repeat(101), 'at most 100 characters', undefined],
  ['baseline-branch', 'a..b', 'a git branch name', undefined],
  ['baseline-branch', '-data', 'a git branch name', undefined],
  ['baseline-branch', 'data/', 'a git branch name', undefined],
  ['baseline-branch', 'my data', 'a git branch name', undefined],
  ['baseline-branch', 'data.lock', 'a git branch name', undefined],
  ['baseline-path', ' ', 'a directory path', 'blank'],
  ['out', ' result.json', 'a file path', 'surrounding spaces'],
  ['config-file', ' ', 'a file path', 'blank'],
];

describe('parseConfig refuses invalid values, naming input, value and expected form', () => {
  describe.each([
    ['integers', INTEGERS],
    ['booleans', BOOLEANS],
    ['lists and ranges', LISTS],
    ['fractions and percentages', FRACTIONS],
    ['enums', ENUMS],
    ['shard', SHARDS],
    ['shape and sequences', SHAPES],
    ['server-url', SERVER_URLS],
    ['names, paths and templates', STRINGS],
  ] as const)('%s', (_group, cases) => {
    it.each(cases)("%s '%s'", (...testCase) => {
      checkCase(testCase);
    });
  });
});

describe('model', () => {
  it('is required', () => {
    const issue = issueFor(issuesOf({ model: '' }), 'model');
    expect(issue).toEqual({ input: 'model', value: '', expected: 'a model name (required)' });
  });

  it('gives the default benchmark-key, which must be path-safe', () => {
    const issue = issueFor(issuesOf({ model: 'my model' }), 'benchmark-key');
    expect(issue.value).toBe('my model');
    expect(issue.hint).toContain('defaults to the model name; set benchmark-key explicitly');
  });
});

describe('server-headers (values are secrets)', () => {
  const EXPECTED = "'key: value' entries separated by newlines or commas";
  it.each([
    ['Authorization: Bearer s3cr3t', 'entry 1 has a key with uppercase letters'],
    ['authorization Bearer s3cr3t', "entry 1 has no ':'"],
    ['x-team: ml, Bearer s3cr3t', "entry 2 has no ':'"],
    ['grpc-timeout: 1S', "entry 1 has a key starting with 'grpc-' (reserved by gRPC)"],
    ['token-bin: czNjcjN0', "entry 1 has a binary ('-bin') key, which is not supported"],
    ['x-a: 1\nx-a: 2', 'entry 2 repeats an earlier key'],
    ['x-a:', 'entry 1 has an empty value'],
    [': s3cr3t', 'entry 1 has an empty key'],
    ['x a: s3cr3t', 'entry 1 has a key with characters outside [a-z0-9-_.]'],
    ['x-a: caf\u00e9', 'entry 1 has a value with characters outside printable ASCII'],
    [' , ', 'no entries'],
  ])('%j: %s, value masked', (value, hint) => {
    const issue = issueFor(issuesOf({ 'server-headers': value }), 'server-headers');
    expect(issue).toEqual({
      input: 'server-headers',
      value: '***',
      expected: expect.stringContaining(EXPECTED) as string,
      hint,
    });
  });
});

describe('inputs (model input overrides)', () => {
  const EXPECTED = 'a JSON or YAML list of {name, datatype?, shape?, data?}';
  it.each([
    ['[{"name": "a"', 'line 1'],
    ['{"name": "a"}', 'the value is not a list'],
    ['"INPUT0"', 'the value is not a list'],
    ['[1]', 'item 1 is not a mapping'],
    ['[{"shape": [3]}]', 'item 1 needs a non-empty string name'],
    ['[{"name": ""}]', 'item 1 needs a non-empty string name'],
    ['[{"name": "a", "shap": [3]}]', "item 1 has unknown key 'shap', did you mean 'shape'?"],
    ['[{"name": "a", "datatype": "fp32"}]', "item 1 has datatype 'fp32', not one of BOOL, UINT8"],
    ['[{"name": "a", "datatype": "FLOAT"}]', "item 1 has datatype 'FLOAT', not one of"],
    [
      '[{"name": "a", "datatype": "TYPE_FP32"}]',
      'not one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BF16, BYTES',
    ],
    ['[{"name": "a", "shape": [0]}]', 'item 1 has shape[0] = 0; dims are integers >= 1'],
    ['[{"name": "a", "shape": [3, -1]}]', 'item 1 has shape[1] = -1'],
    ['[{"name": "a", "shape": [1.5]}]', 'item 1 has shape[0] = 1.5'],
    ['[{"name": "a", "shape": ["3"]}]', 'item 1 has shape[0] = "3"'],
    ['[{"name": "a", "shape": 3}]', 'item 1 has a shape that is not a list of integers'],
    [
      '[{"name": "a", "data": "zero"}]',
      "item 1 has data 'zero'; expected 'random', 'zeros', 'none' or {file: path}, did you mean 'zeros'?",
    ],
    ['[{"name": "a", "data": {"file": ""}}]', 'item 1 has data {"file":""}'],
    ['[{"name": "a", "data": {"path": "x.json"}}]', 'item 1 has data {"path":"x.json"}'],
    ['[{"name": "a"}, {"name": "a"}]', "item 2 repeats the name 'a'"],
    // An alias without its anchor made the YAML library throw a ReferenceError (found by fast-check).
    ['*-', 'Unresolved alias'],
    [
      '[&a [x,x,x,x,x,x,x,x,x], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b], [*c,*c,*c,*c,*c,*c,*c,*c,*c]]',
      'resource exhaustion',
    ],
  ])('%s: %s', (value, hint) => {
    const issue = issueFor(issuesOf({ inputs: value }), 'inputs');
    expect(issue.value).toBe(value);
    expect(issue.expected).toContain(EXPECTED);
    expect(issue.hint).toContain(hint);
  });

  it('reports every problem of every item in one issue', () => {
    const issue = issueFor(
      issuesOf({ inputs: '[{"name": "a", "datatype": "fp32", "shape": [0]}, {"nam": "b"}]' }),
      'inputs',
    );
    expect(issue.hint?.split('; item ')).toHaveLength(4);
  });
});

describe('lists', () => {
  it.each([
    ['1:10:1', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ['1:10:3', [1, 4, 7, 10]],
    ['2:9:3', [2, 5, 8]],
    ['1:4', [1, 2, 3, 4]],
    ['1,4:6', [1, 4, 5, 6]],
  ])("users '%s' is %j (perf_analyzer's start:end:step)", (users, expected) => {
    expect(parseConfig({ model: 'resnet', users, requests: '1000' }).matrix.users).toEqual(expected);
  });
});

describe('capacity', () => {
  it.each([
    ['off', false, false],
    ['probe', true, false],
    ['search', true, true],
  ] as const)('%s: probe %s, search %s', (capacity, shouldProbe, shouldSearch) => {
    const { matrix } = parseConfig({ model: 'resnet', capacity });
    expect([matrix.shouldProbeCapacity, matrix.shouldSearchCapacity]).toEqual([shouldProbe, shouldSearch]);
  });
});
