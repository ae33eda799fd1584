import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import { INPUT_NAMES, type RawInputs } from '../../../src/config/inputs.js';
import { parseConfig } from '../../../src/config/parse-config.js';

/** Reads a dotted path (`matrix.users`) of a config. */
function at(config: Config, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], config);
}

// docs/architecture.md#config: the defaults reproduce the classic study (max_batch 8/16/32/64 x users 1..10, 480 requests).
const DEFAULTS: readonly [path: string, expected: unknown][] = [
  ['server.address', '127.0.0.1:8001'],
  ['server.isTls', false],
  ['server.headers', {}],
  ['server.requestTimeoutMs', 30_000],
  ['server.transport', 'h2'],
  ['server.metricsUrl', 'http://127.0.0.1:8002/metrics'],
  ['server.loadTimeoutMs', 300_000],
  ['matrix.model', 'resnet'],
  ['matrix.modelVersion', ''],
  ['matrix.maxBatch', [8, 16, 32, 64]],
  ['matrix.users', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
  ['matrix.requests', 480],
  ['matrix.trialSeconds', undefined],
  ['matrix.itemsPerRequest', 1],
  ['matrix.trials', 5],
  ['matrix.warmupRequests', undefined],
  ['matrix.inputs', []],
  ['matrix.inputData', 'random'],
  ['matrix.shapes', []],
  ['matrix.stringLength', 128],
  ['matrix.sequenceLength', undefined],
  ['matrix.sequenceLengthVariation', undefined],
  ['matrix.seed', 1],
  ['matrix.maxCv', 0.1],
  ['matrix.maxReruns', 2],
  ['matrix.rowRounds', 1],
  ['matrix.shard', { index: 1, count: 1 }],
  ['matrix.shouldProbeCapacity', false],
  ['matrix.shouldSearchCapacity', false],
  ['control.strategy', 'reload'],
  ['control.modelTemplate', undefined],
  ['control.command', undefined],
  ['control.maxQueueDelayUs', undefined],
  ['control.lockTimeoutMs', 300_000],
  ['gate.alpha', 0.05],
  ['gate.minEffect', 0.05],
  ['gate.failOn', 'regression'],
  ['gate.shouldConfirm', true],
  ['answers.latencyBudget', undefined],
  ['answers.conclusions', 'auto'],
  ['gate.policy', 'auto'],
  ['gate.metric', 'dps'],
  ['gate.latency', undefined],
  ['store.kind', 'branch'],
  ['store.branch', 'triton-throughput-data'],
  ['store.path', undefined],
  ['store.save', 'auto'],
  ['store.history', 30],
  ['report.comment', 'always'],
  ['report.trendIssue', undefined],
  ['report.outPath', undefined],
  ['paired.base', undefined],
  ['paired.minRounds', 5],
  ['paired.maxRounds', 10],
  ['benchmarkKey', 'resnet'],
  ['runnerLabel', undefined],
];

describe('parseConfig defaults', () => {
  const config = parseConfig({ model: 'resnet' });

  it.each(DEFAULTS)('%s defaults to %j', (path, expected) => {
    expect(at(config, path)).toEqual(expected);
  });

  it('treats empty strings as not given', () => {
    const raw: RawInputs = Object.fromEntries(INPUT_NAMES.map((name) => [name, '']));
    expect(parseConfig({ ...raw, model: 'resnet' })).toEqual(config);
  });

  it('checks every field of Config (a new field needs a default test)', () => {
    // Paths down to the sections' fields; `matrix.shard` and `server.headers` are compared whole.
    const fieldPaths = Object.entries(config).flatMap(([section, value]: [string, unknown]) =>
      typeof value === 'object' && value !== null
        ? Object.keys(value).map((field) => `${section}.${field}`)
        : [section],
    );
    expect(DEFAULTS.map(([path]) => path).sort()).toEqual(fieldPaths.sort());
  });
});

describe('parseConfig valid values', () => {
  const CASES: readonly [raw: RawInputs, path: string, expected: unknown][] = [
    [{ users: '8,1,4' }, 'matrix.users', [1, 4, 8]],
    [{ users: '1,2,4-6' }, 'matrix.users', [1, 2, 4, 5, 6]],
    [{ users: ' 1 , 2 ,3 ' }, 'matrix.users', [1, 2, 3]],
    [{ users: '5-5' }, 'matrix.users', [5]],
    [{ 'max-batch': '64,8,0' }, 'matrix.maxBatch', [64, 8, 0]],
    [{ 'max-batch': '1-4' }, 'matrix.maxBatch', [1, 2, 3, 4]],
    [{ 'max-cv': '10%' }, 'matrix.maxCv', 0.1],
    [{ 'max-cv': '0.25' }, 'matrix.maxCv', 0.25],
    [{ 'max-cv': '100%' }, 'matrix.maxCv', 1],
    [{ 'min-effect': '0' }, 'gate.minEffect', 0],
    [{ 'min-effect': '0%' }, 'gate.minEffect', 0],
    [{ 'min-effect': '12.5%' }, 'gate.minEffect', 0.125],
    [{ 'min-effect': '0.05' }, 'gate.minEffect', 0.05],
    [{ alpha: '0.01' }, 'gate.alpha', 0.01],
    [{ 'gate-policy': 'established' }, 'gate.policy', 'established'],
    [{ 'gate-metric': 'responses' }, 'gate.metric', 'responses'],
    [{ 'latency-gate': 'p99' }, 'gate.latency', { percentile: 'p99', minEffect: 0.1 }],
    [{ 'latency-gate': 'p90', 'latency-min-effect': '25%' }, 'gate.latency', { percentile: 'p90', minEffect: 0.25 }],
    [{ alpha: '5%' }, 'gate.alpha', 0.05],
    [{ confirm: 'false' }, 'gate.shouldConfirm', false],
    [{ 'load-timeout-s': '10' }, 'server.loadTimeoutMs', 10_000],
    [{ 'lock-timeout-s': '0' }, 'control.lockTimeoutMs', 0],
    [{ 'lock-timeout-s': '45' }, 'control.lockTimeoutMs', 45_000],
    [{ 'model-version': '3' }, 'matrix.modelVersion', '3'],
    [{ 'warmup-requests': '0' }, 'matrix.warmupRequests', 0],
    [{ 'warmup-requests': '64' }, 'matrix.warmupRequests', 64],
    [{ trials: '3' }, 'matrix.trials', 3],
    [{ trials: '100' }, 'matrix.trials', 100],
    [{ seed: '0' }, 'matrix.seed', 0],
    [{ seed: '4294967295' }, 'matrix.seed', 4_294_967_295],
    [{ shard: '2/4' }, 'matrix.shard', { index: 2, count: 4 }],
    [{ 'server-url': 'triton:8001' }, 'server.address', 'triton:8001'],
    [{ 'server-url': 'triton_server:8001' }, 'server.address', 'triton_server:8001'],
    [
      { 'server-url': 'grpc://10.0.0.1:9000' },
      'server',
      {
        address: '10.0.0.1:9000',
        isTls: false,
        headers: {},
        requestTimeoutMs: 30_000,
        transport: 'h2',
        metricsUrl: 'http://10.0.0.1:8002/metrics',
        loadTimeoutMs: 300_000,
      },
    ],
    [{ 'server-url': '[::1]:8001' }, 'server.metricsUrl', 'http://[::1]:8002/metrics'],
    [{ 'server-url': 'triton:8001', 'metrics-url': 'none' }, 'server.metricsUrl', null],
    [
      { 'metrics-url': 'https://metrics.example:9443/triton/metrics' },
      'server.metricsUrl',
      'https://metrics.example:9443/triton/metrics',
    ],
    [{ transport: 'grpc-js' }, 'server.transport', 'grpc-js'],
    [{ 'server-url': 'grpcs://triton.example.com:443' }, 'server.isTls', true],
    [{ 'server-url': 'GRPCS://triton.example.com:443' }, 'server.address', 'triton.example.com:443'],
    [{ 'server-url': '[::1]:8001' }, 'server.address', '[::1]:8001'],
    [{ 'server-url': 'grpc://[2001:db8::1]:8001' }, 'server.address', '[2001:db8::1]:8001'],
    [
      { 'server-headers': 'authorization: Bearer abc, x-team: ml' },
      'server.headers',
      { authorization: 'Bearer abc', 'x-team': 'ml' },
    ],
    [
      { 'server-headers': 'authorization: Bearer a,b\nx-team: ml\n' },
      'server.headers',
      { authorization: 'Bearer a,b', 'x-team': 'ml' },
    ],
    [{ 'server-headers': 'x-api-key: k:with:colons' }, 'server.headers', { 'x-api-key': 'k:with:colons' }],
    [
      { 'batch-strategy': 'models', 'model-template': 'resnet_mb{max_batch}' },
      'control.modelTemplate',
      'resnet_mb{max_batch}',
    ],
    [{ 'batch-strategy': 'command', 'batch-command': './set-mb.sh\n' }, 'control.command', './set-mb.sh'],
    [{ 'batch-strategy': 'fixed', 'max-batch': '32' }, 'matrix.maxBatch', [32]],
    [{ 'max-queue-delay-us': '100' }, 'control.maxQueueDelayUs', 100],
    [{ 'baseline-store': 'file', 'baseline-path': 'perf/baselines' }, 'store.path', 'perf/baselines'],
    [{ 'baseline-store': 'none', 'save-baseline': 'never' }, 'store.kind', 'none'],
    [{ 'baseline-branch': 'perf/data-v2' }, 'store.branch', 'perf/data-v2'],
    [{ 'benchmark-key': 'resnet-gpu.a10' }, 'benchmarkKey', 'resnet-gpu.a10'],
    [{ 'max-batch': '0', 'items-per-request': '1' }, 'matrix.itemsPerRequest', 1],
    [{ 'max-batch': '8,16', 'items-per-request': '8' }, 'matrix.itemsPerRequest', 8],
    [{ users: '1-10', requests: '10' }, 'matrix.requests', 10],
    [{ 'trend-issue': '12' }, 'report.trendIssue', 12],
    [{ out: 'results/run.json' }, 'report.outPath', 'results/run.json'],
    [{ 'input-data': 'zeros' }, 'matrix.inputData', 'zeros'],
    [{ 'input-data': 'zero' }, 'matrix.inputData', 'zeros'],
    [{ 'input-data': 'data/steps.json' }, 'matrix.inputData', { file: 'data/steps.json' }],
    [
      { shape: 'tokens:1,16 mask:16' },
      'matrix.shapes',
      [
        { name: 'tokens', dims: [1, 16] },
        { name: 'mask', dims: [16] },
      ],
    ],
    [{ 'string-length': '16' }, 'matrix.stringLength', 16],
    [{ 'sequence-length': '5' }, 'matrix.sequenceLength', 5],
    [{ 'sequence-length-variation': '0' }, 'matrix.sequenceLengthVariation', 0],
    [
      { inputs: '[{"name": "INPUT0", "datatype": "FP32", "shape": [3, 224, 224], "data": "zeros"}]' },
      'matrix.inputs',
      [{ name: 'INPUT0', datatype: 'FP32', shape: [3, 224, 224], data: 'zeros' }],
    ],
    [
      { inputs: '[{name: ids, datatype: INT64, shape: [128], data: {file: ids.json}}, {name: mask}]' },
      'matrix.inputs',
      [{ name: 'ids', datatype: 'INT64', shape: [128], data: { file: 'ids.json' } }, { name: 'mask' }],
    ],
    [{ inputs: '[{"name": "scalar", "shape": []}]' }, 'matrix.inputs', [{ name: 'scalar', shape: [] }]],
    [{ 'row-rounds': '5' }, 'matrix.rowRounds', 5],
    [{ 'row-rounds': '3', trials: '3', 'max-batch': '8,16' }, 'matrix.rowRounds', 3],
    [{ 'latency-budget-ms': '20' }, 'answers.latencyBudget', { ms: 20, percentile: 'p99' }],
    [
      { 'latency-budget-ms': '12.5', 'latency-budget-percentile': 'p90' },
      'answers.latencyBudget',
      { ms: 12.5, percentile: 'p90' },
    ],
    [{ conclusions: 'always' }, 'answers.conclusions', 'always'],
    [{ conclusions: 'never' }, 'answers.conclusions', 'never'],
  ];

  it.each(CASES)('%j gives %s = %j', (raw, path, expected) => {
    expect(at(parseConfig({ model: 'resnet', ...raw }), path)).toEqual(expected);
  });
});
