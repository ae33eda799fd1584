/**
 * Bad inputs only the server can reveal, against the real CPU Triton. When the server answers
 * and its answer proves an input wrong (unknown model or version, inputs that do not fit the
 * model), the CLI exits 2 like any config error. When the server cannot be used at all (wrong
 * port, TLS mismatch, model not loaded) the run fails, exit 1 (docs/architecture.md#errors: "server down, model
 * not ready → run fails"): from outside, that is indistinguishable from an outage. Either way
 * no ModelInfer is sent and no model is reloaded.
 *
 * Placeholders in `argv` and `excerpt`: `{server}` the gRPC `host:port`, `{http}` its HTTP
 * `host:port`, `{closed}` a port nothing listens on, `{dir}` the case's scratch directory.
 */
import type { BadInputCase, Channel } from './bad-input-case.js';

/** A server case: the CLI arguments (the small matrix below is appended) and files to write. */
export interface ServerCase extends BadInputCase {
  readonly channel: Extract<Channel, 'model metadata (real Triton)' | 'server connection (real Triton)'>;
  readonly argv: readonly string[];
  /** Files written into `{dir}` first, by name. */
  readonly files?: Readonly<Record<string, string>>;
}

/** Small enough that a case that wrongly passed validation would still end quickly. */
export const SMALL_MATRIX = [
  '--max-batch',
  '8',
  '--users',
  '1',
  '--requests',
  '8',
  '--trials',
  '3',
  '--warmup-requests',
  '0',
];

const META = 'model metadata (real Triton)' as const;
const CONNECTION = 'server connection (real Triton)' as const;
const RUN = ['run', '--server-url', '{server}'];

export const SERVER_CASES: readonly ServerCase[] = [
  {
    channel: META,
    name: 'unknown model',
    input: 'model',
    value: 'no_such_model',
    exitCode: 2,
    argv: [...RUN, '--model', 'no_such_model'],
    excerpt: `input 'model': got 'no_such_model', expected a model that the server at {server} has; the server knows: bls_caller, bls_target, bytes_echo, bytes_length, demo_onnx`,
  },
  {
    channel: META,
    name: 'model version not loaded',
    input: 'model-version',
    value: '7',
    exitCode: 2,
    argv: [...RUN, '--model', 'demo_onnx', '--model-version', '7'],
    excerpt: `input 'model-version': got '7', expected a version of model 'demo_onnx' that the server has loaded (1); leave model-version empty`,
  },
  {
    channel: META,
    name: 'input name not in the model',
    input: 'inputs',
    value: 'INPUT0',
    exitCode: 2,
    argv: [...RUN, '--model', 'demo_onnx', '--inputs', '[{"name": "INPUT0"}]'],
    excerpt: `input 'inputs': got 'INPUT0', expected an input of model 'demo_onnx' (input)`,
  },
  {
    channel: META,
    name: 'shape not in the model',
    input: 'inputs',
    value: 'input: [3]',
    exitCode: 2,
    argv: [...RUN, '--model', 'demo_onnx', '--inputs', '[{"name": "input", "shape": [3]}]'],
    excerpt: `input 'inputs': got 'input: [3]', expected a shape matching the model's [64] (without the batch dimension)`,
  },
  {
    channel: META,
    name: 'datatype not in the model',
    input: 'inputs',
    value: 'input: INT32',
    exitCode: 2,
    argv: [...RUN, '--model', 'demo_onnx', '--inputs', '[{"name": "input", "datatype": "INT32"}]'],
    excerpt: `input 'inputs': got 'input: INT32', expected datatype FP32 (as model 'demo_onnx' declares)`,
  },
  {
    channel: META,
    name: 'input-data file naming an input the model does not have',
    input: 'input-data',
    value: '{dir}/steps.json',
    exitCode: 2,
    argv: [...RUN, '--model', 'demo_onnx', '--input-data', '{dir}/steps.json'],
    files: { 'steps.json': '{"data": [{"nope": [1]}]}' },
    excerpt: `input 'input-data': got '{dir}/steps.json', expected a perf_analyzer --input-data file that fits model 'demo_onnx'; stream 0, step 0, input 'nope' is not an input of the model (input)`,
    note: 'every problem of the file is listed (here also the missing input), each naming its stream, step and input',
  },
  {
    channel: META,
    name: 'input-data step whose shape does not fit the model',
    input: 'input-data',
    value: '{dir}/steps.json',
    exitCode: 2,
    argv: [...RUN, '--model', 'demo_onnx', '--input-data', '{dir}/steps.json'],
    files: { 'steps.json': '{"data": [{"input": {"content": [1], "shape": [1]}}]}' },
    excerpt: `input 'input-data': got '{dir}/steps.json', expected a perf_analyzer --input-data file that fits model 'demo_onnx'; stream 0, step 0, input 'input' shape [1] does not fit the model's [64]`,
  },
  {
    channel: META,
    name: 'shape that does not fit the model',
    input: 'shape',
    value: 'input: [32]',
    exitCode: 2,
    argv: [...RUN, '--model', 'demo_onnx', '--shape', 'input:32'],
    excerpt: `input 'shape': got 'input: [32]', expected a shape matching the model's [64] (without the batch dimension)`,
  },
  {
    channel: META,
    name: 'BYTES data file of numbers',
    input: 'inputs',
    value: 'INPUT0: {dir}/numbers.json',
    exitCode: 2,
    argv: [...RUN, '--model', 'bytes_echo', '--inputs', '[{"name": "INPUT0", "data": {"file": "{dir}/numbers.json"}}]'],
    files: { 'numbers.json': '[1]' },
    excerpt: `input 'inputs': got 'INPUT0: {dir}/numbers.json', expected a JSON list of 1 strings (one item of shape [1])`,
  },
  {
    channel: META,
    name: 'data file of the wrong length',
    input: 'inputs',
    value: 'INPUT0: {dir}/three.json',
    exitCode: 2,
    argv: [...RUN, '--model', 'identity', '--inputs', '[{"name": "INPUT0", "data": {"file": "{dir}/three.json"}}]'],
    files: { 'three.json': '[1, 2, 3]' },
    excerpt: `input 'inputs': got 'INPUT0: {dir}/three.json', expected a JSON list of 16 numbers (one item of shape [16])`,
  },
  {
    channel: META,
    name: 'data file that is not JSON',
    input: 'inputs',
    value: 'INPUT0: {dir}/broken.json',
    exitCode: 2,
    argv: [...RUN, '--model', 'identity', '--inputs', '[{"name": "INPUT0", "data": {"file": "{dir}/broken.json"}}]'],
    files: { 'broken.json': '[1, 2,' },
    excerpt: `input 'inputs': got 'INPUT0: {dir}/broken.json', expected a readable JSON file`,
  },
  {
    channel: META,
    name: 'max-batch rows for a model that does not batch',
    input: 'max-batch',
    value: '8',
    exitCode: 2,
    argv: [...RUN, '--model', 'nobatch_identity'],
    excerpt: `input 'max-batch': got '8', expected only 0 for model 'nobatch_identity' (batch-strategy 'reload'): it is served with max_batch_size 0 and does not batch, so rows 8 would measure configs it never runs with; set batch-strategy: fixed and max-batch: 0`,
    note: 'a model served with max_batch_size 0 (non-batching, most ensembles and BLS models): docs/models.md',
  },
  {
    channel: META,
    name: 'items-per-request above 1 for a sequence model',
    input: 'items-per-request',
    value: '2',
    exitCode: 2,
    argv: [...RUN, '--model', 'sequence_sum', '--items-per-request', '2'],
    excerpt: `input 'items-per-request': got '2', expected 1 for model 'sequence_sum', a sequence model: Triton's sequence batcher takes one item per request; leave items-per-request at 1`,
    note: 'Triton refuses the request itself; users sets how many sequences run at once: docs/models.md#sequence-models',
  },
  {
    channel: CONNECTION,
    name: 'TLS to a plaintext port',
    input: 'server-url',
    value: 'grpcs://{server}',
    exitCode: 1,
    namedAs: 'ServerLive on {server}',
    argv: ['run', '--server-url', 'grpcs://{server}', '--model', 'demo_onnx'],
    excerpt: `the TLS handshake failed: is this port serving TLS? Use grpc://host:port (or no scheme) for a plaintext server`,
    note: 'the message names the RPC and server: `TritonError: ServerLive on {server} failed with UNAVAILABLE`',
  },
  {
    channel: CONNECTION,
    name: "Triton's HTTP port",
    input: 'server-url',
    value: '{http}',
    exitCode: 1,
    namedAs: 'ServerLive on {http}',
    argv: ['run', '--server-url', '{http}', '--model', 'demo_onnx'],
    excerpt: `cannot reach Triton at {http}: is it running, and is this its gRPC port? Triton serves gRPC on port 8001 by default; 8000 is its HTTP port`,
    note: 'the message names the RPC and server: `TritonError: ServerLive on {http} failed with UNAVAILABLE`',
  },
  {
    channel: CONNECTION,
    name: 'nothing listening',
    input: 'server-url',
    value: '{closed}',
    exitCode: 1,
    namedAs: 'ServerLive on {closed}',
    argv: ['run', '--server-url', '{closed}', '--model', 'demo_onnx'],
    excerpt: `cannot reach Triton at {closed}: is it running, and is this its gRPC port?`,
    note: 'the message names the RPC and server: `TritonError: ServerLive on {closed} failed with UNAVAILABLE`',
  },
  {
    channel: CONNECTION,
    name: 'model in the repository but not loaded',
    input: 'model',
    value: 'demo_onnx_mb8',
    exitCode: 1,
    argv: [...RUN, '--model', 'demo_onnx_mb8', '--batch-strategy', 'fixed'],
    excerpt: `ModelReady on {server} failed with UNAVAILABLE: model 'demo_onnx_mb8' is not ready (state UNKNOWN). load it first`,
  },
];
