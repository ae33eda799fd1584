/**
 * An in-process fake of Triton's KServe v2 gRPC service for fault tests (docs/architecture.md#tests: only for
 * faults a real server cannot be made to show). Built from OUR generated descriptors
 * (`GRPCInferenceService`, protobuf-es toBinary/fromBinary) on a real @grpc/grpc-js Server at
 * 127.0.0.1:0, so the client under test runs its real gRPC stack. Clients reach it through a TCP
 * front on another ephemeral port, so a kill drops connections like a crashed process does
 * (grpc-js's own forceShutdown would answer in-flight calls with a polite CANCELLED instead).
 * It keeps a model repository
 * with explicit-mode load/unload (config overrides included), validates ModelInfer requests,
 * counts statistics, and has fault knobs: failing, stalled or delayed inferences, a killed
 * server, refused or hanging loads, a model unloaded mid-run. Close it in `afterEach`.
 */
import {
  clone,
  create,
  fromBinary,
  toBinary,
  type DescMessage,
  type Message,
  type MessageInitShape,
  type MessageShape,
} from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import { GRPCInferenceService } from '../../src/gen/grpc_service_pb.js';
import { ModelConfigSchema, type ModelConfig } from '../../src/gen/model_config_pb.js';
import { datatypeOf, engineLimitFailure, FakeModel, FakeStatus, parseConfigOverride } from './fake-triton-models.js';

export { fakeModelConfig } from './fake-triton-models.js';

/** Fault knobs; change them any time, also while a run is going. Counts are of ModelInfer arrivals, 1-based. */
export interface FakeTritonFaults {
  /** ModelInfer number `from` .. `from + count - 1` fail with `code` and `details`. */
  failInfer?: { readonly from: number; readonly count: number; readonly code: grpc.status; readonly details: string };
  /** From this ModelInfer on, no reply is ever sent (the client's deadline must end it). */
  stallInferFrom?: number;
  /** Every ModelInfer replies after this many real milliseconds. */
  inferDelayMs?: number;
  /** When ModelInfer number `after + 1` arrives, the server is force-shut down (one shot). */
  killAfterInfers?: number;
  /** When ModelInfer number `after + 1` arrives, `model` is unloaded (one shot). */
  unloadAfterInfers?: { readonly model: string; readonly after: number };
  /** Loads whose max_batch_size is above this fail like a TensorRT engine built for this limit. */
  maxLoadableBatch?: number;
  /**
   * Loads for which this returns a mode hang: `never-ready` replies OK but the model stays
   * LOADING; `stall` never replies (the model stays LOADING).
   */
  hangLoad?: (model: string, config: ModelConfig) => 'never-ready' | 'stall' | undefined;
  /** Called on every ModelInfer arrival with its number (e.g. to abort a run at a known point). */
  onInfer?: (count: number) => void;
  /** Error replies quote the request's metadata (as some gateways do), secrets included. */
  echoMetadataInErrors?: boolean;
  /** Called on every load and unload as it arrives (e.g. to abort a run between an unload and its load). */
  onRepository?: (event: RepositoryEvent) => void;
  /** No RPC gets a reply any more, ServerLive included: a stalled server (SIGSTOP). */
  stallAll?: boolean;
}

/** A load or unload the fake received, in order. */
export type RepositoryEvent =
  | {
      readonly rpc: 'load';
      readonly model: string;
      readonly maxBatch: number;
      readonly hasOverride: boolean;
      readonly outcome: 'ready' | 'refused' | 'never-ready' | 'stalled';
      readonly message?: string;
    }
  | { readonly rpc: 'unload'; readonly model: string };

/** `load m max_batch=8 -> ready`, `load m from disk -> ready`, `unload m`. */
export function eventText(event: RepositoryEvent): string {
  if (event.rpc === 'unload') return `unload ${event.model}`;
  return `load ${event.model} ${event.hasOverride ? `max_batch=${event.maxBatch}` : 'from disk'} -> ${event.outcome}`;
}

/** A model of the fake repository: its config.pbtxt and whether it is loaded at start. */
export interface FakeModelSpec {
  readonly config: ModelConfig;
  /** Default true. */
  readonly isLoaded?: boolean;
}

/** The running fake. */
export interface FakeTriton {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  readonly faults: FakeTritonFaults;
  readonly events: readonly RepositoryEvent[];
  /** ModelInfer arrivals so far. */
  readonly inferCount: () => number;
  readonly isKilled: () => boolean;
  /** The model's served config (undefined when not loaded) and lifecycle state. */
  model(name: string): { readonly served: ModelConfig | undefined; readonly state: string; readonly successes: number };
  /** The next `count` ModelInfer calls fail with `code`. */
  failNextInfers(count: number, code: grpc.status, details: string): void;
  /** Reloads `name` from disk at `maxBatch`, as a user's own script would (the `command` strategy). */
  reloadExternally(name: string, maxBatch: number): void;
  /** Drops every connection, closes the port and the server, clears timers; idempotent. */
  close(): Promise<void>;
}

type Methods = typeof GRPCInferenceService.method;
/** The unary methods the fake serves (not ModelStreamInfer: it measures no decoupled model). */
type MethodName = Exclude<keyof Methods, 'modelStreamInfer'>;
type Handlers = {
  [M in MethodName]: (
    request: MessageShape<Methods[M]['input']>,
  ) => MessageInitShape<Methods[M]['output']> | Promise<MessageInitShape<Methods[M]['output']>>;
};

const NEVER = new Promise<never>(() => undefined);

/** Starts the fake on 127.0.0.1:0 with `models` (config names are the model names). */
export async function startFakeTriton(
  models: readonly FakeModelSpec[],
  faults: FakeTritonFaults = {},
): Promise<FakeTriton> {
  const repository = new Map<string, FakeModel>();
  for (const spec of models) {
    const model = new FakeModel(spec.config.name, spec.config);
    if (spec.isLoaded ?? true) model.load(spec.config);
    repository.set(model.name, model);
  }
  const events: RepositoryEvent[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = new grpc.Server();
  let inferCount = 0;
  let isKilled = false;

  const find = (name: string): FakeModel => {
    const model = repository.get(name);
    if (model === undefined)
      throw new FakeStatus(grpc.status.NOT_FOUND, `Request for unknown model: '${name}' is not found`);
    return model;
  };
  const sockets = new Set<net.Socket>();
  const front = net.createServer();
  const kill = (): void => {
    isKilled = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    // Clients first, so nothing from the server's own shutdown reaches them; then the port.
    for (const socket of sockets) socket.resetAndDestroy();
    front.close();
    server.forceShutdown();
  };
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const modelInfer: Handlers['modelInfer'] = async (request) => {
    const n = ++inferCount;
    faults.onInfer?.(n);
    if (faults.killAfterInfers !== undefined && n > faults.killAfterInfers) {
      delete faults.killAfterInfers;
      kill();
      return NEVER;
    }
    if (faults.stallInferFrom !== undefined && n >= faults.stallInferFrom) return NEVER;
    const failure = faults.failInfer;
    if (failure !== undefined && n >= failure.from && n < failure.from + failure.count)
      throw new FakeStatus(failure.code, failure.details);
    const unload = faults.unloadAfterInfers;
    if (unload !== undefined && n > unload.after) {
      delete faults.unloadAfterInfers;
      repository.get(unload.model)?.unload();
    }
    const model = find(request.modelName);
    const batch = model.validateInfer(request);
    if (faults.inferDelayMs !== undefined) await sleep(faults.inferDelayMs);
    model.recordSuccess(batch);
    return { modelName: model.name, modelVersion: '1', id: request.id };
  };

  const repositoryModelLoad: Handlers['repositoryModelLoad'] = (request) => {
    if (request.repositoryName !== '')
      throw new FakeStatus(grpc.status.UNIMPLEMENTED, "'repository_name' specification is not supported");
    const model = find(request.modelName);
    let override: ModelConfig | undefined;
    for (const [key, parameter] of Object.entries(request.parameters)) {
      if (key !== 'config') throw new FakeStatus(grpc.status.INVALID_ARGUMENT, `unrecognized load parameter '${key}'.`);
      if (parameter.parameterChoice.case !== 'stringParam') {
        throw new FakeStatus(
          grpc.status.INVALID_ARGUMENT,
          "invalid value type for load parameter 'config', expected string_param.",
        );
      }
      override = parseConfigOverride(model.name, parameter.parameterChoice.value);
    }
    const config = override ?? model.disk;
    const event = {
      rpc: 'load',
      model: model.name,
      maxBatch: config.maxBatchSize,
      hasOverride: override !== undefined,
    } as const;
    const limit = faults.maxLoadableBatch;
    if (limit !== undefined && config.maxBatchSize > limit) {
      const refusal = engineLimitFailure(model.name, config.maxBatchSize, limit);
      events.push({ ...event, outcome: 'refused', message: refusal.details });
      // Triton keeps a READY model serving when its reload fails (core PR #102).
      if (model.state !== 'READY') model.unload(refusal.details);
      throw refusal;
    }
    const hang = faults.hangLoad?.(model.name, config);
    events.push({ ...event, outcome: hang === 'stall' ? 'stalled' : (hang ?? 'ready') });
    faults.onRepository?.(events.at(-1) as RepositoryEvent);
    model.load(config, hang === undefined ? 'READY' : 'LOADING');
    return hang === 'stall' ? NEVER : {};
  };

  const handlers: Handlers = {
    serverLive: () => ({ live: true }),
    serverReady: () => ({ ready: [...repository.values()].every((m) => m.state !== 'LOADING') }),
    serverMetadata: () => ({
      name: 'triton',
      version: '2.51.0',
      extensions: ['model_repository', 'model_configuration', 'statistics', 'binary_tensor_data'],
    }),
    modelReady: (request) => {
      const model = find(request.name);
      if (model.state === 'LOADING') return { ready: false };
      model.ready();
      return { ready: true };
    },
    modelMetadata: (request) => {
      const model = find(request.name);
      const config = model.ready();
      const batchDims = config.maxBatchSize > 0 ? [-1n] : [];
      const tensor = (t: { name: string; dataType: ModelConfig['input'][number]['dataType']; dims: bigint[] }) => ({
        name: t.name,
        datatype: datatypeOf(t.dataType)[0],
        shape: [...batchDims, ...t.dims],
      });
      return {
        name: model.name,
        versions: ['1'],
        platform: config.backend,
        inputs: config.input.map(tensor),
        outputs: config.output.map(tensor),
      };
    },
    modelConfig: (request) => ({ config: find(request.name).ready() }),
    modelInfer,
    modelStatistics: (request) => {
      const model = find(request.name);
      model.ready();
      return { modelStats: [model.statistics()] };
    },
    repositoryIndex: (request) => ({
      models: [...repository.values()]
        .filter((m) => !request.ready || m.state === 'READY')
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((m) => ({ name: m.name, version: m.state === 'READY' ? '1' : '', state: m.state, reason: m.reason })),
    }),
    repositoryModelLoad,
    repositoryModelUnload: (request) => {
      // An unknown name fails with NOT_FOUND (assumed; Triton's exact text here is not pinned).
      const model = find(request.modelName);
      events.push({ rpc: 'unload', model: model.name });
      faults.onRepository?.({ rpc: 'unload', model: model.name });
      model.unload();
      return {};
    },
  };

  server.addService(...serviceOf(handlers, faults));
  const grpcPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (err === null) resolve(bound);
      else reject(err);
    });
  });
  front.on('connection', (socket) => {
    const upstream = net.connect(grpcPort, '127.0.0.1');
    for (const [a, b] of [
      [socket, upstream],
      [upstream, socket],
    ] as const) {
      sockets.add(a);
      a.setNoDelay(true); // gRPC writes small frames: Nagle would add delayed-ACK stalls
      a.on('error', () => undefined);
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  });
  const closed = new Promise<void>((resolve) => front.on('close', resolve));
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const port = (front.address() as net.AddressInfo).port;

  return {
    address: `127.0.0.1:${port}`,
    faults,
    events,
    inferCount: () => inferCount,
    isKilled: () => isKilled,
    model(name) {
      const model = find(name);
      return { served: model.served, state: model.state, successes: model.counters.successes };
    },
    failNextInfers(count, code, details) {
      faults.failInfer = { from: inferCount + 1, count, code, details };
    },
    reloadExternally(name, maxBatch) {
      const model = find(name);
      const config = clone(ModelConfigSchema, model.disk);
      config.maxBatchSize = maxBatch;
      if (config.schedulingChoice.case === 'dynamicBatching')
        config.schedulingChoice.value.preferredBatchSize = maxBatch > 0 ? [maxBatch] : [];
      model.load(config);
    },
    async close() {
      if (!isKilled) kill();
      await closed;
    },
  };
}

/** The grpc-js service definition and implementation of `handlers`, (de)serialised by protobuf-es. */
function serviceOf(
  handlers: Handlers,
  faults: FakeTritonFaults,
): [grpc.ServiceDefinition, grpc.UntypedServiceImplementation] {
  const definition: Record<string, grpc.MethodDefinition<Message, Message>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const name of Object.keys(GRPCInferenceService.method) as (keyof Methods)[]) {
    if (name === 'modelStreamInfer') continue;
    const method = GRPCInferenceService.method[name];
    const input: DescMessage = method.input;
    const output: DescMessage = method.output;
    definition[name] = {
      path: `/${GRPCInferenceService.typeName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (message: Message) => Buffer.from(toBinary(input, message)),
      requestDeserialize: (bytes: Buffer) => fromBinary(input, bytes),
      responseSerialize: (message: Message) => Buffer.from(toBinary(output, message)),
      responseDeserialize: (bytes: Buffer) => fromBinary(output, bytes),
    };
    const handle = handlers[name] as (
      request: Message,
    ) => MessageInitShape<DescMessage> | Promise<MessageInitShape<DescMessage>>;
    const unary: grpc.handleUnaryCall<Message, Message> = (call, callback) => {
      if (faults.stallAll === true) return;
      Promise.resolve()
        .then(() => handle(call.request))
        .then(
          (reply) => {
            callback(null, create(output, reply));
          },
          (err: unknown) => {
            const echo =
              faults.echoMetadataInErrors === true
                ? ` (request metadata: ${Object.entries(call.metadata.getMap())
                    .map(([k, v]) => `${k}=${String(v)}`)
                    .join(', ')})`
                : '';
            if (err instanceof FakeStatus) callback({ code: err.code, details: `${err.details}${echo}` });
            else
              callback({ code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : 'fake-triton bug' });
          },
        );
    };
    implementation[name] = unary;
  }
  return [definition, implementation];
}
