/**
 * One table of every input's description and default (docs/architecture.md#config). `parseConfig` takes its
 * defaults from here, `cliHelpText` its lines, and a unit test checks `action.yml` against it,
 * so the three cannot drift apart.
 */
import { ActionInput, type ActionOnlyInputName, Input, type InputName } from './inputs.js';

/** Documentation of one input. */
export interface InputDoc {
  /** One line, no trailing period, no default (that is `defaultText`). */
  readonly description: string;
  /** Placeholder in CLI help: `--users <list>`. */
  readonly valueName: string;
  /** Raw default that `parseConfig` parses like a given value; `undefined`: none or computed. */
  readonly default: string | undefined;
  /** How the default reads in docs when it is not a raw value (`the model name`, `required`). */
  readonly defaultNote?: string;
}

/** Every `Input`, documented; `default` values reproduce the classic study (README.md). */
export const INPUT_DOCS: Readonly<Record<InputName, InputDoc>> = {
  [Input.configFile]: {
    description: 'YAML file whose keys are input names; explicit inputs win over it',
    valueName: 'file',
    default: undefined,
  },
  [Input.serverUrl]: {
    description: "Triton's gRPC endpoint: host:port, grpc://host:port or grpcs://host:port (TLS)",
    valueName: 'url',
    default: '127.0.0.1:8001',
  },
  [Input.serverHeaders]: {
    description: "gRPC metadata sent with every call, 'key: value' per line or comma-separated; values are secrets",
    valueName: 'headers',
    default: undefined,
  },
  [Input.requestTimeoutMs]: {
    description: 'deadline of one inference request, in milliseconds',
    valueName: 'ms',
    default: '30000',
  },
  [Input.transport]: {
    description:
      'client for the inference load: h2 (our gRPC-over-HTTP/2 client, cheapest) or grpc-js (fallback behind proxies or TLS terminators that h2 does not get along with)',
    valueName: 'kind',
    default: 'h2',
  },
  [Input.metricsUrl]: {
    description:
      "Triton's Prometheus metrics, sampled during each cell (GPU/CPU utilisation, memory, power); none to skip",
    valueName: 'url',
    default: undefined,
    defaultNote: "http://<server-url's host>:8002/metrics",
  },
  [Input.loadTimeoutS]: {
    description: 'deadline for the model to become ready after a load or a batch-command, in seconds',
    valueName: 's',
    default: '300',
  },
  [Input.lockTimeoutS]: {
    description:
      "how long a run that changes the model (reload, command) waits for another run's lease on the same server and model, in seconds; 0 fails at once naming the holder",
    valueName: 's',
    default: '300',
  },
  [Input.model]: {
    description: 'name of the model to measure',
    valueName: 'name',
    default: undefined,
    defaultNote: 'required',
  },
  [Input.modelVersion]: {
    description: 'model version to measure (an integer)',
    valueName: 'version',
    default: undefined,
    defaultNote: "the server's version policy",
  },
  [Input.maxBatch]: {
    description: 'matrix rows: max_batch_size values, in the order given; 0 means no batching',
    valueName: 'list',
    default: '8,16,32,64',
  },
  [Input.users]: {
    description: "matrix columns: concurrent closed-loop users, a list or ranges ('1,2,4' or '1-10')",
    valueName: 'list',
    default: '1-10',
  },
  [Input.requests]: {
    description: 'requests per trial, split as evenly as possible over the users',
    valueName: 'n',
    default: '480',
  },
  [Input.trialSeconds]: {
    description:
      'time-based trials: the steady window (all users active) lasts this many seconds instead of a request count',
    valueName: 'seconds',
    default: undefined,
    defaultNote: 'unset: trials are sized by requests',
  },
  [Input.itemsPerRequest]: {
    description: 'batch dimension of each request; at most every non-zero max-batch',
    valueName: 'n',
    default: '1',
  },
  [Input.trials]: {
    description: 'trials per cell (3 to 100: the rank test needs 3 trials per side)',
    valueName: 'n',
    default: '5',
  },
  [Input.warmupRequests]: {
    description: 'unmeasured warm-up requests per cell',
    valueName: 'n',
    default: undefined,
    defaultNote: 'max(32, 2 x users)',
  },
  [Input.inputs]: {
    description: 'JSON list of input overrides: [{name, datatype?, shape?, data?}], data random, zeros or {file: path}',
    valueName: 'json',
    default: undefined,
    defaultNote: 'from ModelMetadata',
  },
  [Input.inputData]: {
    description: 'data of inputs without an override: random or zeros',
    valueName: 'mode',
    default: 'random',
  },
  [Input.seed]: {
    description: 'seed of the trial order and of random input data',
    valueName: 'n',
    default: '1',
  },
  [Input.maxCv]: {
    description: "robust spread of trial dps (1.4826 x MAD / median) above which a cell is re-run ('10%' or '0.1')",
    valueName: 'fraction',
    default: '10%',
  },
  [Input.maxReruns]: {
    description: 'extra rounds a noisy cell may get before it is marked noisy',
    valueName: 'n',
    default: '2',
  },
  [Input.shard]: {
    description: 'part of the max-batch rows this job runs, i/n (for a job matrix)',
    valueName: 'i/n',
    default: '1/1',
  },
  [Input.capacityProbe]: {
    description:
      'per row, prove batches of max_batch run: one request of max_batch items and a short loop at users x items = max_batch (true or false)',
    valueName: 'bool',
    default: 'false',
  },
  [Input.capacitySearch]: {
    description:
      'with capacity-probe: double max_batch past the list until a load or an inference fails (true or false)',
    valueName: 'bool',
    default: 'false',
  },
  [Input.batchStrategy]: {
    description: 'how the server is put at each max_batch: reload, models, command or fixed',
    valueName: 'strategy',
    default: 'reload',
  },
  [Input.modelTemplate]: {
    description: "models strategy: model name template containing {max_batch}, e.g. 'resnet_mb{max_batch}'",
    valueName: 'template',
    default: undefined,
  },
  [Input.batchCommand]: {
    description: 'command strategy: shell command run with MAX_BATCH in its environment',
    valueName: 'command',
    default: undefined,
  },
  [Input.maxQueueDelayUs]: {
    description: 'reload strategy: dynamic batching max_queue_delay_microseconds to set',
    valueName: 'us',
    default: undefined,
    defaultNote: "the model's own",
  },
  [Input.benchmarkKey]: {
    description: 'key separating several benchmarks in one repository',
    valueName: 'key',
    default: undefined,
    defaultNote: 'the model name',
  },
  [Input.runnerLabel]: {
    description: 'label of the runner pool, stored with each run and part of the comparison key (replaces TTG_LABEL)',
    valueName: 'label',
    default: undefined,
    defaultNote: 'TTG_LABEL, else the runner name (self-hosted) or OS-arch (hosted)',
  },
  [Input.baselineStore]: {
    description: 'where baselines live: branch (data branch), file (baseline-path) or none',
    valueName: 'store',
    default: 'branch',
  },
  [Input.baselineBranch]: {
    description: 'orphan branch holding baseline JSON for the branch store',
    valueName: 'branch',
    default: 'triton-throughput-data',
  },
  [Input.baselinePath]: {
    description: 'directory of the file store (required with baseline-store file)',
    valueName: 'dir',
    default: undefined,
  },
  [Input.saveBaseline]: {
    description:
      'when to save this run as a baseline: auto (push to default branch or tag), always or never; never from PRs',
    valueName: 'policy',
    default: 'auto',
  },
  [Input.history]: {
    description: 'stored runs kept for trends and noise estimates',
    valueName: 'n',
    default: '30',
  },
  [Input.alpha]: {
    description: 'false-discovery level across all cells (Benjamini-Hochberg)',
    valueName: 'fraction',
    default: '0.05',
  },
  [Input.minEffect]: {
    description: "smallest drop that can be a regression ('5%' or '0.05')",
    valueName: 'fraction',
    default: '5%',
  },
  [Input.failOn]: {
    description: 'what fails the check: regression, never or any-failure',
    valueName: 'mode',
    default: 'regression',
  },
  [Input.confirm]: {
    description: 're-measure regressed cells once before failing (true or false)',
    valueName: 'bool',
    default: 'true',
  },
  [Input.comment]: {
    description: 'sticky PR comment: always, on-change or never',
    valueName: 'mode',
    default: 'always',
  },
  [Input.trendIssue]: {
    description: 'issue number that keeps a sticky trend comment',
    valueName: 'n',
    default: undefined,
  },
  [Input.out]: {
    description: 'path to write the run result JSON to',
    valueName: 'file',
    default: undefined,
  },
  [Input.baselineModel]: {
    description: 'base version of the model served under this name on the same server: run paired (recommended)',
    valueName: 'name',
    default: undefined,
    defaultNote: 'none (stored mode); with baseline-server-url: the model name',
  },
  [Input.baselineServerUrl]: {
    description: 'a second server serving the base version (host:port, grpc:// or grpcs://): run paired',
    valueName: 'url',
    default: undefined,
    defaultNote: 'none: the base side, if any, is on server-url',
  },
  [Input.minRounds]: {
    description: 'paired rounds every cell gets (each round measures head and base once)',
    valueName: 'n',
    default: '5',
  },
  [Input.maxRounds]: {
    description: 'paired rounds a cell still undecided after min-rounds may get at most',
    valueName: 'n',
    default: '10',
  },
  [Input.modelRepository]: {
    description:
      "path in the checkout to the Triton model repository holding the model: without baseline-model, the model's directory at baseline-ref is loaded as <model>__base and the run is paired",
    valueName: 'dir',
    default: undefined,
    defaultNote: 'none',
  },
  [Input.baselineRef]: {
    description: 'git commit-ish whose model files model-repository loads as the base side',
    valueName: 'ref',
    default: undefined,
    defaultNote: "the PR's merge-base in a pull request; required elsewhere",
  },
};

/** The action-only inputs (not part of `Config`), documented for `action.yml`. */
export const ACTION_ONLY_INPUT_DOCS: Readonly<Record<ActionOnlyInputName, InputDoc>> = {
  [ActionInput.githubToken]: {
    description: 'token for the PR comment and the data branch; needs pull-requests: write and contents: write',
    valueName: 'token',
    default: undefined,
    defaultNote: "the job's github.token",
  },
  [ActionInput.mode]: {
    description:
      "run: measure the matrix; merge: merge the shard jobs' results (shard-results) into one run, compare, comment and save it once",
    valueName: 'mode',
    default: 'run',
  },
  [ActionInput.shardResults]: {
    description:
      "merge mode: the shard jobs' result JSON files, globs of them (* and ?) or directories of them (e.g. where actions/download-artifact put them), one per line or comma-separated",
    valueName: 'paths',
    default: undefined,
  },
};

/** Flags only the CLI has; the values they set are described in `CLI_FLAG_DOCS`. */
export const CliFlag = {
  quiet: 'quiet',
  help: 'help',
  baselineDir: 'baseline-dir',
  save: 'save',
  baseline: 'baseline',
  current: 'current',
  in: 'in',
} as const;

/** A CLI-only flag name. */
export type CliFlagName = (typeof CliFlag)[keyof typeof CliFlag];

/** Documentation of a CLI-only flag; `valueName` undefined means a boolean switch. */
export interface CliFlagDoc {
  readonly description: string;
  readonly valueName: string | undefined;
}

/** Every CLI-only flag, documented for `cliHelpText`. */
export const CLI_FLAG_DOCS: Readonly<Record<CliFlagName, CliFlagDoc>> = {
  [CliFlag.quiet]: { description: 'print only the verdict and errors', valueName: undefined },
  [CliFlag.help]: { description: 'show this help', valueName: undefined },
  [CliFlag.baselineDir]: {
    description: 'use a file store in this directory (baseline-store file + baseline-path)',
    valueName: 'dir',
  },
  [CliFlag.save]: { description: 'save this run as a baseline (save-baseline always)', valueName: undefined },
  [CliFlag.baseline]: {
    description: 'compare/report: baseline result file or file-store directory',
    valueName: 'dir|file',
  },
  [CliFlag.current]: { description: 'compare/report: the result file to judge or render', valueName: 'file' },
  [CliFlag.in]: {
    description: "merge: directory of the shard jobs' result files (and its direct subdirectories)",
    valueName: 'dir',
  },
};

/** The default as it reads in docs: the raw default, else the note, else `none`. */
export function defaultText(inputDoc: InputDoc): string {
  return inputDoc.default ?? inputDoc.defaultNote ?? 'none';
}
