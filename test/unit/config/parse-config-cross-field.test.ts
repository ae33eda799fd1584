import { describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../../../src/config/config-error.js';
import type { RawInputs } from '../../../src/config/inputs.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { issueFor, issuesOf } from './issues-of.js';

/** Raw inputs breaking one rule, and the one issue expected (expected/hint as substrings). */
type Case = readonly [rule: string, raw: RawInputs, issue: ConfigIssue];

const CASES: readonly Case[] = [
  [
    'items-per-request <= every non-zero max-batch (names it)',
    { 'max-batch': '8,32', 'items-per-request': '16' },
    {
      input: 'items-per-request',
      value: '16',
      expected: '<= every non-zero max-batch',
      hint: 'max-batch 8 is smaller',
    },
  ],
  [
    'items-per-request names every smaller max-batch',
    { 'max-batch': '32,8,12', 'items-per-request': '16' },
    {
      input: 'items-per-request',
      value: '16',
      expected: '<= every non-zero max-batch',
      hint: 'max-batch 8, 12 are smaller',
    },
  ],
  [
    'items-per-request is 1 when max-batch contains 0',
    { 'max-batch': '0,8', 'items-per-request': '2' },
    {
      input: 'items-per-request',
      value: '2',
      expected: '1 when max-batch contains 0',
      hint: 'a model without batching takes one item per request',
    },
  ],
  [
    'requests >= largest users (both numbers)',
    { users: '1-10', requests: '5' },
    {
      input: 'requests',
      value: '5',
      expected: '>= 10, the largest users value (each user needs at least one request)',
    },
  ],
  [
    'requests default checked against users, saying it is the default',
    { users: '1,500' },
    { input: 'requests', value: '480', expected: '>= 500', hint: 'requests is not set, so its default applies' },
  ],
  [
    "'models' needs model-template",
    { 'batch-strategy': 'models' },
    {
      input: 'model-template',
      value: '',
      expected: "a model name template containing {max_batch} (required by batch-strategy 'models')",
    },
  ],
  [
    "'command' needs batch-command",
    { 'batch-strategy': 'command' },
    { input: 'batch-command', value: '', expected: "a shell command (required by batch-strategy 'command')" },
  ],
  [
    'model-template with the default strategy is refused',
    { 'model-template': 'resnet_mb{max_batch}' },
    {
      input: 'model-template',
      value: 'resnet_mb{max_batch}',
      expected: "no model-template with batch-strategy 'reload'",
      hint: "only used by batch-strategy 'models'",
    },
  ],
  [
    'batch-command with another strategy is refused',
    { 'batch-strategy': 'models', 'model-template': 'm{max_batch}', 'batch-command': './set.sh' },
    {
      input: 'batch-command',
      value: './set.sh',
      expected: "no batch-command with batch-strategy 'models'",
      hint: "only used by batch-strategy 'command'",
    },
  ],
  [
    'max-queue-delay-us with a strategy that does not reload is refused',
    { 'batch-strategy': 'fixed', 'max-batch': '8', 'max-queue-delay-us': '100' },
    {
      input: 'max-queue-delay-us',
      value: '100',
      expected: "no max-queue-delay-us with batch-strategy 'fixed'",
      hint: "only applied by batch-strategy 'reload'",
    },
  ],
  [
    "'fixed' with the default max-batch list",
    { 'batch-strategy': 'fixed' },
    {
      input: 'max-batch',
      value: '8,16,32,64',
      expected: "a single value with batch-strategy 'fixed'",
      hint: "pass the server's current max_batch_size as the only value",
    },
  ],
  [
    "'fixed' with two max-batch values",
    { 'batch-strategy': 'fixed', 'max-batch': '8,16' },
    { input: 'max-batch', value: '8,16', expected: "a single value with batch-strategy 'fixed'", hint: 'one row' },
  ],
  [
    "baseline-store 'file' needs baseline-path",
    { 'baseline-store': 'file' },
    { input: 'baseline-path', value: '', expected: "a directory (required by baseline-store 'file')" },
  ],
  [
    'baseline-path with the default store is refused',
    { 'baseline-path': 'perf' },
    {
      input: 'baseline-path',
      value: 'perf',
      expected: "no baseline-path with baseline-store 'branch'",
      hint: "set baseline-store to 'file'",
    },
  ],
  [
    "save-baseline 'always' with no store",
    { 'baseline-store': 'none', 'save-baseline': 'always' },
    {
      input: 'save-baseline',
      value: 'always',
      expected: "auto or never with baseline-store 'none'",
      hint: 'there is no store to save to',
    },
  ],
  [
    'shards beyond the number of rows',
    { shard: '1/5' },
    {
      input: 'shard',
      value: '1/5',
      expected: 'at most 4 shards, one per max-batch row',
      hint: '1 of 5 shards would have no rows',
    },
  ],
];

describe('parseConfig rules spanning several inputs', () => {
  it.each(CASES)('%s', (_rule, raw, expected) => {
    const issues = issuesOf(raw);
    expect(issues).toHaveLength(1);
    const issue = issueFor(issues, expected.input);
    expect(issue.value).toBe(expected.value);
    expect(issue.expected).toContain(expected.expected);
    if (expected.hint === undefined) expect(issue.hint).toBeUndefined();
    else expect(issue.hint).toContain(expected.hint);
  });

  it.each([
    ['invalid users do not also fail requests', { users: 'x', requests: '5' }, 'users'],
    [
      'invalid max-batch does not also fail items-per-request',
      { 'max-batch': '8,x', 'items-per-request': '16' },
      'max-batch',
    ],
    [
      'invalid model-template is not also refused for its strategy',
      { 'model-template': 'no-placeholder' },
      'model-template',
    ],
    [
      'invalid strategy does not also refuse model-template',
      { 'batch-strategy': 'model', 'model-template': 'm{max_batch}' },
      'batch-strategy',
    ],
    ['invalid shard is not also compared with the rows', { shard: '9/8' }, 'shard'],
  ] as const)('%s', (_rule, raw, input) => {
    expect(issuesOf(raw).map((issue) => issue.input)).toEqual([input]);
  });

  it.each([
    ['a single max-batch with fixed', { 'batch-strategy': 'fixed', 'max-batch': '32' }],
    ['as many shards as rows', { shard: '4/4' }],
    ['requests equal to the largest users', { users: '1-10', requests: '10' }],
    ['items-per-request equal to the smallest max-batch', { 'max-batch': '64,8', 'items-per-request': '8' }],
    ['max-queue-delay-us with reload', { 'max-queue-delay-us': '500' }],
    ['save-baseline never with no store', { 'baseline-store': 'none', 'save-baseline': 'never' }],
  ] as const)('accepts %s', (_case, raw) => {
    expect(() => parseConfig({ model: 'resnet', ...raw })).not.toThrow();
  });
});
