/**
 * Rules spanning several inputs. Each rule runs only when the inputs it reads are themselves
 * valid, so one typo yields one issue, not a cascade of follow-ups about a stand-in default.
 */
import type { Config } from './config.js';
import type { ConfigIssue } from './config-error.js';
import { INPUT_SPECS, Input, type InputName } from './inputs.js';
import type { Fields } from './parse-fields.js';
import { parseValue, type Problem } from './values.js';

/** Every cross-field issue of a fully built (not yet frozen) `config`, in a stable order. */
export function crossFieldIssues(config: Config, fields: Fields): ConfigIssue[] {
  return [
    ...itemsPerRequestIssues(config, fields),
    ...requestsIssues(config, fields),
    ...strategyIssues(config, fields),
    ...storeIssues(config, fields),
    ...shardIssues(config, fields),
    ...benchmarkKeyIssues(config, fields),
    ...roundIssues(config, fields),
    ...rowRoundIssues(config, fields),
    ...budgetIssues(config, fields),
    ...latencyIssues(config, fields),
    ...baseIssues(config, fields),
    ...repositoryIssues(config, fields),
  ];
}

/**
 * An issue about `input`, quoting the text that was parsed; when that text was the default,
 * the hint says so (the user never typed it).
 */
function issueAbout(fields: Fields, input: InputName, problem: Problem): ConfigIssue {
  const isDefault = fields.given(input) === undefined && INPUT_SPECS[input].default !== undefined;
  const defaultNote = isDefault ? `${input} is not set, so its default applies` : undefined;
  const hints = [problem.hint, defaultNote].filter((part): part is string => part !== undefined);
  const base = { input, value: fields.rawText(input), expected: problem.expected };
  return hints.length === 0 ? base : { ...base, hint: hints.join('; ') };
}

function itemsPerRequestIssues({ matrix }: Config, fields: Fields): ConfigIssue[] {
  if (!fields.isValid(Input.itemsPerRequest, Input.maxBatch)) return [];
  const issues: ConfigIssue[] = [];
  if (matrix.maxBatch.includes(0) && matrix.itemsPerRequest !== 1) {
    const hint = 'a model without batching takes one item per request';
    issues.push(issueAbout(fields, Input.itemsPerRequest, { expected: '1 when max-batch contains 0', hint }));
  }
  const smaller = matrix.maxBatch.filter((maxBatch) => maxBatch !== 0 && maxBatch < matrix.itemsPerRequest);
  if (smaller.length > 0) {
    const hint = `max-batch ${smaller.join(', ')} ${smaller.length === 1 ? 'is' : 'are'} smaller`;
    issues.push(issueAbout(fields, Input.itemsPerRequest, { expected: '<= every non-zero max-batch', hint }));
  }
  return issues;
}

function requestsIssues({ matrix }: Config, fields: Fields): ConfigIssue[] {
  if (!fields.isValid(Input.requests, Input.users)) return [];
  const maxUsers = Math.max(...matrix.users);
  if (matrix.requests >= maxUsers) return [];
  const expected = `>= ${maxUsers}, the largest users value (each user needs at least one request)`;
  return [issueAbout(fields, Input.requests, { expected })];
}

/** The input only one strategy uses: required by it, refused by the others (typo guard). */
const STRATEGY_INPUTS = [
  { input: Input.modelTemplate, owner: 'models', what: 'a model name template containing {max_batch}' },
  { input: Input.batchCommand, owner: 'command', what: 'a shell command' },
] as const;

function strategyIssues({ control, matrix }: Config, fields: Fields): ConfigIssue[] {
  if (!fields.isValid(Input.batchStrategy)) return [];
  const { strategy } = control;
  const issues: ConfigIssue[] = [];
  for (const { input, owner, what } of STRATEGY_INPUTS) {
    const isGiven = fields.given(input) !== undefined;
    if (strategy === owner && !isGiven) {
      issues.push({ input, value: '', expected: `${what} (required by batch-strategy '${owner}')` });
    } else if (strategy !== owner && isGiven && fields.isValid(input)) {
      const hint = `it is only used by batch-strategy '${owner}'; set that strategy or remove ${input}`;
      issues.push(issueAbout(fields, input, { expected: `no ${input} with batch-strategy '${strategy}'`, hint }));
    }
  }
  if (strategy !== 'reload' && fields.given(Input.maxQueueDelayUs) !== undefined) {
    const expected = `no ${Input.maxQueueDelayUs} with batch-strategy '${strategy}'`;
    const hint = "it is only applied by batch-strategy 'reload'";
    issues.push(issueAbout(fields, Input.maxQueueDelayUs, { expected, hint }));
  }
  if (strategy === 'fixed' && fields.isValid(Input.maxBatch) && matrix.maxBatch.length > 1) {
    const expected = "a single value with batch-strategy 'fixed'";
    const hint =
      "pass the server's current max_batch_size as the only value (e.g. '32'): " +
      "'fixed' measures the server as it is, one row";
    issues.push(issueAbout(fields, Input.maxBatch, { expected, hint }));
  }
  return issues;
}

function storeIssues({ store }: Config, fields: Fields): ConfigIssue[] {
  if (!fields.isValid(Input.baselineStore)) return [];
  const issues: ConfigIssue[] = [];
  const isPathGiven = fields.given(Input.baselinePath) !== undefined;
  if (store.kind === 'file' && !isPathGiven) {
    const expected = "a directory (required by baseline-store 'file')";
    issues.push({ input: Input.baselinePath, value: '', expected });
  }
  // Without this, a path with the default store would silently write to the data branch.
  if (store.kind !== 'file' && isPathGiven && fields.isValid(Input.baselinePath)) {
    const expected = `no baseline-path with baseline-store '${store.kind}'`;
    const hint = "set baseline-store to 'file' to use it, or remove baseline-path";
    issues.push(issueAbout(fields, Input.baselinePath, { expected, hint }));
  }
  if (store.kind === 'none' && store.save === 'always' && fields.isValid(Input.saveBaseline)) {
    const expected = "auto or never with baseline-store 'none'";
    issues.push(issueAbout(fields, Input.saveBaseline, { expected, hint: 'there is no store to save to' }));
  }
  return issues;
}

/** The default benchmark-key is the model name: it names a data-branch directory (docs/baseline-store.md). */
function benchmarkKeyIssues({ matrix }: Config, fields: Fields): ConfigIssue[] {
  if (fields.given(Input.benchmarkKey) !== undefined || matrix.model === '') return [];
  const parsed = parseValue(INPUT_SPECS[Input.benchmarkKey].value, matrix.model);
  if (parsed.ok) return [];
  const hint = 'benchmark-key defaults to the model name; set benchmark-key explicitly';
  return [{ input: Input.benchmarkKey, value: matrix.model, expected: parsed.expected, hint }];
}

function shardIssues({ matrix }: Config, fields: Fields): ConfigIssue[] {
  if (!fields.isValid(Input.shard, Input.maxBatch)) return [];
  const rows = matrix.maxBatch.length;
  if (matrix.shard.count <= rows) return [];
  const expected = `at most ${rows} shards, one per max-batch row`;
  const hint = `${matrix.shard.count - rows} of ${matrix.shard.count} shards would have no rows`;
  return [issueAbout(fields, Input.shard, { expected, hint })];
}

function roundIssues({ paired }: Config, fields: Fields): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (paired.base === undefined) {
    // Rounds mean nothing in stored mode: refusing them catches a forgotten baseline-model.
    for (const input of [Input.minRounds, Input.maxRounds]) {
      if (fields.given(input) !== undefined && fields.isValid(input)) {
        const hint = 'rounds are used by paired mode only; set baseline-model, baseline-server-url or model-repository';
        issues.push(issueAbout(fields, input, { expected: `no ${input} without a base side`, hint }));
      }
    }
    return issues;
  }
  if (fields.isValid(Input.minRounds, Input.maxRounds) && paired.minRounds > paired.maxRounds) {
    const expected = `>= min-rounds (${paired.minRounds})`;
    issues.push(issueAbout(fields, Input.maxRounds, { expected }));
  }
  return issues;
}

/** `row-rounds` (docs/answers.md#measuring-rows-interleaved): rounds over two or more rows, one trial per cell at least. */
function rowRoundIssues({ matrix, paired }: Config, fields: Fields): ConfigIssue[] {
  if (!fields.isValid(Input.rowRounds) || matrix.rowRounds === 1) return [];
  const issues: ConfigIssue[] = [];
  if (fields.isValid(Input.trials) && matrix.rowRounds > matrix.trials) {
    const hint = `each round measures every cell at least once; raise trials to ${matrix.rowRounds} or lower row-rounds`;
    issues.push(issueAbout(fields, Input.rowRounds, { expected: `at most trials (${matrix.trials})`, hint }));
  }
  if (fields.isValid(Input.maxBatch) && matrix.maxBatch.length < 2) {
    const hint = 'rounds interleave rows; with one max-batch value there is nothing to interleave';
    issues.push(issueAbout(fields, Input.rowRounds, { expected: '1 with a single max-batch value', hint }));
  }
  if (paired.base !== undefined) {
    const hint = 'paired mode already interleaves head and base within each row; row-rounds is for stored mode';
    issues.push(issueAbout(fields, Input.rowRounds, { expected: '1 in paired mode', hint }));
  }
  return issues;
}

/** `latency-budget-percentile` alone is a forgotten `latency-budget-ms` (typo guard). */
function budgetIssues(_config: Config, fields: Fields): ConfigIssue[] {
  const input = Input.latencyBudgetPercentile;
  if (fields.given(Input.latencyBudgetMs) !== undefined || fields.given(input) === undefined || !fields.isValid(input))
    return [];
  const hint = 'the percentile applies to latency-budget-ms; set it too, or remove latency-budget-percentile';
  return [issueAbout(fields, input, { expected: `no ${input} without latency-budget-ms`, hint })];
}

function latencyIssues({ gate }: Config, fields: Fields): ConfigIssue[] {
  // A min-effect for a gate that is off is a forgotten latency-gate, not a setting to ignore.
  if (gate.latency !== undefined || fields.given(Input.latencyMinEffect) === undefined) return [];
  if (!fields.isValid(Input.latencyMinEffect, Input.latencyGate)) return [];
  const hint = 'set latency-gate to p50, p90 or p99 to gate on latency';
  return [
    issueAbout(fields, Input.latencyMinEffect, { expected: 'no latency-min-effect while latency-gate is off', hint }),
  ];
}

function baseIssues({ paired, matrix, server, control }: Config, fields: Fields): ConfigIssue[] {
  const base = paired.base;
  if (base === undefined || !fields.isValid(Input.baselineModel, Input.baselineServerUrl)) return [];
  const issues: ConfigIssue[] = [];
  const isSameServer = base.server.address === server.address && base.server.isTls === server.isTls;
  if (isSameServer && base.model === matrix.model && fields.given(Input.baselineModel) !== undefined) {
    const hint = 'the base version must be served under another name, or on baseline-server-url';
    issues.push(
      issueAbout(fields, Input.baselineModel, {
        expected: `a model other than '${matrix.model}' on the same server`,
        hint,
      }),
    );
  }
  if (fields.isValid(Input.batchStrategy) && control.strategy === 'models') {
    const hint = 'paired mode puts both sides at each max_batch with batch-strategy reload, command or fixed';
    issues.push(issueAbout(fields, Input.batchStrategy, { expected: 'reload, command or fixed in paired mode', hint }));
  }
  return issues;
}

/** `model-repository` and `baseline-ref` (docs/paired.md, "Zero-config base"). */
function repositoryIssues({ paired, control }: Config, fields: Fields): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const isRepositoryGiven = fields.given(Input.modelRepository) !== undefined && fields.isValid(Input.modelRepository);
  const namedBase = [Input.baselineModel, Input.baselineServerUrl].find((input) => fields.given(input) !== undefined);
  if (isRepositoryGiven && namedBase !== undefined) {
    const hint = `model-repository loads the base version itself, ${namedBase} names one already served: give one of them`;
    issues.push(issueAbout(fields, Input.modelRepository, { expected: `no model-repository with ${namedBase}`, hint }));
  }
  if (
    fields.given(Input.baselineRef) !== undefined &&
    fields.isValid(Input.baselineRef) &&
    fields.given(Input.modelRepository) === undefined
  ) {
    const hint = 'baseline-ref says at which commit model-repository is read; set model-repository too';
    issues.push(issueAbout(fields, Input.baselineRef, { expected: 'no baseline-ref without model-repository', hint }));
  }
  if (
    paired.base?.fromRepository !== undefined &&
    fields.isValid(Input.batchStrategy) &&
    control.strategy === 'command'
  ) {
    const hint = "the run loads '<model>__base' from the base commit's files itself, which batch-command cannot change";
    issues.push(issueAbout(fields, Input.batchStrategy, { expected: 'reload or fixed with model-repository', hint }));
  }
  return issues;
}
