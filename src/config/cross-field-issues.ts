/**
 * Rules spanning several inputs. Each rule runs only when the inputs it reads are themselves
 * valid, so one typo yields one issue, not a cascade of follow-ups about a stand-in default.
 */
import type { ConfigIssue } from './config-error.js';
import { INPUT_SPECS, Input, type InputName } from './inputs.js';
import type { Fields } from './parse-fields.js';
import { parseValue } from './values.js';

/** Every cross-field issue of parsed `fields`, in a stable order, given the base side the run has. */
export function crossFieldIssues(
  fields: Fields,
  base: { readonly fromRepository?: unknown } | undefined,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { given, isValid } = fields;
  // The issue quotes the text that was parsed; when that was the default, the hint says so.
  const check = (isBroken: boolean, input: InputName, expected: string, hint?: string): void => {
    if (!isBroken) return;
    const isDefault = given(input) === undefined && INPUT_SPECS[input].default !== undefined;
    const hints = [hint, isDefault ? `${input} is not set, so its default applies` : undefined].filter(Boolean);
    const issue = { input, value: fields.rawText(input), expected };
    issues.push(hints.length === 0 ? issue : { ...issue, hint: hints.join('; ') });
  };
  // An input given while nothing reads it is a forgotten setting, never a value to ignore silently.
  const unused = (input: InputName, isUsed: boolean, expected: string, hint: string): void => {
    check(!isUsed && given(input) !== undefined && isValid(input), input, expected, hint);
  };

  matrixRules(fields, check);
  settingRules(fields, check, unused);
  const shards = isValid(Input.shard) ? fields.must(Input.shard).count : 1;
  const rows = isValid(Input.maxBatch) ? fields.must(Input.maxBatch).length : shards;
  const shardHint = `${shards - rows} of ${shards} shards would have no rows`;
  check(shards > rows, Input.shard, `at most ${rows} shards, one per max-batch row`, shardHint);

  // The default benchmark-key is the model name: it names a data-branch directory (docs/baseline-store.md).
  const model = fields.get(Input.model) ?? '';
  const keyOfModel = parseValue(INPUT_SPECS[Input.benchmarkKey].value, model);
  if (given(Input.benchmarkKey) === undefined && model !== '' && !keyOfModel.ok) {
    const hint = 'benchmark-key defaults to the model name; set benchmark-key explicitly';
    issues.push({ input: Input.benchmarkKey, value: model, expected: keyOfModel.expected, hint });
  }

  pairedRules(fields, base, check, unused);
  return issues;
}

type Check = (isBroken: boolean, input: InputName, expected: string, hint?: string) => void;
type Unused = (input: InputName, isUsed: boolean, expected: string, hint: string) => void;

/** Inputs one batch strategy or store reads: required by it, refused by the others (typo guard). */
function settingRules(fields: Fields, check: Check, unused: Unused): void {
  const { given, isValid } = fields;
  // A value of `input`, or `undefined` while `input` is invalid (its rules wait for the fix).
  const valid = <N extends InputName>(input: N) => (isValid(input) ? fields.must(input) : undefined);
  const strategy = valid(Input.batchStrategy);
  for (const [input, owner, what] of [
    [Input.modelTemplate, 'models', 'a model name template containing {max_batch}'],
    [Input.batchCommand, 'command', 'a shell command'],
  ] as const) {
    if (strategy === undefined) break;
    check(strategy === owner && given(input) === undefined, input, `${what} (required by batch-strategy '${owner}')`);
    const hint = `it is only used by batch-strategy '${owner}'; set that strategy or remove ${input}`;
    unused(input, strategy === owner, `no ${input} with batch-strategy '${strategy}'`, hint);
  }
  if (strategy !== undefined) {
    const expected = `no ${Input.maxQueueDelayUs} with batch-strategy '${strategy}'`;
    unused(Input.maxQueueDelayUs, strategy === 'reload', expected, "it is only applied by batch-strategy 'reload'");
    const rows = valid(Input.maxBatch)?.length ?? 1;
    const hint =
      "pass the server's current max_batch_size as the only value (e.g. '32'): 'fixed' measures the server as it is, one row";
    check(strategy === 'fixed' && rows > 1, Input.maxBatch, "a single value with batch-strategy 'fixed'", hint);
  }

  const store = valid(Input.baselineStore);
  if (store !== undefined) {
    const isFile = store === 'file';
    check(
      isFile && given(Input.baselinePath) === undefined,
      Input.baselinePath,
      "a directory (required by baseline-store 'file')",
    );
    // Without this, a path with the default store would silently write to the data branch.
    const hint = "set baseline-store to 'file' to use it, or remove baseline-path";
    unused(Input.baselinePath, isFile, `no baseline-path with baseline-store '${store}'`, hint);
    const isSaveAlways = valid(Input.saveBaseline) === 'always';
    check(
      store === 'none' && isSaveAlways,
      Input.saveBaseline,
      "auto or never with baseline-store 'none'",
      'there is no store to save to',
    );
  }
}

function matrixRules(fields: Fields, check: Check): void {
  const { must, isValid } = fields;
  const [maxBatch, items] = [must(Input.maxBatch), must(Input.itemsPerRequest)];
  if (isValid(Input.itemsPerRequest, Input.maxBatch)) {
    const hint = 'a model without batching takes one item per request';
    check(maxBatch.includes(0) && items !== 1, Input.itemsPerRequest, '1 when max-batch contains 0', hint);
    const smaller = maxBatch.filter((value) => value !== 0 && value < items);
    const smallerHint = `max-batch ${smaller.join(', ')} ${smaller.length === 1 ? 'is' : 'are'} smaller`;
    check(smaller.length > 0, Input.itemsPerRequest, '<= every non-zero max-batch', smallerHint);
  }
  const maxUsers = Math.max(...must(Input.users));
  const expected = `>= ${maxUsers}, the largest users value (each user needs at least one request)`;
  check(isValid(Input.requests, Input.users) && must(Input.requests) < maxUsers, Input.requests, expected);
}

/** Rounds, row rounds, latency companions and the base side (docs/paired.md). */
function pairedRules(
  fields: Fields,
  base: { readonly fromRepository?: unknown } | undefined,
  check: Check,
  unused: Unused,
): void {
  const { must, given, isValid } = fields;
  const isPaired = base !== undefined;
  // Rounds mean nothing in stored mode: refusing them catches a forgotten baseline-model.
  for (const input of [Input.minRounds, Input.maxRounds]) {
    const hint = 'rounds are used by paired mode only; set baseline-model, baseline-server-url or model-repository';
    unused(input, isPaired, `no ${input} without a base side`, hint);
  }
  const [minRounds, maxRounds] = [must(Input.minRounds), must(Input.maxRounds)];
  const areRoundsValid = isPaired && isValid(Input.minRounds, Input.maxRounds);
  check(areRoundsValid && minRounds > maxRounds, Input.maxRounds, `>= min-rounds (${minRounds})`);

  // docs/answers.md#measuring-rows-interleaved: rounds over two or more rows, one trial per cell at least.
  const [rowRounds, trials] = [must(Input.rowRounds), must(Input.trials)];
  if (isValid(Input.rowRounds) && rowRounds > 1) {
    const hint = `each round measures every cell at least once; raise trials to ${rowRounds} or lower row-rounds`;
    check(isValid(Input.trials) && rowRounds > trials, Input.rowRounds, `at most trials (${trials})`, hint);
    const rowsHint = 'rounds interleave rows; with one max-batch value there is nothing to interleave';
    const isOneRow = isValid(Input.maxBatch) && must(Input.maxBatch).length < 2;
    check(isOneRow, Input.rowRounds, '1 with a single max-batch value', rowsHint);
    const pairedHint = 'paired mode already interleaves head and base within each row; row-rounds is for stored mode';
    check(isPaired, Input.rowRounds, '1 in paired mode', pairedHint);
  }

  const budgetHint = 'the percentile applies to latency-budget-ms; set it too, or remove latency-budget-percentile';
  const hasBudget = given(Input.latencyBudgetMs) !== undefined;
  unused(
    Input.latencyBudgetPercentile,
    hasBudget,
    'no latency-budget-percentile without latency-budget-ms',
    budgetHint,
  );
  const isLatencyGateOn = !isValid(Input.latencyGate) || must(Input.latencyGate) !== 'off';
  const latencyHint = 'set latency-gate to p50, p90 or p99 to gate on latency';
  unused(Input.latencyMinEffect, isLatencyGateOn, 'no latency-min-effect while latency-gate is off', latencyHint);

  const strategy = isValid(Input.batchStrategy) ? must(Input.batchStrategy) : undefined;
  const namedBase = [Input.baselineModel, Input.baselineServerUrl].find((input) => given(input) !== undefined);
  if (isPaired && namedBase !== undefined && isValid(Input.baselineModel, Input.baselineServerUrl)) {
    const model = fields.get(Input.model) ?? '';
    const [head, base] = [must(Input.serverUrl), fields.get(Input.baselineServerUrl)];
    const isSameServer = base === undefined || (base.address === head.address && base.isTls === head.isTls);
    const isSameModel = fields.get(Input.baselineModel) === model;
    const hint = 'the base version must be served under another name, or on baseline-server-url';
    check(isSameServer && isSameModel, Input.baselineModel, `a model other than '${model}' on the same server`, hint);
  }
  const modelsHint = 'paired mode puts both sides at each max_batch with batch-strategy reload, command or fixed';
  const isModelsPaired = isPaired && strategy === 'models' && isValid(Input.baselineModel, Input.baselineServerUrl);
  check(isModelsPaired, Input.batchStrategy, 'reload, command or fixed in paired mode', modelsHint);

  // model-repository and baseline-ref (docs/paired.md, "Zero-config base").
  const hasRepository = given(Input.modelRepository) !== undefined;
  const twoBases = `model-repository loads the base version itself, ${namedBase} names one already served: give one of them`;
  unused(Input.modelRepository, namedBase === undefined, `no model-repository with ${namedBase}`, twoBases);
  const refHint = 'baseline-ref says at which commit model-repository is read; set model-repository too';
  unused(Input.baselineRef, hasRepository, 'no baseline-ref without model-repository', refHint);
  const commandHint =
    "the run loads '<model>__base' from the base commit's files itself, which batch-command cannot change";
  const isFromRepository = base?.fromRepository !== undefined;
  check(
    isFromRepository && strategy === 'command',
    Input.batchStrategy,
    'reload or fixed with model-repository',
    commandHint,
  );
}
