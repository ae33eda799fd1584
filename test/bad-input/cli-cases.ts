/**
 * Bad CLI flags and values (`triton-throughput-gate run ...`). Usage errors (unknown, repeated
 * or valueless flags, unknown commands) and invalid values both exit 2 before any connection:
 * `--server-url` is a port that counts connections and is added to every `run` case.
 */
import type { BadInputCase } from './bad-input-case.js';

/** A CLI case: the arguments after the binary name (`--server-url` is appended for `run`). */
export interface CliCase extends BadInputCase {
  readonly argv: readonly string[];
}

const SECRET = 'sekret-XYZ-cli-4567';
const RUN = ['run', '--model', 'demo_onnx'];

export const CLI_CASES: readonly CliCase[] = [
  {
    name: 'misspelled flag', input: '--user', value: '--user', exitCode: 2, argv: [...RUN, '--user', '1-4'],
    excerpt: `UsageError: unknown flag '--user'; did you mean '--users'? (see --help)`,
  },
  {
    name: 'flag without a value', input: '--users', value: '--users', exitCode: 2, argv: [...RUN, '--users'],
    excerpt: `UsageError: Option '--users <value>' argument missing`,
  },
  {
    name: 'flag given twice', input: '--users', value: '--users', exitCode: 2, argv: [...RUN, '--users', '1', '--users', '2'],
    excerpt: `UsageError: flag '--users' is given more than once`,
  },
  {
    name: 'unknown command', input: 'rn', value: 'rn', exitCode: 2, argv: ['rn', '--model', 'demo_onnx'],
    excerpt: `UsageError: unknown command 'rn'; did you mean 'run'? (expected one of run, compare, report, merge, help)`,
  },
  {
    name: 'trials below 3 (the gate would be off)', input: 'trials', value: '2', exitCode: 2, argv: [...RUN, '--trials', '2'],
    excerpt: `input 'trials': got '2', expected an integer from 3 to 100 (the rank test needs 3 trials per side); 2 is below 3`,
  },
  {
    name: 'fractional integer', input: 'trials', value: '8.5', exitCode: 2, argv: [...RUN, '--trials', '8.5'],
    excerpt: `input 'trials': got '8.5', expected an integer from 3 to 100 (the rank test needs 3 trials per side); not a whole number`,
  },
  {
    name: 'hexadecimal integer', input: 'warmup-requests', value: '0x20', exitCode: 2, argv: [...RUN, '--warmup-requests', '0x20'],
    excerpt: `input 'warmup-requests': got '0x20', expected an integer >= 0; write plain decimal digits`,
  },
  {
    name: 'trial-seconds with a unit', input: 'trial-seconds', value: '2s', exitCode: 2, argv: [...RUN, '--trial-seconds', '2s'],
    excerpt: `input 'trial-seconds': got '2s', expected seconds, a number in (0, 3600] (e.g. '2' or '0.5')`,
  },
  {
    name: 'max-cv of 0', input: 'max-cv', value: '0', exitCode: 2, argv: [...RUN, '--max-cv', '0'],
    excerpt: `input 'max-cv': got '0', expected a fraction in (0, 1] ('10%' or '0.1')`,
  },
  {
    name: 'unknown transport', input: 'transport', value: 'http2', exitCode: 2, argv: [...RUN, '--transport', 'http2'],
    excerpt: `input 'transport': got 'http2', expected one of h2, grpc-js`,
  },
  {
    name: 'metrics-url with a gRPC scheme', input: 'metrics-url', value: 'grpc://triton:8002', exitCode: 2,
    argv: [...RUN, '--metrics-url', 'grpc://triton:8002'],
    excerpt: `input 'metrics-url': got 'grpc://triton:8002', expected an http:// or https:// URL of Triton's metrics (e.g. 'http://127.0.0.1:8002/metrics') or 'none'; scheme 'grpc' is not http or https`,
  },
  {
    name: 'shard index above the count', input: 'shard', value: '3/2', exitCode: 2, argv: [...RUN, '--shard', '3/2'],
    excerpt: `input 'shard': got '3/2', expected 'i/n' with 1 <= i <= n (e.g. '1/1' or '2/4'); i must be from 1 to 2`,
  },
  {
    name: 'fewer requests than users', input: 'requests', value: '2', exitCode: 2, argv: [...RUN, '--requests', '2', '--users', '1-4'],
    excerpt: `input 'requests': got '2', expected >= 4, the largest users value (each user needs at least one request)`,
  },
  {
    name: 'path-unsafe benchmark key', input: 'benchmark-key', value: '../etc', exitCode: 2, argv: [...RUN, '--benchmark-key', '../etc'],
    excerpt: `input 'benchmark-key': got '../etc', expected letters, digits, '.', '_' or '-', starting with a letter or digit, at most 100 characters`,
  },
  {
    name: 'model name with a slash', input: 'model', value: 'a/b', exitCode: 2, argv: ['run', '--model', 'a/b'],
    excerpt: `input 'model': got 'a/b', expected a model name; a model name has no '/' or '\\'`,
  },
  {
    name: 'invalid branch name', input: 'baseline-branch', value: 'bad..name', exitCode: 2, argv: [...RUN, '--baseline-branch', 'bad..name'],
    excerpt: `input 'baseline-branch': got 'bad..name', expected a git branch name (e.g. 'triton-throughput-data')`,
  },
  {
    name: '--save without a store', input: 'save-baseline', value: 'always', exitCode: 2, argv: [...RUN, '--save'],
    excerpt: `input 'save-baseline': got 'always', expected a store to save to: --baseline-dir <dir> (the CLI has none by default)`,
    note: '`--save` means save-baseline always; the hint names both',
  },
  {
    name: 'conflicting shortcut', input: '--baseline-store', value: 'branch', exitCode: 2,
    argv: [...RUN, '--baseline-dir', 'runs', '--baseline-store', 'branch'],
    excerpt: `UsageError: --baseline-dir conflicts with --baseline-store 'branch'`,
  },
  {
    name: 'shape with a zero dimension', input: 'inputs', value: '[{"name":"input","shape":[0]}]', exitCode: 2,
    argv: [...RUN, '--inputs', '[{"name":"input","shape":[0]}]'],
    excerpt: `input 'inputs': got '[{"name":"input","shape":[0]}]', expected a JSON or YAML list of {name, datatype?, shape?, data?}`,
    note: 'hint: item 1 has shape[0] = 0; dims are integers >= 1 (no batch dim, no -1)',
  },
  {
    name: 'unknown datatype', input: 'inputs', value: 'FP23', exitCode: 2, argv: [...RUN, '--inputs', '[{"name":"input","datatype":"FP23"}]'],
    excerpt: `input 'inputs': got '[{"name":"input","datatype":"FP23"}]', expected a JSON or YAML list of {name, datatype?, shape?, data?} (e.g. '[{"name": "INPUT0", "shape": [16], "data": "random"}]'); item 1 has datatype 'FP23', not one of`,
  },
  {
    name: 'inputs that are not valid JSON or YAML', input: 'inputs', value: '[{name: input, shape: [16]', exitCode: 2,
    argv: [...RUN, '--inputs', '[{name: input, shape: [16]'],
    excerpt: `input 'inputs': got '[{name: input, shape: [16]', expected a JSON or YAML list of {name, datatype?, shape?, data?}`,
  },
  {
    name: 'request timeout of 0', input: 'request-timeout-ms', value: '0', exitCode: 2, argv: [...RUN, '--request-timeout-ms', '0'],
    excerpt: `input 'request-timeout-ms': got '0', expected an integer >= 1; 0 is below 1`,
  },
  {
    name: 'server URL without a port', input: 'server-url', value: 'grpc://triton', exitCode: 2, argv: [...RUN, '--server-url', 'grpc://triton'],
    excerpt: `input 'server-url': got 'grpc://triton', expected host:port, grpc://host:port or grpcs://host:port (e.g. '127.0.0.1:8001'); add the port: Triton's gRPC port is 8001 by default`,
  },
  {
    name: 'IPv6 address without brackets', input: 'server-url', value: '::1:8001', exitCode: 2, argv: [...RUN, '--server-url', '::1:8001'],
    excerpt: `input 'server-url': got '::1:8001', expected host:port, grpc://host:port or grpcs://host:port (e.g. '127.0.0.1:8001'); write an IPv6 address in brackets: '[::1]:8001'`,
  },
  {
    name: 'header entry without a colon (a secret)', input: 'server-headers', value: 'authorization Bearer <secret>', exitCode: 2,
    argv: [...RUN, '--server-headers', `authorization Bearer ${SECRET}`],
    excerpt: `input 'server-headers': got '***', expected 'key: value' entries separated by newlines or commas, keys lowercase [a-z0-9-_.] not starting with 'grpc-'; entry 1 has no ':'`,
    note: 'the value is masked (`***`)', secret: SECRET,
  },
  {
    name: 'two rows with the fixed strategy', input: 'max-batch', value: '8,16', exitCode: 2,
    argv: [...RUN, '--batch-strategy', 'fixed', '--max-batch', '8,16'],
    excerpt: `input 'max-batch': got '8,16', expected a single value with batch-strategy 'fixed'`,
  },
  {
    name: 'template with the reload strategy', input: 'model-template', value: 'm{max_batch}', exitCode: 2,
    argv: [...RUN, '--model-template', 'm{max_batch}'],
    excerpt: `input 'model-template': got 'm{max_batch}', expected no model-template with batch-strategy 'reload'; it is only used by batch-strategy 'models'`,
  },
  {
    name: 'several items per request without batching', input: 'items-per-request', value: '2', exitCode: 2,
    argv: [...RUN, '--items-per-request', '2', '--max-batch', '0,8'],
    excerpt: `input 'items-per-request': got '2', expected 1 when max-batch contains 0; a model without batching takes one item per request`,
  },
  {
    name: 'queue delay with a strategy that does not reload', input: 'max-queue-delay-us', value: '100', exitCode: 2,
    argv: [...RUN, '--max-queue-delay-us', '100', '--batch-strategy', 'fixed', '--max-batch', '8'],
    excerpt: `input 'max-queue-delay-us': got '100', expected no max-queue-delay-us with batch-strategy 'fixed'; it is only applied by batch-strategy 'reload'`,
  },  {
    name: 'paired rounds below 3', input: 'min-rounds', value: '2', exitCode: 2,
    argv: [...RUN, '--baseline-model', 'demo_base', '--min-rounds', '2'],
    excerpt: `input 'min-rounds': got '2', expected an integer from 3 to 100; 2 is below 3`,
  },
  {
    name: 'max-rounds below min-rounds', input: 'max-rounds', value: '10', exitCode: 2,
    argv: [...RUN, '--baseline-model', 'demo_base', '--min-rounds', '20'],
    excerpt: `input 'max-rounds': got '10', expected >= min-rounds (20); max-rounds is not set, so its default applies`,
  },
  {
    name: 'base side that is the head model', input: 'baseline-model', value: 'demo_onnx', exitCode: 2,
    argv: [...RUN, '--baseline-model', 'demo_onnx'],
    excerpt: `input 'baseline-model': got 'demo_onnx', expected a model other than 'demo_onnx' on the same server; the base version must be served under another name, or on baseline-server-url`,
  },
  {
    name: 'rounds without a base side', input: 'min-rounds', value: '5', exitCode: 2,
    argv: [...RUN, '--min-rounds', '5'],
    excerpt: `input 'min-rounds': got '5', expected no min-rounds without a base side; rounds are used by paired mode only; set baseline-model, baseline-server-url or model-repository`,
  },
  {
    name: 'two ways to get a base side', input: 'model-repository', value: 'models', exitCode: 2,
    argv: [...RUN, '--model-repository', 'models', '--baseline-model', 'demo_base'],
    excerpt: `input 'model-repository': got 'models', expected no model-repository with baseline-model; model-repository loads the base version itself, baseline-model names one already served: give one of them`,
  },
  {
    name: 'baseline-ref without model-repository', input: 'baseline-ref', value: 'main', exitCode: 2,
    argv: [...RUN, '--baseline-ref', 'main'],
    excerpt: `input 'baseline-ref': got 'main', expected no baseline-ref without model-repository; baseline-ref says at which commit model-repository is read; set model-repository too`,
  },
  {
    name: 'baseline-ref that git would read as an option', input: 'baseline-ref', value: '--output=x', exitCode: 2,
    argv: [...RUN, '--model-repository', 'models', '--baseline-ref=--output=x'],
    excerpt: `input 'baseline-ref': got '--output=x', expected a git commit-ish (a sha, branch, tag or HEAD~1); a ref cannot start with '-'`,
  },
  {
    name: 'zero-config base outside a pull request without baseline-ref', input: 'baseline-ref', value: '', exitCode: 2,
    argv: [...RUN, '--model-repository', '.triton/repo'],
    excerpt: `input 'baseline-ref': got '', expected a git commit-ish (required with model-repository outside a pull request); outside a pull request there is no merge-base`,
    note: 'read after the config is valid, before any connection: only the Action in a pull request knows a merge-base',
  },
  {
    name: 'baseline-ref that does not resolve', input: 'baseline-ref', value: 'no-such-ref', exitCode: 2,
    argv: [...RUN, '--model-repository', '.triton/repo', '--baseline-ref', 'no-such-ref'],
    excerpt: `input 'baseline-ref': got 'no-such-ref', expected a commit-ish of the checkout; it does not resolve to a commit in `,
    note: 'git runs in the working directory; a shallow clone (actions/checkout without fetch-depth: 0) lacks older commits',
  },
  {
    name: 'model directory missing at the base commit', input: 'model-repository', value: '.triton/repo', exitCode: 2,
    argv: [...RUN, '--model-repository', '.triton/repo', '--baseline-ref', 'HEAD'],
    excerpt: `input 'model-repository': got '.triton/repo', expected the model's directory at HEAD; there is no directory '.triton/repo/demo_onnx' (commit `,
    note: 'the message ends with the commit\'s short sha; .triton/ is not committed, so no commit has the model',
  },
  {
    name: 'result file that is a directory', input: 'out', value: '/tmp', exitCode: 2, argv: [...RUN, '--out', '/tmp'],
    excerpt: `input 'out': got '/tmp', expected a file path, not a directory`,
  },
  {
    name: 'result file under /proc', input: 'out', value: '/proc/x/y', exitCode: 2, argv: [...RUN, '--out', '/proc/x/y'],
    excerpt: `input 'out': got '/proc/x/y', expected a path outside /proc (a kernel file system, not storage)`,
    note: 'checked before measuring: Node\'s recursive mkdir never returns there',
  },
  {
    name: 'baseline directory that is a file', input: 'baseline-path', value: '/etc/passwd', exitCode: 2, argv: [...RUN, '--baseline-dir', '/etc/passwd'],
    excerpt: `input 'baseline-path': got '/etc/passwd', expected a directory, not a file; the CLI sets it with --baseline-dir`,
  },
  {
    name: 'baseline directory under /proc', input: 'baseline-path', value: '/proc/x', exitCode: 2, argv: [...RUN, '--baseline-dir', '/proc/x', '--save'],
    excerpt: `input 'baseline-path': got '/proc/x', expected a path outside /proc (a kernel file system, not storage); the CLI sets it with --baseline-dir`,
  },
  {
    name: 'empty server URL', input: '--server-url', value: '--server-url', exitCode: 2, argv: [...RUN, '--server-url', ''],
    excerpt: `UsageError: flag '--server-url' is given an empty value; give a value, or leave the flag out for the default`,
  },
  {
    name: 'data file that is a device', input: 'inputs', value: 'INPUT0: /dev/zero', exitCode: 2,
    argv: [...RUN, '--inputs', '[{"name":"INPUT0","data":{"file":"/dev/zero"}}]'],
    excerpt: `input 'inputs': got 'INPUT0: /dev/zero', expected a readable JSON file; not a regular file (a device, FIFO or directory cannot be a data file)`,
    note: 'checked with stat before anything is read; files above 64 MiB are refused the same way, and a malformed file\'s content is never quoted',
  },
  {
    name: 'lock timeout with a unit', input: 'lock-timeout-s', value: '5m', exitCode: 2, argv: [...RUN, '--lock-timeout-s', '5m'],
    excerpt: `input 'lock-timeout-s': got '5m', expected an integer from 0 to 86400`,
  },
  {
    name: 'negative lock timeout', input: 'lock-timeout-s', value: '-1', exitCode: 2, argv: [...RUN, '--lock-timeout-s=-1'],
    excerpt: `input 'lock-timeout-s': got '-1', expected an integer from 0 to 86400; negative numbers are not allowed`,
  },
];
