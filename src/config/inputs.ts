/**
 * Every input name, declared once (docs/architecture.md#config). Action inputs, CLI flags (`--<name>`) and YAML
 * keys all use these kebab-case names; a unit test checks them against `action.yml`.
 */
export const Input = {
  configFile: 'config-file',
  serverUrl: 'server-url',
  serverHeaders: 'server-headers',
  requestTimeoutMs: 'request-timeout-ms',
  transport: 'transport',
  metricsUrl: 'metrics-url',
  loadTimeoutS: 'load-timeout-s',
  lockTimeoutS: 'lock-timeout-s',
  model: 'model',
  modelVersion: 'model-version',
  maxBatch: 'max-batch',
  users: 'users',
  requests: 'requests',
  trialSeconds: 'trial-seconds',
  itemsPerRequest: 'items-per-request',
  trials: 'trials',
  warmupRequests: 'warmup-requests',
  inputs: 'inputs',
  inputData: 'input-data',
  seed: 'seed',
  maxCv: 'max-cv',
  maxReruns: 'max-reruns',
  shard: 'shard',
  capacityProbe: 'capacity-probe',
  capacitySearch: 'capacity-search',
  batchStrategy: 'batch-strategy',
  modelTemplate: 'model-template',
  batchCommand: 'batch-command',
  maxQueueDelayUs: 'max-queue-delay-us',
  benchmarkKey: 'benchmark-key',
  runnerLabel: 'runner-label',
  baselineStore: 'baseline-store',
  baselineBranch: 'baseline-branch',
  baselinePath: 'baseline-path',
  saveBaseline: 'save-baseline',
  history: 'history',
  alpha: 'alpha',
  minEffect: 'min-effect',
  failOn: 'fail-on',
  confirm: 'confirm',
  comment: 'comment',
  trendIssue: 'trend-issue',
  out: 'out',
  baselineModel: 'baseline-model',
  baselineServerUrl: 'baseline-server-url',
  minRounds: 'min-rounds',
  maxRounds: 'max-rounds',
  modelRepository: 'model-repository',
  baselineRef: 'baseline-ref',
} as const;

/** A kebab-case input name. */
export type InputName = (typeof Input)[keyof typeof Input];

/** All input names, in declaration order. */
export const INPUT_NAMES: readonly InputName[] = Object.values(Input);

/**
 * Raw, unvalidated inputs as strings, exactly as a reader found them. A missing key or an
 * empty string means "not given"; `parseConfig` applies defaults and validates.
 */
export type RawInputs = Partial<Record<InputName, string>>;

/** Inputs that hold secrets: their values never reach logs, errors or reports. */
export const SECRET_INPUTS: readonly InputName[] = [Input.serverHeaders];

/**
 * Inputs of the GitHub Action that are not part of `Config`: `main.ts` reads them itself and
 * hands them to the I/O edges (the token builds the Octokit client, docs/architecture.md#data-flow). They are declared
 * here so the `action.yml` test can check the action's inputs are exactly `Input` plus these.
 */
export const ActionInput = {
  githubToken: 'github-token',
  mode: 'mode',
  shardResults: 'shard-results',
} as const;

/** A kebab-case action-only input name. */
export type ActionOnlyInputName = (typeof ActionInput)[keyof typeof ActionInput];

/** All action-only input names, in declaration order. */
export const ACTION_ONLY_INPUTS: readonly ActionOnlyInputName[] = Object.values(ActionInput);

/** True when `name` is one of the `Input` names (a narrowing check for untyped keys). */
export function isInputName(name: string): name is InputName {
  return (INPUT_NAMES as readonly string[]).includes(name);
}
