/**
 * Every input, declared once (docs/architecture.md#config): name, value kind, default, description,
 * where it may come from. Action inputs (action.yml's `inputs:` is generated from this table by
 * `npm run action-yml`), CLI flags (`--<name>`, `--help`), config-file keys, validation messages
 * and docs/inputs.md are all derived from it. Adding an input is one entry here plus its use.
 */
import { LATENCY_PERCENTILES } from '../model/recommendation.js';
import {
  type ValueType,
  flag,
  fraction,
  gitRef,
  inputDataSource,
  inputOverrides,
  integer,
  integerList,
  matching,
  metricsUrl,
  milliseconds,
  modelName,
  oneOf,
  serverHeaders,
  serverUrl,
  shapeList,
  shard,
  text,
  trimmedText,
  windowSeconds,
} from './values.js';

/** Where a value may come from: the Action's `with:`, a CLI flag, or a `config-file` key. */
export type InputSource = 'action' | 'cli' | 'file';

/** Sections of `--help` and docs/inputs.md; they also say which CLI commands read an input. */
export type InputGroup =
  'general' | 'server' | 'matrix' | 'control' | 'paired' | 'gate' | 'answers' | 'store' | 'report';

/** One input's declaration. */
export interface InputSpec<T = unknown> {
  readonly group: InputGroup;
  readonly value: ValueType<T>;
  /** One line, lower case, no trailing period; the default is added where it is shown. */
  readonly description: string;
  /** Raw default, parsed like a given value; absent when there is none or it is computed. */
  readonly default?: string;
  /** How a computed or absent default reads (`the model name`, `required`). */
  readonly defaultNote?: string;
  /** Default: all three. The command strategy is never read from repository content (SECURITY.md). */
  readonly from?: readonly InputSource[];
  /** A run cannot do without it (a `config-file` may give it). */
  readonly isRequired?: true;
  /** The value is a secret: never quoted in messages, logs or reports. */
  readonly isSecret?: true;
  /** A YAML list is accepted in a config file and joined with this separator. */
  readonly listSeparator?: string;
  /** perf_analyzer's spelling, accepted as a CLI flag too (`-m`, `--concurrency-range`). */
  readonly cliAliases?: readonly string[];
}

const WORKFLOW_ONLY: readonly InputSource[] = ['action', 'cli'];

const spec = <V extends ValueType<unknown>>(
  group: InputGroup,
  value: V,
  description: string,
  more: Omit<Partial<InputSpec>, 'group' | 'value' | 'description'> = {},
): InputSpec & { readonly value: V } => ({ group, value, description, ...more });

/** The inputs of a run, in the order `--help`, action.yml and docs/inputs.md list them. */
export const INPUT_SPECS = {
  'config-file': spec(
    'general',
    text('a file path', 'file'),
    'YAML file whose keys are input names; explicit inputs win over it; it may not set batch-command or batch-strategy command (repository content must not run commands)',
    { from: WORKFLOW_ONLY },
  ),
  model: spec('matrix', modelName, 'name of the model to measure', {
    defaultNote: 'required (here or in config-file)',
    isRequired: true,
    cliAliases: ['m'],
  }),
  'model-version': spec(
    'matrix',
    integer(1, undefined, 'a version number >= 1'),
    'model version to measure (an integer)',
    { defaultNote: "the server's version policy", cliAliases: ['x'] },
  ),
  'server-url': spec(
    'server',
    serverUrl,
    "Triton's gRPC endpoint: host:port, grpc://host:port or grpcs://host:port (TLS)",
    { default: '127.0.0.1:8001', cliAliases: ['u', 'url'] },
  ),
  'server-headers': spec(
    'server',
    serverHeaders,
    "gRPC metadata sent with every call, 'key: value' per line or comma-separated; values are secrets",
    { isSecret: true, listSeparator: '\n', cliAliases: ['H'] },
  ),
  'request-timeout-ms': spec('server', integer(1), 'deadline of one inference request, in milliseconds', {
    default: '30000',
  }),
  transport: spec(
    'server',
    oneOf(['h2', 'grpc-js'], 'kind'),
    'client for the inference load: h2 (our gRPC-over-HTTP/2 client, cheapest) or grpc-js (fallback behind proxies or TLS terminators that h2 does not get along with)',
    { default: 'h2' },
  ),
  'metrics-url': spec(
    'server',
    metricsUrl,
    "Triton's Prometheus metrics, sampled during each cell (GPU/CPU utilisation, memory, power); none to skip",
    { defaultNote: "http://<server-url's host>:8002/metrics" },
  ),
  'load-timeout-s': spec(
    'server',
    integer(1, 86_400),
    'deadline for the model to become ready after a load or a batch-command, in seconds',
    { default: '300' },
  ),
  'lock-timeout-s': spec(
    'server',
    integer(0, 86_400),
    "how long a run that changes the model (reload, command) waits for another run's lease on the same server and model, in seconds; 0 fails at once naming the holder",
    { default: '300' },
  ),
  'max-batch': spec(
    'matrix',
    integerList(0, 'integers >= 0, 0 = no batching ("8,16,32,64")'),
    'matrix rows: max_batch_size values, in the order given; 0 means no batching',
    { default: '8,16,32,64', listSeparator: ',' },
  ),
  users: spec(
    'matrix',
    integerList(1, 'integers >= 1 ("1,2,4" or "1-10")'),
    "matrix columns: concurrent closed-loop users, a list or ranges ('1,2,4', '1-10' or perf_analyzer's '1:10:1')",
    { default: '1-10', listSeparator: ',', cliAliases: ['concurrency-range'] },
  ),
  requests: spec('matrix', integer(1), 'requests per trial, split as evenly as possible over the users', {
    default: '480',
  }),
  'trial-seconds': spec(
    'matrix',
    windowSeconds,
    'time-based trials: the steady window (all users active) lasts this many seconds instead of a request count',
    { defaultNote: 'unset: trials are sized by requests' },
  ),
  'items-per-request': spec('matrix', integer(1), 'batch dimension of each request; at most every non-zero max-batch', {
    default: '1',
    cliAliases: ['b'],
  }),
  // Below 3 trials the exact rank test cannot reach p < 0.05: every cell would be inconclusive (docs/statistics.md §1).
  trials: spec(
    'matrix',
    integer(3, 100, 'an integer from 3 to 100 (the rank test needs 3 trials per side)'),
    'trials per cell (3 to 100: the rank test needs 3 trials per side)',
    { default: '5' },
  ),
  'warmup-requests': spec('matrix', integer(0), 'unmeasured warm-up requests per cell', {
    defaultNote: 'max(32, 2 x users)',
  }),
  inputs: spec(
    'matrix',
    inputOverrides,
    'JSON list of input overrides: [{name, datatype?, shape?, data?}], data random, zeros, {file: path}, or none (an optional input left out; every input is sent otherwise)',
    { defaultNote: 'from ModelMetadata' },
  ),
  'input-data': spec(
    'matrix',
    inputDataSource,
    "data of inputs without an override: random, zeros, or a JSON file in perf_analyzer's --input-data format (data steps used round-robin, in order within a sequence)",
    { default: 'random' },
  ),
  // perf_analyzer's --shape; a list in a config file, space-separated elsewhere (dims hold commas).
  shape: spec(
    'matrix',
    shapeList,
    'shapes of inputs with variable (-1) dims, perf_analyzer --shape style: NAME:d1,d2 without the batch dimension, several separated by spaces (a list in a config file)',
    { defaultNote: 'none', listSeparator: ' ' },
  ),
  'string-length': spec(
    'matrix',
    integer(1, 1_048_576),
    'length of the random strings sent to BYTES inputs (perf_analyzer --string-length)',
    { default: '128' },
  ),
  'sequence-length': spec(
    'matrix',
    integer(1, 1_000_000),
    'sequence models: requests per sequence (perf_analyzer --sequence-length); ignored, with a warning, for other models',
    { defaultNote: "20; with an input-data file, the steps of each sequence's data stream" },
  ),
  'sequence-length-variation': spec(
    'matrix',
    integer(0, 100),
    'sequence models: each length varies by up to +/- this percentage (perf_analyzer --sequence-length-variation)',
    { defaultNote: '20; 0 with an input-data file and no sequence-length' },
  ),
  seed: spec('matrix', integer(0, 4_294_967_295), 'seed of the trial order and of random input data', { default: '1' }),
  'max-cv': spec(
    'matrix',
    fraction([0, false], [1, true], "a fraction in (0, 1] ('10%' or '0.1')"),
    "robust spread of trial dps (1.4826 x MAD / median) above which a cell is re-run ('10%' or '0.1')",
    { default: '10%' },
  ),
  'max-reruns': spec('matrix', integer(0, 100), 'extra rounds a noisy cell may get before it is marked noisy', {
    default: '2',
  }),
  // Rows measured one after another are minutes apart: a gap between them may be drift (docs/answers.md).
  'row-rounds': spec(
    'matrix',
    integer(1, 100),
    "rounds over the rows: 1 measures the rows one after another; N > 1 spreads each cell's trials over N rounds that visit every row in turn, so drift between rows cancels (reload reloads the model at every visit; at most trials)",
    { default: '1' },
  ),
  shard: spec('matrix', shard, 'part of the max-batch rows this job runs, i/n (for a job matrix)', { default: '1/1' }),
  capacity: spec(
    'matrix',
    oneOf(['off', 'probe', 'search']),
    'per row, prove batches of max_batch run (probe: one request of max_batch items and a short loop at users x items = max_batch); search: also double max_batch past the list until a load or an inference fails',
    { default: 'off' },
  ),
  'batch-strategy': spec(
    'control',
    oneOf(['reload', 'models', 'command', 'fixed'], 'strategy'),
    'how the server is put at each max_batch: reload, models, command or fixed',
    { default: 'reload' },
  ),
  'model-template': spec(
    'control',
    text("a model name template containing {max_batch} (e.g. 'resnet_mb{max_batch}')", 'template', (value) =>
      value.includes('{max_batch}') ? undefined : "'{max_batch}' is missing",
    ),
    "models strategy: model name template containing {max_batch}, e.g. 'resnet_mb{max_batch}'",
  ),
  'batch-command': spec(
    'control',
    trimmedText('a shell command', 'command'),
    'command strategy: shell command run with MAX_BATCH in its environment',
    { from: WORKFLOW_ONLY },
  ),
  'max-queue-delay-us': spec(
    'control',
    integer(0),
    'reload strategy: dynamic batching max_queue_delay_microseconds to set',
    { defaultNote: "the model's own" },
  ),
  'benchmark-key': spec(
    'gate',
    matching(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
      "letters, digits, '.', '_' or '-', starting with a letter or digit, at most 100 characters",
      'key',
    ),
    'key separating several benchmarks in one repository',
    { defaultNote: 'the model name' },
  ),
  'runner-label': spec(
    'gate',
    text('a runner label', 'label'),
    'label of the runner pool, stored with each run and part of the comparison key (replaces TTG_LABEL)',
    { defaultNote: 'TTG_LABEL, else the runner name (self-hosted) or OS-arch (hosted)' },
  ),
  history: spec('gate', integer(1), 'stored runs kept for trends and noise estimates', { default: '30' }),
  alpha: spec(
    'gate',
    fraction([0, false], [1, false], "a number strictly between 0 and 1 (e.g. '0.05')"),
    'false-discovery level across all cells (Benjamini-Hochberg)',
    { default: '0.05' },
  ),
  'min-effect': spec(
    'gate',
    fraction([0, true], [1, false], "a fraction from 0% to under 100% ('5%' or '0.05')"),
    "smallest drop that can be a regression ('5%' or '0.05')",
    { default: '5%' },
  ),
  'fail-on': spec(
    'gate',
    oneOf(['regression', 'never', 'any-failure']),
    'what fails the check: regression, never or any-failure',
    { default: 'regression' },
  ),
  confirm: spec('gate', flag, 're-measure regressed cells once before failing (true or false)', { default: 'true' }),
  'latency-budget-ms': spec(
    'answers',
    milliseconds,
    'latency budget: the recommendation also names the best cell whose latency percentile (latency-budget-percentile) is within it, per users level and overall, and the rows that never meet it',
    { defaultNote: 'none' },
  ),
  'latency-budget-percentile': spec(
    'answers',
    oneOf(LATENCY_PERCENTILES, 'percentile'),
    'latency percentile the budget applies to: p50, p90 or p99',
    { default: 'p99' },
  ),
  conclusions: spec(
    'answers',
    oneOf(['auto', 'always', 'never']),
    "the study's conclusions in the report: auto (not on pull_request events: a PR check leads with its decision), always or never",
    { default: 'auto' },
  ),
  'gate-policy': spec(
    'gate',
    oneOf(['auto', 'not-ruled-out', 'estimate', 'established'], 'policy'),
    "which significant drops fail the check: not-ruled-out (a drop of min-effect lies within the interval, the estimate at least half of it), estimate (the median drop itself at least min-effect), established (the whole interval beyond min-effect); auto: not-ruled-out in paired mode, estimate in stored mode (docs/statistics.md, 'Verdict words and the gate policy')",
    { default: 'auto' },
  ),
  'gate-metric': spec(
    'gate',
    oneOf(['dps', 'responses']),
    'what the gate compares per cell: dps (items/s) or responses (responses/s of a decoupled model: tokens/s for one token per response; refused for other models)',
    { default: 'dps' },
  ),
  'latency-gate': spec(
    'gate',
    oneOf(['off', 'p50', 'p90', 'p99'], 'percentile'),
    "also fail when a cell's latency percentile rose significantly by more than latency-min-effect: off, p50, p90 or p99",
    { default: 'off' },
  ),
  'latency-min-effect': spec(
    'gate',
    fraction([0, false], [1, false], "a fraction above 0% and under 100% ('10%' or '0.1')"),
    "smallest rise of the latency-gate percentile that can be a regression ('10%' or '0.1')",
    { default: '10%' },
  ),

  'baseline-store': spec(
    'store',
    oneOf(['branch', 'file', 'none'], 'store'),
    'where baselines live: branch (data branch), file (baseline-path) or none',
    { default: 'branch' },
  ),
  // git check-ref-format rules that a branch name typed into YAML can plausibly break.
  'baseline-branch': spec(
    'store',
    matching(
      /^(?![-./])(?!.*(?:[/.]$|\.\.|\/\/|\/\.|\.lock$))[A-Za-z0-9._/-]+$/,
      "a git branch name (e.g. 'triton-throughput-data')",
      'branch',
    ),
    'orphan branch holding baseline JSON for the branch store',
    { default: 'triton-throughput-data' },
  ),
  'baseline-path': spec(
    'store',
    text('a directory path', 'dir'),
    'directory of the file store (required with baseline-store file)',
  ),
  'save-baseline': spec(
    'store',
    oneOf(['auto', 'always', 'never'], 'policy'),
    'when to save this run as a baseline: auto (push to default branch or tag), always or never; never from PRs',
    { default: 'auto' },
  ),
  comment: spec('report', oneOf(['always', 'on-change', 'never']), 'sticky PR comment: always, on-change or never', {
    default: 'always',
  }),
  'trend-issue': spec(
    'report',
    integer(1, undefined, 'a positive issue number'),
    'issue number that keeps a sticky trend comment',
  ),
  out: spec('report', text('a file path', 'file'), 'path to write the run result JSON to'),
  'baseline-model': spec(
    'paired',
    modelName,
    'base version of the model served under this name on the same server: run paired (recommended)',
    { defaultNote: 'none (stored mode); with baseline-server-url: the model name' },
  ),
  'baseline-server-url': spec(
    'paired',
    serverUrl,
    'a second server serving the base version (host:port, grpc:// or grpcs://): run paired',
    { defaultNote: 'none: the base side, if any, is on server-url' },
  ),
  // Below 3 rounds the signed-rank test cannot reach p < 0.25 (docs/statistics.md §11).
  'min-rounds': spec(
    'paired',
    integer(3, 100),
    'paired rounds every cell gets (each round measures head and base once)',
    { default: '5' },
  ),
  'max-rounds': spec(
    'paired',
    integer(3, 100),
    'paired rounds a cell still undecided after min-rounds may get at most',
    { default: '10' },
  ),
  'model-repository': spec(
    'paired',
    text('a directory path in the checkout', 'dir'),
    "path in the checkout to the Triton model repository holding the model: without baseline-model, the model's directory at baseline-ref is loaded as <model>__base and the run is paired",
    { defaultNote: 'none' },
  ),
  'baseline-ref': spec('paired', gitRef, 'git commit-ish whose model files model-repository loads as the base side', {
    defaultNote: "the PR's merge-base in a pull request; required elsewhere",
  }),
} as const satisfies Readonly<Record<string, InputSpec>>;

/** Inputs only the Action has: `main.ts` reads them itself (they are not part of `Config`). */
export const ACTION_ONLY_SPECS = {
  'github-token': spec(
    'general',
    text('a token', 'token'),
    'token for the PR comment and the data branch; needs pull-requests: write and contents: write',
    { defaultNote: "the job's github.token", isSecret: true, from: ['action'] },
  ),
  mode: spec(
    'general',
    oneOf(['run', 'merge']),
    "run: measure the matrix; merge: merge the shard jobs' results (shard-results) into one run, compare, comment and save it once",
    { default: 'run', from: ['action'] },
  ),
  'shard-results': spec(
    'general',
    text('paths', 'paths'),
    "merge mode: the shard jobs' result JSON files, globs of them (* and ?) or directories of them (e.g. where actions/download-artifact put them), one per line or comma-separated",
    { from: ['action'] },
  ),
} as const satisfies Readonly<Record<string, InputSpec>>;

/** A kebab-case input name. */
export type InputName = keyof typeof INPUT_SPECS;
/** An action-only input name. */
export type ActionOnlyInputName = keyof typeof ACTION_ONLY_SPECS;
/** The parsed value of input `N`. */
export type InputValue<N extends InputName> = (typeof INPUT_SPECS)[N]['value'] extends ValueType<infer T> ? T : never;

/** All input names, in declaration order. */
export const INPUT_NAMES = Object.keys(INPUT_SPECS) as readonly InputName[];
/** All action-only input names, in declaration order. */
export const ACTION_ONLY_INPUTS = Object.keys(ACTION_ONLY_SPECS) as readonly ActionOnlyInputName[];
/** Inputs that hold secrets: their values never reach logs, errors or reports. */
export const SECRET_INPUTS: readonly string[] = Object.entries({ ...INPUT_SPECS, ...ACTION_ONLY_SPECS })
  .filter(([, input]) => (input as InputSpec).isSecret === true)
  .map(([name]) => name);

/**
 * Raw, unvalidated inputs as strings, exactly as a reader found them. A missing key or an
 * empty string means "not given"; `parseConfig` applies defaults and validates.
 */
export type RawInputs = Partial<Record<InputName, string>>;

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
const camel = (name: string): string => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** Input names by camelCase key (`Input.serverUrl === 'server-url'`), for code that names an input. */
export const Input = Object.fromEntries(INPUT_NAMES.map((name) => [camel(name), name])) as {
  readonly [N in InputName as Camel<N>]: N;
};
/** Action-only input names by camelCase key. */
export const ActionInput = Object.fromEntries(ACTION_ONLY_INPUTS.map((name) => [camel(name), name])) as {
  readonly [N in ActionOnlyInputName as Camel<N>]: N;
};

/** The spec of any declared input. */
export function specOf(name: InputName | ActionOnlyInputName): InputSpec {
  return Object.hasOwn(INPUT_SPECS, name)
    ? INPUT_SPECS[name as InputName]
    : ACTION_ONLY_SPECS[name as ActionOnlyInputName];
}

/** True when `name` is one of the `Input` names (a narrowing check for untyped keys). */
export function isInputName(name: string): name is InputName {
  return Object.hasOwn(INPUT_SPECS, name);
}

/** True when `name` may come from `source`. */
export function isAllowedFrom(name: InputName | ActionOnlyInputName, source: InputSource): boolean {
  return (specOf(name).from ?? ['action', 'cli', 'file']).includes(source);
}

/** The default as it reads in docs: the raw default, else the note, else `none`. */
export function defaultText(input: InputSpec): string {
  return input.default ?? input.defaultNote ?? 'none';
}
