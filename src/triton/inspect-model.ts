/**
 * The health flow before any load is sent (docs/architecture.md#measurement):
 * ServerLive -> ServerReady -> model ready -> ModelMetadata/ModelConfig, with errors that say
 * which server, which model and what to do next.
 */
import type { ModelMetadataResponse } from '../gen/grpc_service_pb.js';
import type { ModelConfig } from '../gen/model_config_pb.js';
import type { TritonClient } from './triton-client.js';
import { TritonError } from './triton-error.js';

/** What the server says about itself. */
export interface ServerInfo {
  readonly version: string;
  readonly extensions: readonly string[];
}

/** What the server says about one model. */
export interface ModelInfo {
  readonly metadata: ModelMetadataResponse;
  readonly config: ModelConfig;
}

/** Checks liveness and reads the server's version; fails with a hint when unreachable. */
export async function checkServer(client: TritonClient, signal?: AbortSignal): Promise<ServerInfo> {
  const isLive = await client.serverLive({ signal });
  if (!isLive) {
    throw new TritonError('ServerLive', client.address, 'UNAVAILABLE', 'the server reports it is not live');
  }
  const metadata = await client.serverMetadata({ signal });
  return { version: metadata.version, extensions: metadata.extensions };
}

/** Explains why `model` is not usable, from the repository index. */
async function explainNotReady(
  client: Pick<TritonClient, 'repositoryIndex' | 'address'>,
  model: string,
  cause: unknown,
): Promise<TritonError> {
  let models: Awaited<ReturnType<TritonClient['repositoryIndex']>> = [];
  try {
    models = await client.repositoryIndex(false);
  } catch {
    // The index is an extension; without it we can only report the original failure.
  }
  const entry = models.find((m) => m.name === model);
  if (entry === undefined) {
    const known = models.map((m) => m.name).sort();
    const hint = known.length === 0 ? undefined : `the server knows: ${known.join(', ')}`;
    return new TritonError('ModelReady', client.address, 'NOT_FOUND', `unknown model '${model}'`, hint, { cause });
  }
  const reason = entry.reason === '' ? '' : `: ${entry.reason}`;
  return new TritonError(
    'ModelReady',
    client.address,
    'UNAVAILABLE',
    `model '${model}' is not ready (state ${entry.state || 'UNKNOWN'}${reason})`,
    entry.state === 'UNAVAILABLE' && entry.reason !== '' && entry.reason !== 'unloaded'
      ? 'the server could not load it: fix the model or its config (see the reason and the server log)'
      : // `reload` reads the served config to change it, so it cannot load an unloaded model itself.
        `load it first (start tritonserver with --load-model ${model}, or load it through the repository API: POST /v2/repository/models/${model}/load); batch-strategy models loads each row's model itself`,
    { cause },
  );
}

/** Resolves when `model` is ready; otherwise throws a TritonError that names the model's state. */
async function requireModelReady(
  client: TritonClient,
  model: string,
  version = '',
  signal?: AbortSignal,
): Promise<void> {
  let isReady = false;
  let cause: unknown;
  try {
    isReady = await client.modelReady(model, version, { signal });
  } catch (err: unknown) {
    // Triton answers an unknown or unloaded model with an error rather than ready=false.
    if (
      err instanceof TritonError &&
      err.status !== 'NOT_FOUND' &&
      err.status !== 'UNAVAILABLE' &&
      err.status !== 'INVALID_ARGUMENT'
    )
      throw err;
    cause = err;
  }
  if (!isReady) throw await explainNotReady(client, model, cause);
}

/** Reads metadata and config of a ready model. */
export async function inspectModel(
  client: TritonClient,
  model: string,
  version = '',
  signal?: AbortSignal,
): Promise<ModelInfo> {
  await requireModelReady(client, model, version, signal);
  const [metadata, config] = await Promise.all([
    client.modelMetadata(model, version, { signal }),
    client.modelConfig(model, version, { signal }),
  ]);
  return { metadata, config };
}

/** Options of `waitForModelReady`. */
export interface WaitOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
}

/** Polls ModelReady until true (errors count as "not yet"); throws TIMEOUT with the model's state. */
export async function waitForModelReady(
  client: Pick<TritonClient, 'modelReady' | 'repositoryIndex' | 'address'>,
  model: string,
  options: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollMs ?? 250;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      if (await client.modelReady(model, '', { signal: options.signal, timeoutMs: Math.max(1000, pollMs * 4) })) return;
    } catch (err: unknown) {
      if (options.signal?.aborted === true) throw err;
    }
    if (Date.now() >= deadline) {
      const explained = await explainNotReady(client, model, undefined);
      throw new TritonError(
        'ModelReady',
        client.address,
        'TIMEOUT',
        `model '${model}' not ready after ${Math.round(options.timeoutMs / 1000)} s`,
        explained.details,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
