/**
 * The checks before the first row (docs/architecture.md#measurement "health first"): server, model, and whether the
 * configured inputs fit the model. When the server answered and its answer proves an input
 * wrong — a model it does not have, a version it has not loaded, inputs that do not fit — the
 * failure is a `ConfigError` naming that input (the CLI exits 2, issue 6), not a run failure:
 * retrying against the same server cannot help. An unreachable or unready server stays a
 * `TritonError` (docs/architecture.md#errors: "server down, model not ready → run fails").
 */
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { Input } from '../config/inputs.js';
import type { ModelConfig } from '../gen/model_config_pb.js';
import { buildInferRequest } from '../load/build-infer-request.js';
import { checkServer, inspectModel, type ModelInfo, type ServerInfo } from '../triton/inspect-model.js';
import type { TritonClient } from '../triton/triton-client.js';
import { TritonError } from '../triton/triton-error.js';
import { nonBatchingRowsProblem } from './model-kind.js';

/** What the fingerprint needs, read before the first row. */
export interface ReferenceInfo {
  readonly server: ServerInfo;
  /** The model's config before any row changed it (absent for `models`: no single model). */
  readonly config?: ModelConfig;
  /** The version the server serves, when it names one. */
  readonly version?: string;
}

/** What `inspectReference` reads from. */
export interface ReferenceDeps {
  readonly client: TritonClient;
  readonly files: ReadonlyMap<string, unknown>;
  readonly signal: AbortSignal;
}

/** The inputs errors name: `model`, or `baseline-model` for a paired run's base side. */
export type ModelInput = typeof Input.model | typeof Input.baselineModel;

/**
 * Reads the server and (except for `models`) the model, and builds one request at the largest
 * max_batch so that inputs which do not fit fail here, before any row is loaded.
 *
 * @throws ConfigError for an unknown model, an unloaded `model-version` or unfitting `inputs`;
 *   TritonError when the server cannot be used.
 */
export async function inspectReference(
  config: Config,
  deps: ReferenceDeps,
  modelInput: ModelInput = Input.model,
): Promise<ReferenceInfo> {
  const server = await checkServer(deps.client, deps.signal);
  if (config.control.strategy === 'models') return { server };
  const { matrix } = config;
  const info = await inspectModelAsInput(
    deps.client,
    { model: matrix.model, input: modelInput },
    matrix.modelVersion,
    deps.signal,
  );
  refuseRowsTheModelCannotServe(config, info.config);
  buildInferRequest({
    model: matrix.model,
    modelVersion: matrix.modelVersion,
    config: info.config,
    maxBatch: Math.max(...matrix.maxBatch),
    itemsPerRequest: matrix.itemsPerRequest,
    overrides: matrix.inputs,
    defaultData: matrix.inputData,
    shapes: matrix.shapes,
    stringLength: matrix.stringLength,
    seed: matrix.seed,
    files: deps.files,
  });
  const version = info.metadata.versions[0];
  return { server, config: info.config, ...(version === undefined ? {} : { version }) };
}

/**
 * A model served with `max_batch_size: 0` does not batch: a strategy that changes max_batch
 * would measure it at configs it never runs with (every batch one item, a BLS model broken), so
 * such rows are refused before any change to the server (docs/models.md#non-batching-models).
 */
function refuseRowsTheModelCannotServe(config: Config, modelConfig: ModelConfig): void {
  const { matrix, control } = config;
  const problem = nonBatchingRowsProblem(modelConfig, matrix.maxBatch);
  if (problem === undefined) return;
  const fix =
    control.strategy === 'fixed'
      ? 'set max-batch: 0 to measure the model as served'
      : 'set batch-strategy: fixed and max-batch: 0 to measure the model as served';
  throw new ConfigError([
    {
      input: Input.maxBatch,
      value: matrix.maxBatch.join(','),
      expected:
        `only 0 for model '${matrix.model}' (batch-strategy '${control.strategy}'): it is served with ` +
        `max_batch_size 0 and does not batch, so rows ${problem.rows.join(', ')} would measure configs it never runs with`,
      hint: `${fix}; max_batch cannot apply to a model that does not batch`,
    },
  ]);
}

/** `inspectModel`, with the answers that prove `model` or `model-version` wrong as ConfigError. */
async function inspectModelAsInput(
  client: TritonClient,
  named: { readonly model: string; readonly input: ModelInput },
  version: string,
  signal: AbortSignal,
): Promise<ModelInfo> {
  const { model } = named;
  try {
    return await inspectModel(client, model, version, signal);
  } catch (err: unknown) {
    if (!(err instanceof TritonError) || err.rpc !== 'ModelReady') throw err;
    // NOT_FOUND with a hint: the repository index was read, has no such name, and the hint lists
    // the names it has. Without the index we cannot tell a typo from an unloaded model.
    if (err.status === 'NOT_FOUND' && err.hint !== undefined) {
      const expected = `a model that the server at ${client.address} has`;
      throw new ConfigError([{ input: named.input, value: model, expected, hint: err.hint }], { cause: err });
    }
    if (version !== '') await throwIfOnlyTheVersionIsMissing(client, { model, version, signal, cause: err });
    throw err;
  }
}

/**
 * Triton answers ModelReady(name, version) for a version it has not loaded like an unready
 * model; if the model itself is ready, the version is what is wrong: say so, listing the
 * versions it serves, instead of "load it first".
 */
async function throwIfOnlyTheVersionIsMissing(
  client: TritonClient,
  ask: { readonly model: string; readonly version: string; readonly signal: AbortSignal; readonly cause: TritonError },
): Promise<void> {
  let versions: readonly string[];
  try {
    if (!(await client.modelReady(ask.model, '', { signal: ask.signal }))) return;
    versions = (await client.modelMetadata(ask.model, '', { signal: ask.signal })).versions;
  } catch {
    // The model is not usable either: the original error says why.
    return;
  }
  const served = versions.length === 0 ? 'none listed' : versions.join(', ');
  const expected = `a version of model '${ask.model}' that the server has loaded (${served})`;
  throw new ConfigError(
    [
      {
        input: Input.modelVersion,
        value: ask.version,
        expected,
        hint: 'leave model-version empty to use the version the server picks',
      },
    ],
    { cause: ask.cause },
  );
}
